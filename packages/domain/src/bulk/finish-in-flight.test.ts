/** Ctrl-C in a terminal: no new row starts, and rows in flight end with their real outcome, journaled as such. */
import { describe, expect, it } from "vitest";
import type { IntercomClient, UpdateUserOutput } from "../types.js";
import { memoryJournal } from "./journal.js";
import { type BulkRowResult, type UpdateUserFn, updateUsers } from "./run.js";

const client = {
  rateLimit: () => ({ limit: 100, remaining: 100, resetAt: 1 }),
  stats: () => ({ requests: 0, retries: 0, rateLimited: 0, pacedWaits: 0 }),
} as unknown as IntercomClient;

/** Each row takes 30 ms; an aborted signal makes it end "aborted", as the real action does. */
const slowUpdate: UpdateUserFn = async (_client, input, options) => {
  await new Promise((resolve) => setTimeout(resolve, 30));
  if (options?.signal?.aborted)
    return { ok: false, error: { kind: "aborted", message: "Cancelled", hint: "", requestId: null } };
  const user = { id: input.intercomId } as UpdateUserOutput;
  return { ok: true, outcome: "applied", user, applied: [], changes: [], notes: [] };
};

const rows = Array.from({ length: 12 }, (_, i) => ({ intercomId: `c${i + 1}`, name: `n${i + 1}` }));

async function run(finishInFlight: boolean) {
  const controller = new AbortController();
  const journal = memoryJournal();
  const results: BulkRowResult[] = [];
  setTimeout(() => controller.abort(), 45); // while the second wave of rows is in flight
  for await (const r of updateUsers(client, rows, {
    updateUser: slowUpdate,
    concurrency: 3,
    signal: controller.signal,
    journal,
    finishInFlight,
  })) {
    results.push(r);
  }
  return { results, entries: journal.entries() };
}

describe("updateUsers finishInFlight", () => {
  it("stops starting rows and lets the rows in flight finish as applied", async () => {
    const { results, entries } = await run(true);
    expect(results).toHaveLength(12);
    const failed = results.filter((r) => r.status === "failed");
    expect(failed).toEqual([]);
    const applied = results.filter((r) => r.status === "applied").map((r) => r.row);
    expect(applied.length).toBeGreaterThan(1);
    expect(applied.length).toBeLessThan(12);
    expect(results.filter((r) => r.status === "skipped")).toHaveLength(12 - applied.length);
    // The journal says applied for exactly those rows: what a resume will skip.
    expect(
      entries
        .filter((e) => e.status === "applied")
        .map((e) => e.row)
        .sort((a, b) => a - b),
    ).toEqual([...applied].sort((a, b) => a - b));
  });

  it("by default the rows in flight are aborted", async () => {
    const { results } = await run(false);
    expect(results.some((r) => r.status === "failed")).toBe(true);
  });
});
