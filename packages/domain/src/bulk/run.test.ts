/**
 * Runner logic with an injected updateUser (house rule: updateUser is a parameter). HTTP behaviour (pacing, retries,
 * company upserts on the wire, SIGKILL + resume) is proven against the sandbox in bulk.sandbox.test.ts.
 */
import type { IntercomClient } from "@intercom-kit/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { UpdateUserInput, UpdateUserOutput, UpdateUserResult } from "../types.js";
import { parseBulkInput } from "./input.js";
import { memoryJournal } from "./journal.js";
import {
  type BulkProgress,
  type BulkRowResult,
  type BulkSkipped,
  type UpdateUserFn,
  updateUsers,
  validateRows,
} from "./run.js";

function fakeClient(): IntercomClient {
  // Every Intercom method fails loudly: these tests inject updateUser, so no call may reach the client.
  const no = () => Promise.reject(new Error("not used by these tests"));
  const known = {
    baseUrl: "http://127.0.0.1:1",
    version: "2.15",
    rateLimit: () => ({ limit: null, remaining: null, resetAt: null }),
    stats: () => ({ requests: 0, retries: 0, rateLimited: 0, pacedWaits: 0 }),
  };
  return new Proxy(known, {
    get: (target, key) => (key in target ? target[key as keyof typeof target] : no),
  }) as unknown as IntercomClient;
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

function okResult(id: string): UpdateUserResult {
  return { ok: true, outcome: "applied", user: { id } as UpdateUserOutput, applied: [], changes: [], notes: [] };
}

/** Records calls; each call takes `delayMs`; inputs named "fail" fail. */
function recorder(delayMs = 5) {
  const calls: UpdateUserInput[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fn: UpdateUserFn = async (_client, input, options) => {
    calls.push(input);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await tick(delayMs);
      if (options?.signal?.aborted)
        return { ok: false, error: { kind: "aborted", message: "aborted", hint: "", requestId: null } };
      if (input.name === "fail")
        return { ok: false, error: { kind: "network", message: "boom", hint: "", requestId: null } };
      return okResult(input.intercomId ?? input.userId ?? "x");
    } finally {
      inFlight--;
    }
  };
  return { fn, calls, maxInFlight: () => maxInFlight };
}

async function collect(it: AsyncIterable<BulkRowResult>): Promise<BulkRowResult[]> {
  const out: BulkRowResult[] = [];
  for await (const r of it) out.push(r);
  return out;
}

const rows = (n: number, name = (i: number) => `n${i}`) =>
  Array.from({ length: n }, (_, i) => ({ intercomId: `c${i + 1}`, name: name(i + 1) }));

describe("validateRows", () => {
  it("reports every invalid row with its number and the field", () => {
    const parsed = parseBulkInput("user-id,new-email,unsubscribed\n1,ok@example.com,\n2,nope,\n,x@example.com,maybe\n");
    if (!parsed.ok) throw new Error("parse");
    const { valid, invalid } = validateRows(parsed.rows);
    expect(valid.map((v) => v.source.row)).toEqual([1]);
    expect(invalid.map((i) => [i.source.row, i.source.line, i.errors.map((e) => e.field)])).toEqual([
      [2, 3, ["email"]],
      [3, 4, ["unsubscribedFromEmails", "input"]],
    ]);
  });

  it("a bad attr cell is that cell's error only, as the same text in a form or a flag would be", () => {
    const parsed = parseBulkInput("user-id,attr\n25,plan\n");
    if (!parsed.ok) throw new Error("parse");
    const { invalid } = validateRows(parsed.rows);
    expect(invalid[0]?.errors.map((e) => [e.field, e.message])).toEqual([
      ["customAttributes", '"plan" must look like name=value'],
    ]);
  });
});

describe("updateUsers (runner)", () => {
  it("stops before sending anything when a row is invalid, reporting it and marking the rest not sent", async () => {
    const rec = recorder();
    const results = await collect(
      updateUsers(
        fakeClient(),
        [{ intercomId: "c1", name: "a" }, { intercomId: "c2" }, { intercomId: "c3", name: "c" }],
        {
          updateUser: rec.fn,
        },
      ),
    );
    expect(rec.calls).toEqual([]);
    expect(results.map((r) => [r.row, r.status, "skipped" in r.result ? r.result.skipped : null])).toEqual([
      [2, "skipped", "invalid"],
      [1, "skipped", "not_sent"],
      [3, "skipped", "not_sent"],
    ]);
    const invalid = results[0]?.result;
    expect(invalid && "errors" in invalid ? invalid.errors?.[0]?.message : "").toMatch(/nothing to change/);
  });

  it("skipInvalid sends the valid rows only", async () => {
    const rec = recorder();
    const results = await collect(
      updateUsers(
        fakeClient(),
        [{ intercomId: "c1", name: "a" }, { intercomId: "c2" }, { intercomId: "c3", name: "c" }],
        {
          updateUser: rec.fn,
          skipInvalid: true,
        },
      ),
    );
    expect(rec.calls.map((c) => c.intercomId).sort()).toEqual(["c1", "c3"]);
    expect(
      results
        .filter((r) => r.status === "applied")
        .map((r) => r.row)
        .sort(),
    ).toEqual([1, 3]);
    expect(results.find((r) => r.row === 2)?.status).toBe("skipped");
  });

  it("keeps at most `concurrency` rows in flight and gives every row exactly one result", async () => {
    const rec = recorder(3);
    const progress: BulkProgress[] = [];
    const results = await collect(
      updateUsers(fakeClient(), rows(40), { updateUser: rec.fn, concurrency: 5, onProgress: (p) => progress.push(p) }),
    );
    expect(rec.maxInFlight()).toBe(5);
    expect(results.map((r) => r.row).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(Math.max(...progress.map((p) => p.inFlight))).toBe(5);
    expect(progress.at(-1)).toMatchObject({ phase: "done", done: 40, applied: 40, failed: 0, inFlight: 0 });
  });

  it("runs rows for the same user in file order, never at once", async () => {
    const order: string[] = [];
    const fn: UpdateUserFn = async (_c, input) => {
      order.push(`start ${input.name}`);
      await tick(input.name === "first" ? 20 : 1);
      order.push(`end ${input.name}`);
      return okResult("c1");
    };
    await collect(
      updateUsers(
        fakeClient(),
        [
          { intercomId: "c1", name: "first" },
          { intercomId: "c2", name: "other" },
          { intercomId: "c1", name: "second" },
        ],
        { updateUser: fn, concurrency: 3 },
      ),
    );
    expect(order.indexOf("start second")).toBeGreaterThan(order.indexOf("end first"));
  });

  it("journals started before sending and the outcome after; failures keep their kind", async () => {
    const journal = memoryJournal();
    const seenAtCall: string[] = [];
    const fn: UpdateUserFn = async (c, input, o) => {
      seenAtCall.push(journal.entries().at(-1)?.status ?? "none");
      return recorder(0).fn(c, input, o);
    };
    const results = await collect(
      updateUsers(
        fakeClient(),
        [
          { intercomId: "c1", name: "ok" },
          { intercomId: "c2", name: "fail" },
        ],
        {
          updateUser: fn,
          journal,
          concurrency: 1,
        },
      ),
    );
    expect(seenAtCall).toEqual(["started", "started"]);
    expect(journal.entries().map((e) => [e.row, e.status, e.kind ?? null])).toEqual([
      [1, "started", null],
      [1, "applied", null],
      [2, "started", null],
      [2, "failed", "network"],
    ]);
    expect(results.map((r) => r.status)).toEqual(["applied", "failed"]);
  });

  it("resume: skips rows the journal shows applied with the same content, re-sends started ones (flagged)", async () => {
    const input = rows(3);
    const first = memoryJournal();
    await collect(updateUsers(fakeClient(), input, { updateUser: recorder(0).fn, journal: first }));
    const entries = first.entries();
    // Pretend the process died after row 2 was started but before its outcome was written, and row 3 changed.
    const cut = entries.filter((e) => !(e.row === 2 && e.status === "applied") && e.row !== 3);
    const rec = recorder(0);
    const changed = [...input.slice(0, 2), { intercomId: "c3", name: "changed" }];
    const results = await collect(
      updateUsers(fakeClient(), changed, { updateUser: rec.fn, journal: memoryJournal(cut) }),
    );
    expect(rec.calls.map((c) => c.intercomId).sort()).toEqual(["c2", "c3"]);
    const byRow = Object.fromEntries(results.map((r) => [r.row, r]));
    expect(byRow[1]?.result).toMatchObject({ skipped: "already_applied" });
    expect(byRow[2]).toMatchObject({ status: "applied", resent: true });
    expect(byRow[3]).toMatchObject({ status: "applied" });
    expect(byRow[3]?.resent).toBeUndefined();
  });

  it("stop (Ctrl-C): rows in flight finish with their real outcome and are journalled; unsent rows are skipped", async () => {
    const controller = new AbortController();
    const journal = memoryJournal();
    const rec = recorder(30);
    const results: BulkRowResult[] = [];
    for await (const r of updateUsers(fakeClient(), rows(20), {
      updateUser: rec.fn,
      concurrency: 2,
      journal,
      signal: controller.signal,
    })) {
      results.push(r);
      if (results.length === 2) controller.abort();
    }
    expect(results).toHaveLength(20);
    expect(rec.calls.length).toBeLessThan(20);
    const sent = results.filter((r) => r.status !== "skipped");
    expect(sent).toHaveLength(rec.calls.length);
    // Nothing that was sent is reported aborted: the stop only stops new rows.
    expect(sent.every((r) => r.status === "applied")).toBe(true);
    expect(journal.entries().filter((e) => e.status === "applied")).toHaveLength(sent.length);
    expect(results.filter((r) => r.status === "skipped").length).toBe(20 - rec.calls.length);
  });

  it("abortInFlight also cancels the rows in flight", async () => {
    const stop = new AbortController();
    const rec = recorder(30);
    const results: BulkRowResult[] = [];
    for await (const r of updateUsers(fakeClient(), rows(6), {
      updateUser: rec.fn,
      concurrency: 2,
      signal: stop.signal,
      abortInFlight: stop.signal,
    })) {
      results.push(r);
      if (results.length === 2) stop.abort();
    }
    // A row in flight when the stop came ends cancelled rather than applied.
    const cancelled = results.filter((r) => "ok" in r.result && !r.result.ok && r.result.error.kind === "aborted");
    expect(cancelled.length).toBeGreaterThan(0);
  });

  it("a consumer that breaks early stops dispatch and waits for rows in flight", async () => {
    const journal = memoryJournal();
    const rec = recorder(10);
    for await (const r of updateUsers(fakeClient(), rows(30), { updateUser: rec.fn, journal, concurrency: 3 })) {
      if (r) break;
    }
    const entries = journal.entries();
    const started = entries.filter((e) => e.status === "started").length;
    expect(started).toBe(rec.calls.length);
    // Every row that was started has its outcome journaled: nothing left dangling.
    expect(entries.filter((e) => e.status !== "started").length).toBe(started);
    expect(rec.calls.length).toBeLessThan(30);
  });

  it("stops and throws when the journal cannot be written, without reporting the row done", async () => {
    const journal = memoryJournal();
    let n = 0;
    const broken = {
      ...journal,
      record: (e: Parameters<typeof journal.record>[0]) =>
        ++n === 3 ? Promise.reject(new Error("disk full")) : journal.record(e),
    };
    const results: BulkRowResult[] = [];
    await expect(async () => {
      for await (const r of updateUsers(fakeClient(), rows(5), {
        updateUser: recorder(0).fn,
        journal: broken,
        concurrency: 1,
      }))
        results.push(r);
    }).rejects.toThrow("disk full");
    expect(results.map((r) => r.row)).toEqual([1]);
  });
});

describe("types", () => {
  it("yields BulkRowResult whose result narrows to a skip or an UpdateUserResult", () => {
    const run = updateUsers(fakeClient(), [{ intercomId: "c1", name: "a" }], { updateUser: recorder(0).fn });
    expectTypeOf(run).toMatchTypeOf<AsyncIterable<BulkRowResult>>();
    // Type-level only (never called): the narrowing a consumer writes.
    const narrow = (r: BulkRowResult) => {
      if ("skipped" in r.result) expectTypeOf(r.result).toEqualTypeOf<BulkSkipped>();
      else if (r.result.ok) expectTypeOf(r.result.user.id).toEqualTypeOf<string>();
      else expectTypeOf(r.result.error.kind).toMatchTypeOf<string>();
    };
    expectTypeOf(narrow).parameter(0).toEqualTypeOf<BulkRowResult>();
    // @ts-expect-error concurrency is a number
    updateUsers(fakeClient(), [], { concurrency: "8" });
    // @ts-expect-error rows are inputs or parsed rows, not strings
    updateUsers(fakeClient(), ["user-id,name"], {});
  });
});
