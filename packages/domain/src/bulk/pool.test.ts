import { describe, expect, it } from "vitest";
import { runKeyedPool } from "./pool.js";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("runKeyedPool", () => {
  it("never runs more than `concurrency` at once, and runs same-key items one after another in order", async () => {
    const log: string[] = [];
    let inFlight = 0;
    let most = 0;
    const items = ["a1", "b1", "a2", "c1", "a3", "b2"];
    await runKeyedPool(items, {
      concurrency: 3,
      keyOf: (i) => i[0] as string,
      firstAlone: false,
      stopped: () => false,
      run: async (i) => {
        inFlight++;
        most = Math.max(most, inFlight);
        log.push(`start ${i}`);
        await tick(5);
        log.push(`end ${i}`);
        inFlight--;
      },
      skip: () => {
        throw new Error("nothing is skipped");
      },
    });
    expect(most).toBeLessThanOrEqual(3);
    for (const [x, y] of [
      ["a1", "a2"],
      ["a2", "a3"],
      ["b1", "b2"],
    ]) {
      expect(log.indexOf(`end ${x}`)).toBeLessThan(log.indexOf(`start ${y}`));
    }
  });

  it("runs the first item alone when asked", async () => {
    const log: string[] = [];
    await runKeyedPool([1, 2, 3], {
      concurrency: 3,
      keyOf: String,
      firstAlone: true,
      stopped: () => false,
      run: async (i) => {
        log.push(`start ${i}`);
        await tick(3);
        log.push(`end ${i}`);
      },
      skip: () => {},
    });
    expect(log.slice(0, 2)).toEqual(["start 1", "end 1"]);
  });

  it("once stopped, starts nothing new and skips the rest in order", async () => {
    let stop = false;
    const ran: number[] = [];
    const skipped: number[] = [];
    await runKeyedPool([1, 2, 3, 4, 5], {
      concurrency: 1,
      keyOf: String,
      firstAlone: false,
      stopped: () => stop,
      run: async (i) => {
        ran.push(i);
        if (i === 2) stop = true;
      },
      skip: (i) => skipped.push(i),
    });
    expect(ran).toEqual([1, 2]);
    expect(skipped).toEqual([3, 4, 5]);
  });

  it("a throwing run stops the pool, lets the others finish, and throws the first error", async () => {
    const finished: number[] = [];
    await expect(
      runKeyedPool([1, 2, 3, 4], {
        concurrency: 2,
        keyOf: String,
        firstAlone: false,
        stopped: () => false,
        run: async (i) => {
          if (i === 1) {
            await tick(1);
            throw new Error("journal broken");
          }
          await tick(5);
          finished.push(i);
        },
        skip: () => {
          throw new Error("nothing is skipped after a failure");
        },
      }),
    ).rejects.toThrow("journal broken");
    expect(finished).toEqual([2]);
  });
});
