import { afterEach, describe, expect, it } from "vitest";
import { perWindow, type Sandbox, SEED, startSandbox } from "../src/index.js";
import { api, expectError, recordResponses } from "./helpers.js";

const { onResponse } = recordResponses();
const started: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function start(perMinute: number, clock: { t: number }) {
  const sb = await startSandbox({ rateLimitPerMinute: perMinute, now: () => clock.t, onResponse });
  started.push(sb);
  return { sb, call: api(sb) };
}

describe("per-window allowance", () => {
  it.each([
    [10_000, 1667],
    [1000, 167],
    [600, 100],
    [60, 10],
    [5, 1],
  ])("%i per minute gives %i per 10-second window", (perMinute, want) => {
    expect(perWindow(perMinute)).toBe(want);
  });
});

describe("rate limiting", () => {
  it("lets exactly the allowance through in one window, then 429s, then resets at the next window", async () => {
    // 12:00:03 UTC: the window is [12:00:00, 12:00:10).
    const clock = { t: Date.UTC(2026, 10, 26, 12, 0, 3, 250) };
    const windowEnd = Date.UTC(2026, 10, 26, 12, 0, 10) / 1000;
    const { call } = await start(60, clock); // 10 per window
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < 14; i++) {
      const r = await call("GET", `/contacts/${SEED.user.id}`);
      statuses.push(r.status);
      remaining.push(r.headers.get("x-ratelimit-remaining")!);
      expect(r.headers.get("x-ratelimit-limit")).toBe("10");
      expect(r.headers.get("x-ratelimit-reset")).toBe(String(windowEnd));
      if (r.status === 429) {
        const e = expectError(r, 429, "rate_limit_exceeded");
        expect(e.message).toBe("Exceeded rate limit of 10 in 10_seconds");
      }
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(remaining).toEqual(["9", "8", "7", "6", "5", "4", "3", "2", "1", "0", "0", "0", "0", "0"]);

    // Still the same window one second before its end.
    clock.t = windowEnd * 1000 - 1;
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(429);

    // At the reset instant a new window starts.
    clock.t = windowEnd * 1000;
    const r = await call("GET", `/contacts/${SEED.user.id}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("x-ratelimit-remaining")).toBe("9");
    expect(r.headers.get("x-ratelimit-reset")).toBe(String(windowEnd + 10));
  });

  it("does not count unauthenticated requests", async () => {
    const clock = { t: Date.UTC(2026, 10, 26, 12, 0, 0) };
    const { call } = await start(6, clock); // 1 per window
    for (let i = 0; i < 3; i++)
      expect((await call("GET", `/contacts/${SEED.user.id}`, { token: "bad" })).status).toBe(401);
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(200);
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(429);
  });

  it("counts every authenticated request, errors included", async () => {
    const clock = { t: Date.UTC(2026, 10, 26, 12, 0, 0) };
    const { call } = await start(12, clock); // 2 per window
    expect((await call("GET", `/contacts/${SEED.unknownId}`)).status).toBe(404);
    expect((await call("GET", "/contacts/x", { version: "9.9" })).status).toBe(400);
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(429);
  });

  it("gives the admin routes no limit", async () => {
    const clock = { t: Date.UTC(2026, 10, 26, 12, 0, 0) };
    const { call } = await start(6, clock);
    for (let i = 0; i < 5; i++) expect((await call("GET", `/__sandbox/contacts/${SEED.user.id}`)).status).toBe(200);
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(200);
  });
});
