import { describe, expect, it } from "vitest";
import { describeRequestEvent, type RequestEvent } from "../src/index.js";

const base: RequestEvent = {
  method: "PUT",
  path: "/contacts/abc",
  attempt: 1,
  status: 200,
  requestId: "req-1",
  durationMs: 120,
  outcome: "ok",
  retriesLeft: 2,
  rateLimit: { limit: 167, remaining: 100, resetAt: 1_795_694_410 },
};

describe("describeRequestEvent", () => {
  it.each<[string, Partial<RequestEvent>, string | null]>([
    ["an answer", {}, null],
    ["giving up", { outcome: "failed", status: 500, retriesLeft: 0 }, null],
    [
      "a 429 with a bounded retry",
      { outcome: "retry", status: 429, reason: "rate_limited", delayMs: 8000, retriesLeft: 1 },
      "PUT /contacts/abc: 429 rate limited, retrying in 8 s (attempt 2 of 3)",
    ],
    [
      "a 429 beyond maxRetries",
      { outcome: "retry", attempt: 5, status: 429, reason: "rate_limited", delayMs: 10_500, retriesLeft: null },
      "PUT /contacts/abc: 429 rate limited, retrying in 11 s (attempt 6)",
    ],
    [
      "a timeout",
      {
        method: "POST",
        path: "/companies",
        outcome: "retry",
        status: null,
        requestId: null,
        reason: "timeout",
        timeoutMs: 20_000,
        delayMs: 1000,
        retriesLeft: 1,
      },
      "POST /companies: no answer within 20 s, retrying in 1 s (attempt 2 of 3)",
    ],
    [
      "a timeout whose limit is not known",
      { outcome: "retry", status: null, reason: "timeout", delayMs: 2000, attempt: 2, retriesLeft: 0 },
      "PUT /contacts/abc: no answer in time, retrying in 2 s (attempt 3 of 3)",
    ],
    [
      "a 502",
      { outcome: "retry", status: 502, reason: "server_error", delayMs: 1100, retriesLeft: 4 },
      "PUT /contacts/abc: 502 bad gateway, retrying in 1.1 s (attempt 2 of 6)",
    ],
    [
      "an unlisted 5xx",
      { outcome: "retry", status: 599, reason: "server_error", delayMs: 900, retriesLeft: 1 },
      "PUT /contacts/abc: 599 server error, retrying in 0.9 s (attempt 2 of 3)",
    ],
    [
      "a network error",
      { outcome: "retry", status: null, reason: "network", delayMs: 1000, retriesLeft: 1 },
      "PUT /contacts/abc: could not reach Intercom, retrying in 1 s (attempt 2 of 3)",
    ],
    [
      "a pacing wait",
      { outcome: "wait", status: null, reason: "pacing", delayMs: 6000 },
      "waiting 6 s for Intercom's rate-limit window",
    ],
    [
      "a long pacing wait",
      { outcome: "wait", status: null, reason: "pacing", delayMs: 12_400 },
      "waiting 12 s for Intercom's rate-limit window",
    ],
  ])("%s", (_name, change, want) => {
    expect(describeRequestEvent({ ...base, ...change })).toBe(want);
  });

  it("shows neither the request id nor the rate-limit numbers (only what a person acts on)", () => {
    const line = describeRequestEvent({
      ...base,
      outcome: "retry",
      status: 503,
      reason: "server_error",
      delayMs: 1000,
    });
    expect(line).not.toContain("req-1");
    expect(line).not.toContain("167");
  });
});
