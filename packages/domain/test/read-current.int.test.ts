import { SEED } from "@intercom-kit/sandbox";
import { describe, expect, it } from "vitest";
import { applyUpdate, prepareUpdate } from "../src/index.js";
import { fileSandbox } from "./helpers/sandbox.js";

// A plan shown to someone (a review, an agent) and applied later needs the user as they were, even when an Intercom ID
// with plain fields needs no check: to show current values, and for refuseIfChanged to have something to compare.
let clock = Date.UTC(2026, 0, 1);

const box = fileSandbox({ now: () => clock });

const client = () => box.client();
const routes = () => box.sb.requests().map((r) => `${r.method} ${r.route ?? r.path}`);

describe("prepareUpdate with readCurrent", () => {
  it("without it, an Intercom ID with plain fields is not read, so nothing can be compared later", async () => {
    const prepared = await prepareUpdate(client(), { intercomId: SEED.user.id, name: "Joe Renamed" });
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    expect(prepared.plan.contact).toBeNull();
    expect(routes()).toEqual([]);
  });

  it("reads the user, shows the current value, and lets apply refuse a user changed since", async () => {
    const c = client();
    const prepared = await prepareUpdate(c, { intercomId: SEED.user.id, name: "Joe Renamed" }, { readCurrent: true });
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    expect(routes()).toEqual(["GET /contacts/:contact_id"]);
    expect(prepared.plan.current?.name).toBe(SEED.user.name);
    expect(prepared.plan.changes).toEqual([
      { key: "name", label: "Name", current: SEED.user.name, next: "Joe Renamed", changed: true },
    ]);
    expect(prepared.plan.currentUpdatedAt).not.toBeNull();

    clock += 60_000;
    const res = await fetch(`${box.sb.url}/contacts/${SEED.user.id}`, {
      method: "PUT",
      headers: {
        Authorization: `Bearer ${box.sb.token}`,
        "Content-Type": "application/json",
        Accept: "application/json",
      },
      body: JSON.stringify({ phone: "+1 555 0100" }),
    });
    expect(res.status).toBe(200);
    box.sb.clearRequests();
    const applied = await applyUpdate(c, prepared.plan, { refuseIfChanged: true });
    expect(applied.ok).toBe(false);
    if (applied.ok) return;
    expect(applied.error.kind).toBe("stale");
    expect(routes()).toEqual(["GET /contacts/:contact_id"]);
    expect(box.sb.state.getContact(SEED.user.id)?.name).toBe(SEED.user.name);
  });

  it("writes nothing when the user already has the value", async () => {
    const c = client();
    const prepared = await prepareUpdate(c, { intercomId: SEED.user.id, name: SEED.user.name }, { readCurrent: true });
    expect(prepared.ok && prepared.plan.unchanged).toBe(true);
  });

  it("is not applied to Restore from archive (an archived user cannot be read)", async () => {
    const prepared = await prepareUpdate(
      client(),
      { intercomId: SEED.user.id, unarchive: true, name: "Joe Restored" },
      { readCurrent: true },
    );
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    expect(prepared.plan.contact).toBeNull();
    expect(routes()).toEqual([]);
  });
});
