import type { UpdateUserResult } from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import { judgeOutcome } from "../../src/tools.js";

const fail = (error: Record<string, unknown>) =>
  ({ ok: false, error: { message: "m", hint: "h", requestId: null, ...error } }) as UpdateUserResult;
const user = {} as never;

describe("judgeOutcome: what an apply result means for the plan", () => {
  it.each([
    [
      "applied",
      { ok: true, outcome: "applied", user, applied: [], changes: [], notes: [] } as UpdateUserResult,
      "applied",
      true,
    ],
    [
      "unchanged",
      { ok: true, outcome: "unchanged", user, applied: [], changes: [], notes: [] } as UpdateUserResult,
      "unchanged",
      true,
    ],
    ["partial", fail({ kind: "partial", applied: [{ step: "update" }] }), "partial", true],
    ["unknown", fail({ kind: "unknown", unknown: ["update"] }), "unknown", true],
    ["aborted mid-write", fail({ kind: "aborted", applied: [], unknown: ["update"] }), "unknown", true],
    ["aborted after a write", fail({ kind: "aborted", applied: [{ step: "update" }] }), "partial", true],
    ["stale", fail({ kind: "stale" }), "not_applied", true],
    ["network before any write", fail({ kind: "network", notApplied: ["update"] }), "not_applied", false],
    ["rate limited before any write", fail({ kind: "rate_limited" }), "not_applied", false],
  ])("%s", (_name, result, outcome, spent) => {
    expect(judgeOutcome(result)).toEqual({ outcome, spent });
  });
});
