import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
  describeRequestEvent,
  type IntercomClientOptions,
  type RequestEvent,
} from "../src/index.js";
import type { JsonReply } from "./helpers/script-server.js";
import { scriptedClient } from "./helpers/scripted-client.js";

const TOKEN = "tok_ratelimit_test_4be2a90d17";
const h = scriptedClient(TOKEN);
const { trap, client } = h;

const nowSeconds = () => Math.floor(h.clock.now() / 1000);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const limited = (headers: Record<string, string> = {}): JsonReply => ({
  status: 429,
  json: {
    type: "error.list",
    errors: [{ code: "rate_limit_exceeded", message: "Exceeded rate limit of 167 in 10_seconds" }],
  },
  headers,
});
const contact: JsonReply = { status: 200, json: { type: "contact", id: "c1" } };

describe("429s beyond maxRetries", () => {
  it("the default bound is a minute", () => {
    expect(DEFAULT_MAX_RATE_LIMIT_WAIT_MS).toBe(60_000);
  });

  it("are retried while the waits on 429s stay within maxRateLimitWaitMs", async () => {
    h.server.script(...Array.from({ length: 5 }, () => limited({ "retry-after": "5" })), contact);
    const result = trap.add(await client().getContact("c1"));
    expect(result).toMatchObject({ ok: true, attempts: 6 });
    expect(h.clock.sleeps).toEqual([5000, 5000, 5000, 5000, 5000]);
    expect(h.events.map((e) => [e.outcome, e.reason, e.retriesLeft])).toEqual([
      ["retry", "rate_limited", 1],
      ["retry", "rate_limited", 0],
      ["retry", "rate_limited", null],
      ["retry", "rate_limited", null],
      ["retry", "rate_limited", null],
      ["ok", undefined, 0],
    ]);
  });

  it("a server that 429s forever (resets each window) fails after maxRateLimitWaitMs of waiting, not earlier", async () => {
    const started = h.clock.now();
    h.server.fallback = () =>
      limited({
        "x-ratelimit-limit": "167",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(nowSeconds() + 10),
      });
    const c = client();
    const result = trap.add(await c.getContact("c1"));
    // Until each reset (10 s ahead when asked) + 0.5 s jitter; the sixth wait is cut to what is left of the minute.
    expect(h.clock.sleeps).toEqual([10_500, 10_000, 10_000, 10_000, 10_000, 9500]);
    expect(sum(h.clock.sleeps)).toBe(60_000);
    expect(h.clock.now() - started).toBeGreaterThanOrEqual(60_000);
    expect(h.clock.now() - started).toBeLessThan(61_000);
    expect(result).toMatchObject({ ok: false, error: { kind: "http", status: 429, attempts: 7, retries: 6 } });
    if (!result.ok) {
      expect(result.error.message).toMatch(
        /^Intercom's rate limit was exceeded \(429 rate_limit_exceeded: Exceeded rate limit of 167 in 10_seconds\) after 7 attempts; the window resets at /,
      );
    }
    expect(h.events.at(-1)).toMatchObject({ outcome: "failed", status: 429, retriesLeft: 0 });
    expect(c.stats()).toMatchObject({ requests: 7, retries: 6, rateLimited: 7 });
  });

  it("the same with no header at all: exponential backoff, the last wait cut to fit", async () => {
    h.server.fallback = limited();
    const result = trap.add(await client().getContact("c1"));
    expect(h.clock.sleeps).toEqual([1000, 2000, 4000, 8000, 16_000, 29_000]);
    expect(result).toMatchObject({ ok: false, error: { status: 429, attempts: 7 } });
  });

  it("the bound is the option's", async () => {
    h.server.fallback = limited({ "retry-after": "4" });
    const result = trap.add(await client({ maxRetries: 0, maxRateLimitWaitMs: 10_000 }).getContact("c1"));
    expect(h.clock.sleeps).toEqual([4000, 4000, 2000]);
    expect(result).toMatchObject({ ok: false, error: { status: 429, attempts: 4 } });
  });

  it("maxRateLimitWaitMs: 0 keeps the old behaviour (maxRetries only)", async () => {
    h.server.fallback = limited({ "retry-after": "1" });
    const result = trap.add(await client({ maxRateLimitWaitMs: 0 }).getContact("c1"));
    expect(h.server.requests).toHaveLength(3);
    expect(result).toMatchObject({ ok: false, error: { status: 429, attempts: 3 } });
  });

  it("within maxRetries a 429 is retried as before, even when its waits exceed the bound", async () => {
    h.server.fallback = limited({ "retry-after": "45" });
    const result = trap.add(await client().getContact("c1"));
    expect(h.clock.sleeps).toEqual([45_000, 45_000]);
    expect(result).toMatchObject({ ok: false, error: { attempts: 3 } });
  });

  it("maxRetries still bounds 5xx, 408, timeouts and network errors", async () => {
    h.server.fallback = { status: 503, json: { type: "error.list", errors: [{ code: "service_unavailable" }] } };
    const result = trap.add(await client({ maxRateLimitWaitMs: 600_000 }).getContact("c1"));
    expect(h.server.requests).toHaveLength(3);
    expect(result).toMatchObject({ ok: false, error: { status: 503, attempts: 3 } });
  });

  it("a 5xx after maxRetries were spent on 429s is not retried", async () => {
    h.server.script(limited({ "retry-after": "1" }), limited({ "retry-after": "1" }), {
      status: 502,
      json: { type: "error.list", errors: [{ code: "bad_gateway" }] },
    });
    const result = trap.add(await client().getContact("c1"));
    expect(h.server.requests).toHaveLength(3);
    expect(result).toMatchObject({ ok: false, error: { status: 502, attempts: 3 } });
  });

  it("an operation that is not safe to repeat is still retried on 429 (refused unprocessed), beyond maxRetries", async () => {
    h.server.script(...Array.from({ length: 4 }, () => limited({ "retry-after": "2" })), {
      status: 200,
      json: { type: "data_attribute", name: "tier" },
    });
    const result = trap.add(
      await client().createDataAttribute({ name: "tier", model: "contact", data_type: "string" }),
    );
    expect(result).toMatchObject({ ok: true, attempts: 5 });
  });
});

/**
 * One app's limit shared by several processes: a fixed-window limiter on the shared virtual clock, answering like
 * Intercom (X-RateLimit-* on every answer, 429 when the window is used up).
 */
function sharedLimit(limit: number, windowMs: number) {
  const start = h.clock.now();
  const used = new Map<number, number>();
  let refused = 0;
  const reply = (): JsonReply => {
    const window = Math.floor((h.clock.now() - start) / windowMs);
    const resetAt = Math.ceil((start + (window + 1) * windowMs) / 1000);
    const count = used.get(window) ?? 0;
    const headers = (remaining: number) => ({
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-reset": String(resetAt),
    });
    if (count >= limit) {
      refused++;
      return limited(headers(0));
    }
    used.set(window, count + 1);
    return {
      status: 200,
      delayMs: 5,
      json: { type: "contact", id: `c-${window}-${count}` },
      headers: headers(limit - count - 1),
    };
  };
  return { reply, refused: () => refused };
}

describe("several independent clients sharing one app's limit", () => {
  /**
   * Four processes, each with its own client (its own pacing, knowing nothing of the others), three concurrent calls
   * each, against 3 requests per 10 s window. The first round sends all 12 at once (no client has seen a header
   * yet), so most are refused. A call is refused at most once per window and each window lets 3 others through, so
   * no call is refused more than 4 times (~42 s of waiting on 429s, within the minute).
   */
  const run = async (extra: Partial<IntercomClientOptions>) => {
    const limit = sharedLimit(3, 10_000);
    h.server.fallback = () => limit.reply();
    const clients = Array.from({ length: 4 }, () => client(extra));
    const results = trap.add(
      await Promise.all(clients.flatMap((c, i) => Array.from({ length: 3 }, (_, j) => c.getContact(`c${i}-${j}`)))),
    );
    return { results, refused: limit.refused() };
  };

  it("all finish, waiting their turn, even with maxRetries: 0 (every retry is one beyond the count)", async () => {
    const { results, refused } = await run({ maxRetries: 0 });
    expect(results).toHaveLength(12);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    // How many are refused depends on how the answers interleave with the virtual clock; some always are, and every
    // call that was refused went on past maxRetries: 0.
    expect(refused).toBeGreaterThan(0);
    expect(sum(results.map((r) => (r.ok ? r.attempts - 1 : 0)))).toBe(refused);
  });

  it("all finish with the default maxRetries too", async () => {
    const { results } = await run({});
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it("with maxRetries alone (the old behaviour) the nine refused in the first round give up", async () => {
    const { results } = await run({ maxRetries: 0, maxRateLimitWaitMs: 0 });
    const failed = results.filter((r) => !r.ok);
    expect(failed).toHaveLength(9);
    for (const r of failed) expect(r).toMatchObject({ ok: false, error: { kind: "http", status: 429, attempts: 1 } });
  });
});

describe("a reset far in the future is not trusted", () => {
  it("pacing ignores it on successful answers: later requests do not sleep", async () => {
    const bogus = nowSeconds() + 3600;
    h.server.fallback = {
      status: 200,
      json: { type: "contact", id: "c1" },
      headers: { "x-ratelimit-limit": "167", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(bogus) },
    };
    const c = client();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(trap.add(await c.getContact(`c${i}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(h.clock.sleeps).toEqual([]);
    expect(c.stats().pacedWaits).toBe(0);
    // The answer still reports what the server said.
    expect(results[0]).toMatchObject({ rateLimit: { remaining: 0, resetAt: bogus } });
  });

  it("one window plus a second of skew ahead is still believed", async () => {
    h.server.script({
      status: 200,
      json: { id: "c1" },
      headers: {
        "x-ratelimit-limit": "167",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(nowSeconds() + 11),
      },
    });
    const c = client();
    trap.add(await c.getContact("c1"));
    trap.add(await c.getContact("c2"));
    // 11 s + 0.5 * min(20% of 11 s, 1 s).
    expect(h.clock.sleeps).toEqual([11_500]);
  });

  it("a 429 waits one window for it, not the minute it names", async () => {
    h.server.script(
      limited({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(nowSeconds() + 3600) }),
      contact,
    );
    const result = trap.add(await client().getContact("c1"));
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(h.clock.sleeps).toEqual([10_500]);
  });

  it("Retry-After is still taken as given (up to maxDelayMs)", async () => {
    h.server.script(limited({ "retry-after": "30", "x-ratelimit-reset": String(nowSeconds() + 3600) }), contact);
    trap.add(await client().getContact("c1"));
    expect(h.clock.sleeps).toEqual([30_000]);
  });
});

describe("events a frontend can show", () => {
  it("a pacing sleep longer than a quarter second is announced before it starts", async () => {
    const reset = nowSeconds() + 6;
    h.server.script({
      status: 200,
      json: { id: "c1" },
      headers: { "x-ratelimit-limit": "167", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
    });
    const sleepsWhenAnnounced: number[] = [];
    const c = client({
      onEvent: (e) => {
        h.events.push(trap.add(e));
        if (e.outcome === "wait") sleepsWhenAnnounced.push(h.clock.sleeps.length);
      },
    });
    trap.add(await c.getContact("c1"));
    trap.add(await c.updateContact("c2", { name: "Ada" }));
    const wait = h.events.find((e) => e.outcome === "wait");
    expect(wait).toMatchObject({
      method: "PUT",
      path: "/contacts/c2",
      attempt: 1,
      status: null,
      outcome: "wait",
      reason: "pacing",
      delayMs: 6500,
      retriesLeft: 2,
    });
    expect(sleepsWhenAnnounced).toEqual([0]);
    expect(h.clock.sleeps).toEqual([6500]);
    expect(describeRequestEvent(wait as RequestEvent)).toBe("waiting 6.5 s for Intercom's rate-limit window");
    expect(h.events.map((e) => e.outcome)).toEqual(["ok", "wait", "ok"]);
  });

  it("a short pacing sleep is not announced", async () => {
    h.clock.advance(800);
    h.server.script({
      status: 200,
      json: { id: "c1" },
      headers: {
        "x-ratelimit-limit": "167",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(nowSeconds() + 1),
      },
    });
    const c = client();
    trap.add(await c.getContact("c1"));
    trap.add(await c.getContact("c2"));
    // 200 ms to the reset + 0.5 * 40 ms jitter.
    expect(h.clock.sleeps).toEqual([220]);
    expect(h.events.map((e) => e.outcome)).toEqual(["ok", "ok"]);
  });

  it.each([
    [
      "429",
      limited({ "retry-after": "8" }),
      "rate_limited",
      "PUT /contacts/abc: 429 rate limited, retrying in 8 s (attempt 2 of 3)",
    ],
    [
      "503",
      { status: 503, json: { type: "error.list", errors: [{ code: "service_unavailable" }] } },
      "server_error",
      "PUT /contacts/abc: 503 service unavailable, retrying in 1 s (attempt 2 of 3)",
    ],
    [
      "408",
      { status: 408, json: { type: "error.list", errors: [{ code: "request_timeout" }] } },
      "timeout",
      "PUT /contacts/abc: 408 request timeout, retrying in 1 s (attempt 2 of 3)",
    ],
    [
      "a 200 that is not JSON",
      { status: 200, raw: "<html>proxy</html>" },
      "server_error",
      "PUT /contacts/abc: 200 with a body that is not JSON, retrying in 1 s (attempt 2 of 3)",
    ],
    [
      "a reset connection",
      "reset" as const,
      "network",
      "PUT /contacts/abc: could not reach Intercom, retrying in 1 s (attempt 2 of 3)",
    ],
  ] as const)("a retry after %s says why, when and how often", async (_name, first, reason, line) => {
    h.server.script(first, contact);
    const result = trap.add(await client().updateContact("abc", { name: "Ada" }));
    expect(result.ok).toBe(true);
    expect(h.events[0]).toMatchObject({ outcome: "retry", reason, retriesLeft: 1, attempt: 1 });
    expect(trap.add(describeRequestEvent(h.events[0] as RequestEvent))).toBe(line);
    expect(h.events[1]).toMatchObject({ outcome: "ok", retriesLeft: 1 });
    expect(describeRequestEvent(h.events[1] as RequestEvent)).toBeNull();
  });

  it("a retry after no answer in time names the limit", async () => {
    h.server.script("hang", contact);
    const result = trap.add(await client({ timeoutMs: 200 }).createOrUpdateCompany({ company_id: "acme" }));
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(h.events[0]).toMatchObject({ outcome: "retry", reason: "timeout", status: null, timeoutMs: 200 });
    expect(describeRequestEvent(h.events[0] as RequestEvent)).toBe(
      "POST /companies: no answer within 0.2 s, retrying in 1 s (attempt 2 of 3)",
    );
  });

  it("429 retries beyond maxRetries say so without a total", async () => {
    h.server.script(...Array.from({ length: 3 }, () => limited({ "retry-after": "3" })), contact);
    trap.add(await client().getContact("c1"));
    expect(h.events.map((e) => describeRequestEvent(e))).toEqual([
      "GET /contacts/c1: 429 rate limited, retrying in 3 s (attempt 2 of 3)",
      "GET /contacts/c1: 429 rate limited, retrying in 3 s (attempt 3 of 3)",
      "GET /contacts/c1: 429 rate limited, retrying in 3 s (attempt 4)",
      null,
    ]);
  });
});

it("nothing collected in this file contains the token", () => {
  expect(trap.count()).toBeGreaterThan(40);
  trap.assertClean();
});
