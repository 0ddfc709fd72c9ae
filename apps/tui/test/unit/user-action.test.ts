import { describe, expect, it } from "vitest";
import { ClientUnavailableError, createUserAction } from "../../src/services/user-action.js";

describe("createUserAction", () => {
  it("makes no client until the first call, and plans without one", () => {
    let made = 0;
    const action = createUserAction(() => {
      made += 1;
      throw new Error("not yet");
    }, "2.15");
    const plan = action.plan({ userId: "25", name: "Ada" });
    expect(plan.calls.map((c) => c.id)).toContain("update");
    expect(made).toBe(0);
  });

  it("turns a back end that could not start into the domain's error value, for lookup and update alike", async () => {
    const error = {
      kind: "network" as const,
      message: "Could not start the embedded sandbox: EADDRINUSE",
      hint: "Check that this machine allows listening on 127.0.0.1",
      requestId: null,
    };
    const action = createUserAction(async () => {
      throw new ClientUnavailableError(error);
    }, "2.15");
    expect(await action.lookup({ userId: "25" })).toEqual({ ok: false, error });
    expect(await action.update({ userId: "25", name: "Ada" })).toEqual({ ok: false, error });
  });

  it("lets programmer errors through instead of hiding them", async () => {
    const action = createUserAction(() => {
      throw new TypeError("bug");
    }, "2.15");
    await expect(action.lookup({ userId: "25" })).rejects.toThrow("bug");
  });
});
