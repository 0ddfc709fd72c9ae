import { createIntercomClient, type RequestEvent } from "@intercom-kit/domain";
import { SEED, startSandbox } from "@intercom-kit/sandbox";
import { describe, expect, it } from "vitest";
import { ClientUnavailableError, createUserAction } from "../../src/services/user-action.js";

describe("createUserAction", () => {
  it("makes no client until the first call; validation needs none and knows the API version", () => {
    let made = 0;
    const action = createUserAction(() => {
      made += 1;
      throw new Error("not yet");
    }, "2.15");
    const checked = action.validate({ userId: "25", email: "a@example.com", emailVerified: "true" });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors[0]?.message).toContain("2.16");
    expect(made).toBe(0);
  });

  it("turns a back end that could not start into the domain's error value, for prepare", async () => {
    const error = {
      kind: "network" as const,
      message: "Could not start the embedded sandbox: EADDRINUSE",
      hint: "Check that this machine allows listening on 127.0.0.1",
      requestId: null,
    };
    const action = createUserAction(async () => {
      throw new ClientUnavailableError(error);
    }, "2.15");
    expect(await action.prepare({ userId: "25", name: "Ada" })).toEqual({ ok: false, error });
  });

  it("lets programmer errors through instead of hiding them", async () => {
    const action = createUserAction(() => {
      throw new TypeError("bug");
    }, "2.15");
    await expect(action.prepare({ userId: "25", name: "Ada" })).rejects.toThrow("bug");
  });

  it("prepares and applies against a real sandbox, and hands every request event to its listeners", async () => {
    const sandbox = await startSandbox();
    try {
      sandbox.setFaults([{ method: "PUT", status: 503, times: 1 }]);
      const action = createUserAction(
        (overrides) =>
          createIntercomClient({ ...overrides, token: sandbox.token, baseUrl: sandbox.url, maxDelayMs: 5 }),
        "2.15",
      );
      const events: RequestEvent[] = [];
      const stop = action.onRequestEvent((e) => events.push(e));
      const prepared = await action.prepare({ userId: SEED.user.externalId, name: "Ada" });
      expect(prepared.ok).toBe(true);
      if (!prepared.ok) return;
      const result = await action.apply(prepared.plan);
      expect(result.ok && result.outcome).toBe("applied");
      expect(events.some((e) => e.method === "PUT" && e.outcome === "retry")).toBe(true);
      stop();
      const before = events.length;
      await action.prepare({ userId: SEED.user.externalId, name: "Ada" });
      expect(events.length).toBe(before);
    } finally {
      await sandbox.stop();
    }
  });
});
