import { describe, expect, it } from "vitest";
import { computeRetryDelay, isRetryableStatus, parseRetryAfterMs, type RetryDelayInput } from "../src/index.js";
import { parseRateLimit } from "../src/retry-policy.js";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const S = Math.floor(NOW / 1000);
const base: RetryDelayInput = {
  retry: 0,
  now: NOW,
  retryAfter: null,
  resetAt: null,
  maxDelayMs: 60_000,
  random: () => 0.5,
};

describe("computeRetryDelay", () => {
  it.each<[string, Partial<RetryDelayInput>, { ms: number; source: string }]>([
    ["backoff, first retry", {}, { ms: 1000, source: "backoff" }],
    ["backoff, second retry", { retry: 1 }, { ms: 2000, source: "backoff" }],
    ["backoff, fifth retry", { retry: 4 }, { ms: 16_000, source: "backoff" }],
    ["backoff jitter low end (-10%)", { random: () => 0 }, { ms: 900, source: "backoff" }],
    ["backoff jitter high end (+10%)", { retry: 1, random: () => 0.999999 }, { ms: 2200, source: "backoff" }],
    ["backoff capped", { retry: 10, maxDelayMs: 30_000 }, { ms: 30_000, source: "backoff" }],
    ["Retry-After seconds", { retryAfter: "7" }, { ms: 7000, source: "retry-after" }],
    ["Retry-After decimal seconds", { retryAfter: "1.5" }, { ms: 1500, source: "retry-after" }],
    ["Retry-After 0", { retryAfter: "0" }, { ms: 0, source: "retry-after" }],
    ["Retry-After date", { retryAfter: new Date(NOW + 9000).toUTCString() }, { ms: 9000, source: "retry-after" }],
    [
      "Retry-After date in the past",
      { retryAfter: new Date(NOW - 9000).toUTCString() },
      { ms: 0, source: "retry-after" },
    ],
    ["Retry-After capped", { retryAfter: "3600" }, { ms: 60_000, source: "retry-after" }],
    ["Retry-After wins over reset", { retryAfter: "2", resetAt: S + 8 }, { ms: 2000, source: "retry-after" }],
    [
      "Retry-After garbage falls through to reset",
      { retryAfter: "soon", resetAt: S + 8 },
      { ms: 8500, source: "rate-limit-reset" },
    ],
    ["reset: wait + 0.5 * min(20%, 1 s)", { resetAt: S + 2 }, { ms: 2200, source: "rate-limit-reset" }],
    [
      "reset: jitter at most 1 s",
      { resetAt: S + 10, random: () => 0.999999 },
      { ms: 11_000, source: "rate-limit-reset" },
    ],
    ["reset: no jitter at random 0", { resetAt: S + 10, random: () => 0 }, { ms: 10_000, source: "rate-limit-reset" }],
    ["reset now or past: backoff", { resetAt: S }, { ms: 1000, source: "backoff" }],
    [
      "reset 11 s ahead (one window plus skew): believed",
      { resetAt: S + 11 },
      { ms: 11_500, source: "rate-limit-reset" },
    ],
    ["reset 12 s ahead: not believed, one window", { resetAt: S + 12 }, { ms: 10_500, source: "rate-limit-reset" }],
    ["reset an hour ahead: one window", { resetAt: S + 3600 }, { ms: 10_500, source: "rate-limit-reset" }],
    ["reset capped by maxDelayMs", { resetAt: S + 8, maxDelayMs: 5000 }, { ms: 5000, source: "rate-limit-reset" }],
    ["maxDelayMs 0 means retry at once", { retry: 3, maxDelayMs: 0 }, { ms: 0, source: "backoff" }],
  ])("%s", (_name, given, want) => {
    expect(computeRetryDelay({ ...base, ...given })).toEqual(want);
  });
});

describe("parseRetryAfterMs", () => {
  it.each<[string | null, number | null]>([
    [null, null],
    ["", null],
    ["  12 ", 12_000],
    ["-1", null],
    ["1e3", null],
    ["Wed, 26 Nov 2026 12:00:30 GMT", 30_000],
    ["not a date", null],
  ])("%j -> %j", (given, want) => {
    expect(parseRetryAfterMs(given, NOW)).toBe(want);
  });
});

describe("isRetryableStatus", () => {
  it.each([
    [408, true],
    [429, true],
    [500, true],
    [501, true],
    [502, true],
    [503, true],
    [504, true],
    [599, true],
    [200, false],
    [301, false],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
    [410, false],
    [422, false],
  ])("%i -> %s", (status, want) => {
    expect(isRetryableStatus(status)).toBe(want);
  });
});

describe("parseRateLimit", () => {
  it.each<[Record<string, string>, { limit: number | null; remaining: number | null; resetAt: number | null }]>([
    [{}, { limit: null, remaining: null, resetAt: null }],
    [
      { "x-ratelimit-limit": "167", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1487332520" },
      { limit: 167, remaining: 0, resetAt: 1487332520 },
    ],
    [
      { "x-ratelimit-remaining": "-3", "x-ratelimit-reset": "soon" },
      { limit: null, remaining: null, resetAt: null },
    ],
  ])("%j", (headers, want) => {
    expect(parseRateLimit(new Headers(headers))).toEqual(want);
  });
});
