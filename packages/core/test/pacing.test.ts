import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createIntercomClient, type IntercomClientOptions, type RequestEvent } from "../src/index.js";
import { createPacer } from "../src/pacing.js";
import { type FakeClock, fakeClock } from "./helpers/fake-clock.js";
import { leakTrap } from "./helpers/leak-trap.js";
import { type JsonReply, type ScriptServer, startScriptServer } from "./helpers/script-server.js";

const TOKEN = "tok_pacing_test_0b9d2c4e11";
const trap = leakTrap(TOKEN);
let server: ScriptServer;
let clock: FakeClock;

beforeAll(async () => {
  server = await startScriptServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  clock = fakeClock();
});

function client(extra: Partial<IntercomClientOptions> = {}) {
  return createIntercomClient({ token: TOKEN, baseUrl: server.url, clock, random: () => 0.5, ...extra });
}

/**
 * A real fixed-window limiter on the fake clock: `limit` requests per `windowMs`, answering like Intercom
 * (X-RateLimit-* on every answer, 429 rate_limit_exceeded when the window is used up).
 */
function limiter(limit: number, windowMs: number, answerAfterMs = 15) {
  const start = clock.now();
  const used = new Map<number, number>();
  let refused = 0;
  const reply = (): JsonReply => {
    const window = Math.floor((clock.now() - start) / windowMs);
    const resetAt = Math.ceil((start + (window + 1) * windowMs) / 1000);
    const count = used.get(window) ?? 0;
    if (count >= limit) {
      refused++;
      return {
        status: 429,
        json: { type: "error.list", errors: [{ code: "rate_limit_exceeded", message: "Exceeded rate limit" }] },
        headers: {
          "x-ratelimit-limit": String(limit),
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(resetAt),
        },
      };
    }
    used.set(window, count + 1);
    return {
      status: 200,
      delayMs: answerAfterMs,
      json: { type: "contact", id: `c-${window}-${count}` },
      headers: {
        "x-ratelimit-limit": String(limit),
        "x-ratelimit-remaining": String(limit - count - 1),
        "x-ratelimit-reset": String(resetAt),
      },
    };
  };
  return { reply, refused: () => refused, windowsUsed: () => used.size };
}

describe("shared pacing", () => {
  it("after Remaining: 0, the next request waits for the reset instead of collecting a 429", async () => {
    const reset = Math.floor(clock.now() / 1000) + 5;
    server.script({
      status: 200,
      json: { type: "contact", id: "c1" },
      headers: { "x-ratelimit-limit": "167", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
    });
    const events: RequestEvent[] = [];
    const c = client({ onEvent: (e) => events.push(e) });
    expect(trap.add(await c.getContact("c1")).ok).toBe(true);
    expect(c.rateLimit()).toEqual({ limit: 167, remaining: 0, resetAt: reset });
    expect(trap.add(await c.getContact("c2")).ok).toBe(true);
    // 5 s to the reset + 0.5 * min(20% of 5 s, 1 s) jitter.
    expect(clock.sleeps).toEqual([5500]);
    expect(clock.now()).toBeGreaterThanOrEqual(reset * 1000);
    expect(c.stats()).toEqual({ requests: 2, retries: 0, rateLimited: 0, pacedWaits: 1 });
    trap.add(events);
  });

  it("the pacing wait is capped by maxDelayMs, then one request probes", async () => {
    const reset = Math.floor(clock.now() / 1000) + 8;
    server.script({
      status: 200,
      json: { type: "contact", id: "c1" },
      headers: { "x-ratelimit-limit": "167", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
    });
    const c = client({ maxDelayMs: 2000 });
    trap.add(await c.getContact("c1"));
    trap.add(await c.getContact("c2"));
    expect(clock.sleeps).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
  });

  it("ten concurrent calls against 3 per window: no 429, never more in flight than the budget", async () => {
    const limit = limiter(3, 10_000);
    server.fallback = () => limit.reply();
    try {
      const c = client();
      // The first answer tells the client about the limit (before it, nothing is known).
      expect(trap.add(await c.getContact("prime")).ok).toBe(true);
      server.maxConcurrent = 0;
      const results = trap.add(await Promise.all(Array.from({ length: 10 }, (_, i) => c.getContact(`c${i}`))));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(limit.refused()).toBe(0);
      expect(c.stats().rateLimited).toBe(0);
      expect(server.maxConcurrent).toBeLessThanOrEqual(3);
      expect(server.requests).toHaveLength(11);
      expect(limit.windowsUsed()).toBe(4);
      expect(c.stats().pacedWaits).toBeGreaterThanOrEqual(8);
    } finally {
      server.reset();
    }
  });

  it("counts requests in flight against Remaining (5 concurrent with Remaining: 2 send 2 first)", async () => {
    const reset = Math.floor(clock.now() / 1000) + 10;
    const headers = (remaining: number) => ({
      "x-ratelimit-limit": "100",
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-reset": String(reset),
    });
    let served = 0;
    server.script({ status: 200, json: { id: "prime" }, headers: headers(2) });
    server.fallback = () => {
      served++;
      // The server grants more as it goes (Remaining stays 2): the client must still keep at most 2 in flight.
      return { status: 200, json: { id: `c${served}` }, headers: headers(2), delayMs: 20 };
    };
    try {
      const c = client();
      trap.add(await c.getContact("prime"));
      server.maxConcurrent = 0;
      const results = trap.add(await Promise.all(Array.from({ length: 5 }, (_, i) => c.getContact(`c${i}`))));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(server.maxConcurrent).toBe(2);
      expect(clock.sleeps).toEqual([]);
    } finally {
      server.reset();
    }
  });

  it("a caller abort while paced returns aborted without sending", async () => {
    const reset = Math.floor(clock.now() / 1000) + 9;
    server.script({
      status: 200,
      json: { id: "c1" },
      headers: { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
    });
    const c = client({
      clock: {
        now: clock.now,
        sleep: (_ms, signal) =>
          new Promise((_r, reject) => signal?.addEventListener("abort", () => reject(signal.reason))),
      },
    });
    trap.add(await c.getContact("c1"));
    const controller = new AbortController();
    const pending = c.getContact("c2", { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const result = trap.add(await pending);
    expect(result).toMatchObject({ ok: false, error: { kind: "aborted", attempts: 0, retries: 0 } });
    expect(server.requests).toHaveLength(1);
  });
});

describe("createPacer", () => {
  const info = (remaining: number, resetAt: number, limit = 10) => ({ limit, remaining, resetAt });

  it("keeps the smallest Remaining of one window when answers arrive out of order", async () => {
    const p = createPacer({ clock, random: () => 0, maxDelayMs: 60_000 });
    const reset = Math.floor(clock.now() / 1000) + 10;
    await p.acquire();
    await p.acquire();
    p.release(info(3, reset));
    p.release(info(5, reset));
    expect(p.snapshot()).toEqual(info(3, reset));
  });

  it("takes a newer window whole and ignores an older one", async () => {
    const p = createPacer({ clock, random: () => 0, maxDelayMs: 60_000 });
    const reset = Math.floor(clock.now() / 1000) + 10;
    await p.acquire();
    p.release(info(0, reset));
    await p.acquire();
    p.release(info(9, reset + 10));
    await p.acquire();
    p.release(info(1, reset));
    expect(p.snapshot()).toEqual(info(9, reset + 10));
  });

  it("after the window ends the budget is the last Limit", async () => {
    const p = createPacer({ clock, random: () => 0, maxDelayMs: 60_000 });
    const reset = Math.floor(clock.now() / 1000) + 1;
    await p.acquire();
    p.release(info(0, reset, 2));
    clock.advance(1000);
    expect(await p.acquire()).toBe(false);
    expect(await p.acquire()).toBe(false);
    let third = false;
    const pending = p.acquire().then((waited) => {
      third = waited;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(third).toBe(false);
    p.release(null);
    await pending;
    expect(third).toBe(true);
  });
});

it("nothing collected in this file contains the token", () => {
  expect(trap.count()).toBeGreaterThan(5);
  trap.assertClean();
});
