import type { IntercomResult } from "@intercom-kit/core";
import { describe, expect, it } from "vitest";
import { cached, createWorkspaceCache, isCached } from "./workspace.js";

const answer = (n: number): Promise<IntercomResult<number>> =>
  Promise.resolve({
    ok: true,
    data: n,
    status: 200,
    requestId: null,
    rateLimit: { limit: null, remaining: null, resetAt: null },
    attempts: 1,
  });

describe("workspace cache", () => {
  it("shares a read; reads again once an entry is older than maxAgeMs", async () => {
    let t = 0;
    let reads = 0;
    const cache = createWorkspaceCache({ maxAgeMs: 60_000, now: () => t });
    const read = () => answer(++reads);
    expect((await cached(cache, "tags", read).result).ok).toBe(true);
    expect(cached(cache, "tags", read).sent).toBe(false);
    t = 59_999;
    expect(isCached(cache, "tags")).toBe(true);
    t = 60_000;
    expect(isCached(cache, "tags")).toBe(false);
    const again = await cached(cache, "tags", read).result;
    expect(again.ok && again.data).toBe(2);
  });

  it("a run's cache keeps entries for its life, and never keeps a failure", async () => {
    let t = 0;
    const cache = createWorkspaceCache({ now: () => t });
    await cached(cache, "admins", () => answer(1)).result;
    t = 10 ** 9;
    expect(isCached(cache, "admins")).toBe(true);
    const failed = cached(cache, "x", () =>
      Promise.resolve({
        ok: false,
        error: { kind: "timeout", timeoutMs: 1, message: "m", method: "GET", path: "/x", attempts: 1, retries: 0 },
      } as const),
    );
    await failed.result;
    expect(isCached(cache, "x")).toBe(false);
  });
});
