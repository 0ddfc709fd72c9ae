import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type JournalEntry, journalKey, memoryJournal, openJournal, parseJournal } from "./journal.js";

const line = (e: Partial<JournalEntry> & { row: number; status: JournalEntry["status"] }) =>
  `${JSON.stringify({ v: 1, hash: "h1", at: "2026-01-01T00:00:00.000Z", ...e })}\n`;

describe("parseJournal", () => {
  const cases: Array<[string, { given: string; want: { keys: Record<string, string>; torn: number; bad: number } }]> = [
    ["empty", { given: "", want: { keys: {}, torn: 0, bad: 0 } }],
    [
      "started then applied",
      {
        given: line({ row: 1, status: "started" }) + line({ row: 1, status: "applied" }),
        want: { keys: { "1:h1": "applied" }, torn: 0, bad: 0 },
      },
    ],
    [
      "applied is never overridden by a later entry",
      {
        given: line({ row: 2, status: "applied" }) + line({ row: 2, status: "started" }),
        want: { keys: { "2:h1": "applied" }, torn: 0, bad: 0 },
      },
    ],
    [
      "a torn last line is ignored",
      {
        given: `${line({ row: 1, status: "applied" })}{"v":1,"row":2,"hash":"h1","sta`,
        want: { keys: { "1:h1": "applied" }, torn: 1, bad: 0 },
      },
    ],
    [
      "a complete entry without its newline is still torn (its fsync never returned)",
      {
        given: line({ row: 1, status: "applied" }) + line({ row: 2, status: "applied" }).trimEnd(),
        want: { keys: { "1:h1": "applied" }, torn: 1, bad: 0 },
      },
    ],
    [
      "garbage and foreign lines are counted, not fatal",
      {
        given: `not json\n{"row":"x"}\n${line({ row: 3, status: "failed", kind: "network" })}`,
        want: { keys: { "3:h1": "failed" }, torn: 0, bad: 2 },
      },
    ],
    [
      "same row, other content: separate keys",
      {
        given: line({ row: 1, status: "applied" }) + line({ row: 1, hash: "h2", status: "started" }),
        want: { keys: { "1:h1": "applied", "1:h2": "started" }, torn: 0, bad: 0 },
      },
    ],
    [
      "run lines are not entries",
      {
        given: `{"v":1,"run":"2026-01-01T00:00:00.000Z","resume":false}\n${line({ row: 1, status: "applied" })}`,
        want: { keys: { "1:h1": "applied" }, torn: 0, bad: 0 },
      },
    ],
  ];
  it.each(cases)("%s", (_name, { given, want }) => {
    const state = parseJournal(given);
    expect(Object.fromEntries([...state.entries].map(([k, v]) => [k, v.status]))).toEqual(want.keys);
    expect(state.tornTail).toBe(want.torn);
    expect(state.badLines).toBe(want.bad);
  });

  it("any cut of a journal reads as exactly the lines completed before the cut", () => {
    const entry = fc.record({
      row: fc.integer({ min: 1, max: 20 }),
      hash: fc.constantFrom("a", "b"),
      status: fc.constantFrom("started", "applied", "failed") as fc.Arbitrary<JournalEntry["status"]>,
      message: fc.option(fc.string(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 30 }), fc.nat(), (entries, cutSeed) => {
        const lines = entries.map((e) => line({ ...e, message: e.message }));
        const text = lines.join("");
        const cut = cutSeed % (text.length + 1);
        const truncated = text.slice(0, cut);
        const complete = truncated.slice(0, truncated.lastIndexOf("\n") + 1);
        const got = parseJournal(truncated);
        const want = parseJournal(complete);
        expect([...got.entries]).toEqual([...want.entries]);
        expect(got.tornTail).toBe(complete.length < truncated.length ? 1 : 0);
        expect(got.badLines).toBe(0);
      }),
    );
  });
});

describe("openJournal (on disk)", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "ik-journal-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the file and an entry is on disk once record() resolves", async () => {
    const path = join(dir, "j.ndjson");
    const opened = await openJournal(path);
    if (!opened.ok) throw new Error(opened.error.message);
    const { journal } = opened;
    await journal.record({ row: 7, hash: "abc", status: "applied", at: "t", contactId: "c7" });
    const text = await readFile(path, "utf8");
    expect(parseJournal(text).entries.get(journalKey(7, "abc"))).toMatchObject({ status: "applied", contactId: "c7" });
    expect(journal.lookup(7, "abc")?.status).toBe("applied");
    expect(journal.lookup(7, "other")).toBeUndefined();
    await journal.close();
  });

  it("refuses an existing journal without resume and leaves it untouched", async () => {
    const path = join(dir, "j.ndjson");
    const before = line({ row: 1, status: "applied" });
    await writeFile(path, before);
    const opened = await openJournal(path);
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.error.kind).toBe("exists");
    expect(opened.error.message).toContain("--resume");
    expect(await readFile(path, "utf8")).toBe(before);
  });

  it("resumes: loads entries, cuts a torn tail, and appends on a fresh line", async () => {
    const path = join(dir, "j.ndjson");
    await writeFile(
      path,
      `${line({ row: 1, status: "applied" })}${line({ row: 2, status: "started" })}{"v":1,"row":2,"ha`,
    );
    const opened = await openJournal(path, { resume: true });
    if (!opened.ok) throw new Error(opened.error.message);
    const { journal } = opened;
    expect(journal.previous).toMatchObject({ applied: 1, started: 1, tornTail: 1 });
    expect(journal.lookup(1, "h1")?.status).toBe("applied");
    await journal.record({ row: 2, hash: "h1", status: "applied", at: "t" });
    await journal.close();
    const text = await readFile(path, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    for (const l of text.trimEnd().split("\n")) expect(() => JSON.parse(l)).not.toThrow();
    const state = parseJournal(text);
    expect(state.tornTail).toBe(0);
    expect(state.runs).toBe(1);
    expect(state.entries.get("2:h1")?.status).toBe("applied");
  });

  it("many concurrent records all land, one per line (group commit)", async () => {
    const path = join(dir, "j.ndjson");
    const opened = await openJournal(path);
    if (!opened.ok) throw new Error(opened.error.message);
    const { journal } = opened;
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => journal.record({ row: i + 1, hash: "h", status: "applied", at: "t" })),
    );
    await journal.close();
    const state = parseJournal(await readFile(path, "utf8"));
    expect(state.entries.size).toBe(200);
    expect(state.lines).toBe(200);
    await expect(journal.record({ row: 1, hash: "h", status: "applied", at: "t" })).rejects.toThrow(/closed/);
  });

  it("reports an unwritable path as an io error naming it", async () => {
    const path = join(dir, "missing-dir", "j.ndjson");
    const opened = await openJournal(path);
    expect(opened.ok).toBe(false);
    if (!opened.ok) {
      expect(opened.error.kind).toBe("io");
      expect(opened.error.message).toContain(path);
    }
  });
});

describe("memoryJournal", () => {
  it("keeps the entries it was given and records new ones", async () => {
    const j = memoryJournal([{ row: 1, hash: "h", status: "applied", at: "t" }]);
    expect(j.lookup(1, "h")?.status).toBe("applied");
    await j.record({ row: 2, hash: "h", status: "failed", at: "t", kind: "network" });
    expect(j.entries().map((e) => e.row)).toEqual([1, 2]);
    expect(j.previous.applied).toBe(1);
  });
});
