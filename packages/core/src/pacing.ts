import { isPlausibleReset, RESET_JITTER_MAX_MS, RESET_JITTER_RATIO } from "./retry-policy.js";
import type { Clock, RateLimitInfo } from "./types.js";

export interface Pacer {
  /** Takes a slot at once if the budget allows (no promise, no wait); false means call `acquire`. */
  tryAcquire(): boolean;
  /**
   * Resolves once a request may go out, counting it as in flight; true when it had to wait.
   * Rejects with the signal's reason when the caller aborts while waiting. `retrying`: the caller has just waited
   * out a retry delay (Retry-After, the reset, or a capped wait), so it does not wait for the reset a second time.
   * `onWait` hears of each timed wait (until the reset) just before it starts.
   */
  acquire(signal?: AbortSignal, retrying?: boolean, onWait?: (ms: number) => void): Promise<boolean>;
  /** The request is over; `seen` are the rate-limit headers of its answer (null when there was none). */
  release(seen: RateLimitInfo | null): void;
  snapshot(): RateLimitInfo;
}

export interface PacerOptions {
  clock: Clock;
  random: () => number;
  maxDelayMs: number;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/**
 * Shared pacing for all requests of one client.
 *
 * Budget: the latest X-RateLimit-Remaining while its window (X-RateLimit-Reset) lasts; once the window is over, the
 * last X-RateLimit-Limit; unlimited while no header has been seen. Requests in flight count against the budget, so
 * N concurrent calls with Remaining: 3 send 3 and let the others wait for an answer (which brings fresh headers)
 * instead of collecting 429s. With no budget left the waiters sleep until the reset (plus a little jitter, capped by
 * maxDelayMs). One request may always go when nothing is in flight, so a stale or odd header never deadlocks.
 * Answers whose reset lies more than one window ahead are ignored: such a reset would park every request for
 * maxDelayMs.
 */
export function createPacer(options: PacerOptions): Pacer {
  const { clock, random, maxDelayMs } = options;
  let limit: number | null = null;
  let remaining: number | null = null;
  let resetAt: number | null = null;
  let inFlight = 0;
  const waiters = new Set<() => void>();

  function budgetAt(now: number): number {
    if (remaining === null || resetAt === null) return Number.POSITIVE_INFINITY;
    if (now >= resetAt * 1000) return limit ?? Number.POSITIVE_INFINITY;
    return remaining;
  }

  function waitForRelease(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        waiters.delete(wake);
        reject(abortError(signal as AbortSignal));
      };
      const wake = () => {
        waiters.delete(wake);
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      waiters.add(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  function update(seen: RateLimitInfo): void {
    if (seen.resetAt !== null) {
      if (!isPlausibleReset(seen.resetAt, clock.now())) return;
      if (resetAt === null || seen.resetAt > resetAt) {
        // A newer window: take it whole.
        resetAt = seen.resetAt;
        remaining = seen.remaining;
        limit = seen.limit ?? limit;
      } else if (seen.resetAt === resetAt) {
        // Same window, answers arriving out of order: the smallest Remaining is the most recent truth.
        if (seen.remaining !== null)
          remaining = remaining === null ? seen.remaining : Math.min(remaining, seen.remaining);
        limit = seen.limit ?? limit;
      }
      // An older window (a slow answer) tells nothing new.
    } else if (seen.remaining !== null || seen.limit !== null) {
      remaining = seen.remaining ?? remaining;
      limit = seen.limit ?? limit;
    }
  }

  return {
    tryAcquire() {
      if (inFlight < budgetAt(clock.now())) {
        inFlight++;
        return true;
      }
      return false;
    },
    async acquire(signal, retrying = false, onWait) {
      let waited = false;
      // The window (its reset) this caller has already waited out: it does not wait for the same one twice.
      let waitedOut = retrying ? resetAt : null;
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        const now = clock.now();
        const budget = budgetAt(now);
        const alreadyWaited = waitedOut !== null && waitedOut === resetAt;
        if (inFlight < budget || (inFlight === 0 && alreadyWaited)) {
          inFlight++;
          return waited;
        }
        waited = true;
        const windowOpen = resetAt !== null && now < resetAt * 1000;
        if (budget <= 0 && windowOpen && !alreadyWaited) {
          const wait = (resetAt as number) * 1000 - now;
          const jitter = random() * Math.min(wait * RESET_JITTER_RATIO, RESET_JITTER_MAX_MS);
          waitedOut = resetAt;
          const ms = Math.min(Math.round(wait + jitter), maxDelayMs);
          onWait?.(ms);
          await clock.sleep(ms, signal);
        } else if (inFlight > 0) {
          await waitForRelease(signal);
        } else {
          // Nothing in flight, no budget, and this window was waited out (or is over): let one request probe.
          inFlight++;
          return waited;
        }
      }
    },
    release(seen) {
      inFlight = Math.max(0, inFlight - 1);
      if (seen) update(seen);
      if (waiters.size > 0) for (const wake of [...waiters]) wake();
    },
    snapshot() {
      return { limit, remaining, resetAt };
    },
  };
}
