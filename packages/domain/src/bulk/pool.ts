/**
 * The keyed pool a bulk run uses: at most `concurrency` items at once, items with the same key one after another in
 * the order given, and (optionally) the first item alone before the others start. No I/O, no knowledge of rows.
 */

export interface KeyedPoolOptions<T> {
  concurrency: number;
  /** Items with the same key never overlap, and run in the order given. */
  keyOf(item: T): string;
  /** Only the first item runs until it is done, then the rest (a fresh client learns the rate-limit budget first). */
  firstAlone: boolean;
  /** Checked before each item starts: once true, no new item starts. */
  stopped(): boolean;
  run(item: T): Promise<void>;
  /** Called, in order, for each item that never started because the pool stopped. */
  skip(item: T): void;
}

/**
 * Runs every item (or skips it once stopped). Resolves when all are done or skipped; if `run` throws, no new item
 * starts or is skipped, the ones in flight finish, and the first error is thrown.
 */
export async function runKeyedPool<T>(items: readonly T[], options: KeyedPoolOptions<T>): Promise<void> {
  const chains = new Map<string, Promise<void>>();
  let next = 0;
  let failure: unknown;
  let failed = false;
  let markFirstDone!: () => void;
  const firstDone = new Promise<void>((resolve) => {
    markFirstDone = resolve;
  });
  const halted = () => failed || options.stopped();

  const worker = async (): Promise<void> => {
    try {
      while (next < items.length && !halted()) {
        const item = items[next++] as T;
        const key = options.keyOf(item);
        const before = chains.get(key);
        let release!: () => void;
        const mine = new Promise<void>((resolve) => {
          release = resolve;
        });
        chains.set(key, mine);
        try {
          if (before) await before;
          // After a failure the pool throws: nothing more is reported, run or skipped.
          if (failed) return;
          if (options.stopped()) options.skip(item);
          else await options.run(item);
        } catch (error) {
          if (!failed) {
            failed = true;
            failure = error;
          }
        } finally {
          release();
          if (chains.get(key) === mine) chains.delete(key);
          markFirstDone();
        }
      }
    } finally {
      markFirstDone();
    }
  };

  const width = Math.min(options.concurrency, Math.max(1, items.length));
  const first = worker();
  const rest = (options.firstAlone ? firstDone : Promise.resolve()).then(() =>
    Promise.all(Array.from({ length: width - 1 }, () => worker())),
  );
  await Promise.all([first, rest]);
  if (failed) throw failure;
  while (next < items.length) options.skip(items[next++] as T);
}

/** A small unbounded queue an async generator can wait on. */
export function channel<T>() {
  const items: T[] = [];
  let wake: (() => void) | null = null;
  return {
    push(item: T) {
      items.push(item);
      wake?.();
      wake = null;
    },
    take(): T | undefined {
      return items.shift();
    },
    get size() {
      return items.length;
    },
    wait(): Promise<void> {
      if (items.length > 0) return Promise.resolve();
      return new Promise((resolve) => {
        wake = resolve;
      });
    },
  };
}
