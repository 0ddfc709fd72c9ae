/**
 * Every timer the sandbox starts (latency, slow bodies), so `stop()` can cancel them all and wake whoever waits.
 */
export class Delays {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiting = new Set<() => void>();
  private stoppedFlag = false;

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  /** Resolves after `ms` (at once for 0), or as soon as `stopAll()` is called. */
  wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.waiting.delete(resolve);
        resolve();
      }, ms);
      this.timers.add(t);
      this.waiting.add(resolve);
    });
  }

  /** Runs `fn` after `ms` unless stopped first. */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Cancels every timer and wakes every waiter (they see `stopped` and drop their response). */
  stopAll(): void {
    this.stoppedFlag = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const wake of this.waiting) wake();
    this.waiting.clear();
  }
}
