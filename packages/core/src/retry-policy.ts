import type { RateLimitInfo } from "./types.js";

/** 408, 429 and every 5xx: answers that say "try again", the set the official SDK retries too. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Retry-After as milliseconds from `now`: either delta-seconds ("120", decimals tolerated) or an HTTP date.
 * A date in the past means "now" (0). Unparseable values are null so the next delay source is used.
 */
export function parseRetryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed === "") return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // HTTP dates (IMF-fixdate, RFC 850, asctime) start with a day name and carry hh:mm:ss; Date.parse alone would
  // also accept "-1" or "2".
  if (!/^[A-Za-z]{3,9},?\s.*\d{2}:\d{2}:\d{2}/.test(trimmed)) return null;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

function intHeader(value: string | null): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) ? n : null;
}

export interface HeaderSource {
  get(name: string): string | null;
}

export function parseRateLimit(headers: HeaderSource): RateLimitInfo {
  return {
    limit: intHeader(headers.get("x-ratelimit-limit")),
    remaining: intHeader(headers.get("x-ratelimit-remaining")),
    resetAt: intHeader(headers.get("x-ratelimit-reset")),
  };
}

export type DelaySource = "retry-after" | "rate-limit-reset" | "backoff";

export interface RetryDelayInput {
  /** 0 for the first retry, 1 for the second... */
  retry: number;
  /** Milliseconds since the epoch (the injected clock). */
  now: number;
  /** Raw Retry-After header, or null. */
  retryAfter: string | null;
  /** X-RateLimit-Reset in Unix seconds, or null. */
  resetAt: number | null;
  maxDelayMs: number;
  /** In [0, 1). */
  random: () => number;
}

export interface RetryDelay {
  ms: number;
  source: DelaySource;
}

/**
 * Intercom spreads each minute's limit over 10-second windows, so an honest X-RateLimit-Reset is at most one window
 * ahead. One further ahead (a proxy's, a bug's, a clock gone wrong) is not trusted: pacing ignores it, and a 429 waits
 * at most one window for it.
 */
export const RATE_LIMIT_WINDOW_MS = 10_000;
/** How far our clock and Intercom's may disagree before a reset counts as too far ahead. */
export const RESET_SKEW_MS = 1_000;

/** Whether X-RateLimit-Reset (Unix seconds) is at most one window (plus skew) ahead of `now` (ms). */
export function isPlausibleReset(resetAt: number, now: number): boolean {
  return resetAt * 1000 - now <= RATE_LIMIT_WINDOW_MS + RESET_SKEW_MS;
}

/** Jitter added on top of a wait until X-RateLimit-Reset: up to 20% of the wait, never more than one second. */
export const RESET_JITTER_RATIO = 0.2;
export const RESET_JITTER_MAX_MS = 1000;
export const BACKOFF_BASE_MS = 1000;
/** Exponential backoff is spread by +-10% so retries of concurrent requests do not line up. */
export const BACKOFF_JITTER_RATIO = 0.1;

/**
 * How long to wait before retry number `retry + 1`:
 * 1. Retry-After (seconds or HTTP date), taken as is: the server said exactly when.
 * 2. X-RateLimit-Reset, when it is in the future: wait until then plus a little jitter so clients sharing a window
 *    do not all arrive in its first millisecond. A reset more than one window (plus skew) ahead is not believed:
 *    the wait is one window.
 * 3. Otherwise 1 s * 2^retry, +-10%.
 * Every delay is capped by maxDelayMs.
 */
export function computeRetryDelay(input: RetryDelayInput): RetryDelay {
  const cap = (ms: number) => Math.max(0, Math.min(Math.round(ms), input.maxDelayMs));
  const retryAfter = parseRetryAfterMs(input.retryAfter, input.now);
  if (retryAfter !== null) return { ms: cap(retryAfter), source: "retry-after" };
  if (input.resetAt !== null) {
    const until = input.resetAt * 1000 - input.now;
    const wait = isPlausibleReset(input.resetAt, input.now) ? until : RATE_LIMIT_WINDOW_MS;
    if (until > 0) {
      const jitter = input.random() * Math.min(wait * RESET_JITTER_RATIO, RESET_JITTER_MAX_MS);
      return { ms: cap(wait + jitter), source: "rate-limit-reset" };
    }
  }
  const base = BACKOFF_BASE_MS * 2 ** input.retry;
  const spread = 1 - BACKOFF_JITTER_RATIO + 2 * BACKOFF_JITTER_RATIO * input.random();
  return { ms: cap(base * spread), source: "backoff" };
}
