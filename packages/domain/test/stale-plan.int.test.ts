/**
 * Review screens and agents apply exactly the plan they showed: with `refuseIfChanged`, a user who changed after the
 * plan was made is refused as `stale`, and nothing is written (ADR 0008). Also when the change lands in the same
 * second as the one before it, so `updated_at` (whole seconds) cannot tell.
 */
import { SEED } from "@intercom-kit/sandbox";
import { describe, expect, it } from "vitest";
import { applyUpdate, prepareUpdate, updateUser } from "../src/index.js";
import { fileSandbox } from "./helpers/sandbox.js";

let clock = Date.UTC(2026, 0, 5, 12, 0, 0);
// The sandbox's clock stands still unless a test moves it: every change in a test lands in the same second.
const box = fileSandbox({ now: () => clock });

const client = () => box.client();
/** Someone else (another tab, another agent) changes the user directly. */
const elsewhere = (body: Record<string, unknown>) =>
  fetch(`${box.sb.url}/contacts/${SEED.user.id}`, {
    method: "PUT",
    headers: {
      Authorization: `Bearer ${box.sb.token}`,
      "Content-Type": "application/json",
      Accept: "application/json",
    },
    body: JSON.stringify(body),
  }).then((r) => expect(r.status).toBe(200));
const writes = () =>
  box.sb.requests().filter((r) => r.method === "PUT" || (r.method === "POST" && r.route !== "/contacts/search"));

describe("refuseIfChanged", () => {
  it("a user changed after the plan (a later second): stale, nothing written", async () => {
    const prepared = await prepareUpdate(client(), { userId: "25", name: "From The Plan", tags: ["VIP"] });
    if (!prepared.ok) throw new Error(prepared.error.message);
    clock += 5000;
    await elsewhere({ phone: "+1 555 0111" });
    box.sb.clearRequests();
    const result = await applyUpdate(client(), prepared.plan, { refuseIfChanged: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("stale");
    expect(writes()).toEqual([]);
    expect(box.sb.state.getContact(SEED.user.id)?.name).toBe(SEED.user.name);
  });

  it("a user changed in the same second as the change before the plan: still stale, nothing written", async () => {
    // A first update moves updated_at to this second; the plan sees it; another change in the same second leaves
    // updated_at as it was, so only the values can tell.
    expect((await updateUser(client(), { userId: "25", phone: "+1 555 0100" })).ok).toBe(true);
    const prepared = await prepareUpdate(client(), { userId: "25", name: "From The Plan" });
    if (!prepared.ok) throw new Error(prepared.error.message);
    await elsewhere({ name: "Someone Else's" });
    box.sb.clearRequests();
    const result = await applyUpdate(client(), prepared.plan, { refuseIfChanged: true });
    expect(result.ok ? result.outcome : result.error.kind).toBe("stale");
    expect(writes()).toEqual([]);
    expect(box.sb.state.getContact(SEED.user.id)?.name).toBe("Someone Else's");
  });

  it("an unchanged user is updated as planned", async () => {
    const prepared = await prepareUpdate(client(), { userId: "25", name: "From The Plan" });
    if (!prepared.ok) throw new Error(prepared.error.message);
    const result = await applyUpdate(client(), prepared.plan, { refuseIfChanged: true });
    expect(result.ok && result.outcome).toBe("applied");
    expect(box.sb.state.getContact(SEED.user.id)?.name).toBe("From The Plan");
  });
});
