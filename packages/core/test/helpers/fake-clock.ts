import type { Clock } from "../../src/types.js";

export interface FakeClock extends Clock {
  /** Every sleep asked for, in milliseconds, in order. */
  sleeps: number[];
  advance(ms: number): void;
}

/** Virtual time: sleeps resolve at once (after a macrotask) and move `now` to when they would have ended. */
export function fakeClock(start = Date.UTC(2026, 10, 26, 12, 0, 0)): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      const target = now + ms;
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw signal.reason;
      now = Math.max(now, target);
    },
  };
}
