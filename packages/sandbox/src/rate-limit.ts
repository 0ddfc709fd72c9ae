/**
 * Intercom's rate limit: a per-minute allowance "evenly distributed into 10 second windows". Windows are aligned
 * to Unix time (…0, …10, …20 s). The per-window allowance is ceil(perMinute / 6): 1000/min gives 167, as the
 * current Intercom page says (an older page said 166), and a tiny limit never rounds down to 0.
 */

export const WINDOW_SECONDS = 10;

export function perWindow(perMinute: number): number {
  return Math.max(1, Math.ceil(perMinute / 6));
}

export interface RateLimitVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds at which the current window ends. */
  reset: number;
}

export class RateLimiter {
  private windowStart = -1;
  private count = 0;
  readonly limit: number;

  constructor(perMinute: number) {
    this.limit = perWindow(perMinute);
  }

  /** Counts one request at `nowMs`; requests refused with 429 are not counted. */
  take(nowMs: number): RateLimitVerdict {
    const now = Math.floor(nowMs / 1000);
    const start = now - (((now % WINDOW_SECONDS) + WINDOW_SECONDS) % WINDOW_SECONDS);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.count = 0;
    }
    const reset = start + WINDOW_SECONDS;
    if (this.count >= this.limit) return { allowed: false, limit: this.limit, remaining: 0, reset };
    this.count++;
    return { allowed: true, limit: this.limit, remaining: this.limit - this.count, reset };
  }

  /** The headers for a response that did not go through `take` (e.g. an injected 429). */
  peek(nowMs: number): RateLimitVerdict {
    const now = Math.floor(nowMs / 1000);
    const start = now - (((now % WINDOW_SECONDS) + WINDOW_SECONDS) % WINDOW_SECONDS);
    const count = start === this.windowStart ? this.count : 0;
    return {
      allowed: true,
      limit: this.limit,
      remaining: Math.max(0, this.limit - count),
      reset: start + WINDOW_SECONDS,
    };
  }
}
