/**
 * A write whose answer never came may still be applied after the client gave up: Intercom (or the sandbox) was
 * still working on it, or it waited in a queue. Reading it back then shows "not yet", which proves nothing, so the
 * outcome is unknown ("running the same update again is safe"), never "not applied". When Intercom itself answered
 * (a 500/502/503, a reset or malformed answer after handling), it is done with the request and the read-back is
 * certain; see the fault matrix.
 */
import { createIntercomClient, type IntercomClientOptions } from "@intercom-kit/core";
import { type FaultRule, type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { updateUser } from "../src/index.js";

const USER = SEED.user.id;
const PUT = { method: "PUT", path: "/contacts/:id" };
const started: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function one(faults: FaultRule[], options: Partial<IntercomClientOptions> = {}) {
  const sb = await startSandbox({ faults });
  started.push(sb);
  return { sb, c: createIntercomClient({ token: sb.token, baseUrl: sb.url, maxDelayMs: 5, ...options }) };
}

describe("a write that may still be in progress", () => {
  it("a PUT that Intercom applies only after the client gave up is never reported 'not applied'", async () => {
    // Each PUT waits 1000 ms before it is handled; the client gives up on each after 300 ms and reads back at
    // ~600 ms, before either attempt landed.
    const { sb, c } = await one([{ ...PUT, latencyMs: 1000 }], { timeoutMs: 300, maxRetries: 1 });
    const result = await updateUser(c, { userId: "25", name: "Landed Late" });
    await expect.poll(() => sb.state.getContact(USER)?.name, { timeout: 3000 }).toBe("Landed Late");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.notApplied ?? []).not.toContain("update");
    expect(result.error).toMatchObject({ kind: "unknown", unknown: ["update"], failedKind: "timeout" });
    expect(result.error.message).toContain("may still be in progress");
    expect(result.error.hint).toContain("safe");
  });

  it("a PUT a gateway gave up on (504 every time) is unknown too: Intercom may still apply it", async () => {
    const { c } = await one([{ ...PUT, status: 504 }], { maxRetries: 1 });
    const result = await updateUser(c, { userId: "25", name: "Behind A Gateway" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ kind: "unknown", unknown: ["update"], failedKind: "intercom_error" });
    expect(result.error.notApplied ?? []).not.toContain("update");
  });

  it("a 503 is Intercom's own answer: read back, not applied, for certain", async () => {
    const { sb, c } = await one([{ ...PUT, status: 503 }], { maxRetries: 1 });
    const result = await updateUser(c, { userId: "25", name: "Refused" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ kind: "intercom_error", notApplied: ["update"] });
    expect(result.error.message).toContain("reading back shows it was not done");
    expect(sb.state.getContact(USER)?.name).toBe(SEED.user.name);
  });
});
