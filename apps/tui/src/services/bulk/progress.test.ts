import type { BulkProgress, BulkRowResult } from "@intercom-kit/domain/bulk";
import { describe, expect, it } from "vitest";
import { createProgressReporter, formatDuration, formatProgressLine } from "./progress.js";
import { bulkExitCode, emptyTally, formatSummary, rowDocument, tallyRow } from "./summary.js";

function progress(over: Partial<BulkProgress> = {}): BulkProgress {
  return {
    phase: "running",
    total: 100,
    done: 0,
    applied: 0,
    unchanged: 0,
    failed: 0,
    skipped: 0,
    invalid: 0,
    inFlight: 0,
    failuresByKind: {},
    calls: 0,
    retries: 0,
    rateLimited: 0,
    pacedWaits: 0,
    elapsedMs: 0,
    ...over,
  };
}

const ESC = String.fromCharCode(27);
const strip = (s: string) =>
  s
    .split(ESC)
    .map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*[A-Za-z]/, "")))
    .join("");

describe("formatting", () => {
  it.each([
    [400, "0.4s"],
    [9_000, "9.0s"],
    [42_000, "42s"],
    [156_000, "2m36s"],
    [3_723_000, "1h02m"],
  ])("formatDuration(%i) = %s", (ms, want) => {
    expect(formatDuration(ms)).toBe(want);
  });

  it("draws a bar with rows, rates, ETA and failures, within the width", () => {
    const line = formatProgressLine(
      progress({ done: 25, failed: 3 }),
      { rowsPerSecond: 5, callsPerSecond: 20, etaMs: 15_000 },
      100,
    );
    expect(line).toMatch(/^\[(#+)(\.+)\] 25\/100 rows · 5\.0 rows\/s · 20\.0 calls\/s · ETA 15s · 3 failed$/);
    const [, filled = "", empty = ""] = /^\[(#+)(\.+)\]/.exec(line) ?? [];
    expect(Math.round((filled.length / (filled.length + empty.length)) * 4)).toBe(1);
    expect(line.length).toBeLessThanOrEqual(100);
    expect(
      formatProgressLine(progress(), { rowsPerSecond: 0, callsPerSecond: 0, etaMs: null }, 40).length,
    ).toBeLessThan(40);
  });
});

describe("createProgressReporter", () => {
  it("prints plain lines at most once per interval when not a terminal", () => {
    let t = 0;
    const out = {
      text: "",
      write(s: string) {
        this.text += s;
      },
    };
    const reporter = createProgressReporter({ out, tty: false, intervalMs: 1_000, now: () => t });
    for (let done = 0; done <= 100; done++) {
      t = done * 100; // 10 rows a second for 10 s
      reporter.update(progress({ done, calls: done * 4, applied: done }));
    }
    reporter.stop();
    const lines = out.text.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(8);
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(out.text).not.toContain("\r");
    expect(lines.at(-1)).toMatch(/^bulk: 100\/100 rows · 10\.0 rows\/s · 40\.0 calls\/s/);
  });

  it("redraws one line in a terminal and clears it at the end", async () => {
    const out = {
      text: "",
      isTTY: true,
      columns: 0, // as under `script`: unknown width, still drawn
      write(s: string) {
        this.text += s;
      },
    };
    let t = 0;
    const reporter = createProgressReporter({ out, tty: true, intervalMs: 5, now: () => t });
    t = 1_000;
    reporter.update(progress({ done: 10 }));
    t = 2_000;
    reporter.update(progress({ done: 50, failed: 2 }));
    await new Promise((r) => setTimeout(r, 30));
    reporter.stop();
    expect(out.text).toContain("\r\x1b[2K");
    expect(out.text).not.toContain("\n");
    const frames = out.text.split("\r\x1b[2K").filter(Boolean).map(strip);
    expect(frames.at(-1)).toMatch(/^\[#+\.+\] 50\/100 rows · 40\.0 rows\/s .* 2 failed$/);
    expect(out.text.endsWith("\r\x1b[2K")).toBe(true);
  });

  it("says why calls wait: in a terminal in place of the bar, cut to the width; otherwise as a line", async () => {
    const wait = "PUT /contacts/abc: 429 rate limited, retrying in 8 s (attempt 2 of 3)";
    const tty = {
      text: "",
      isTTY: true,
      columns: 60,
      write(s: string) {
        this.text += s;
      },
    };
    const reporter = createProgressReporter({ out: tty, tty: true, intervalMs: 5 });
    reporter.update(progress({ done: 10 }));
    reporter.wait(wait);
    await new Promise((r) => setTimeout(r, 30));
    reporter.stop();
    const frames = tty.text.split("\r\x1b[2K").filter(Boolean);
    expect(frames.at(-1)).toBe("10/100 rows · 0 failed · PUT /contacts/abc: 429 rate limit…");
    const plain = {
      text: "",
      write(s: string) {
        this.text += s;
      },
    };
    const lines = createProgressReporter({ out: plain, tty: false, intervalMs: 1000 });
    lines.wait(wait);
    lines.wait(wait); // within the interval: not repeated
    expect(plain.text).toBe(`bulk: ${wait}\n`);
  });
});

function row(status: BulkRowResult["status"], result: BulkRowResult["result"], n = 1): BulkRowResult {
  return { row: n, line: n + 1, hash: "h", input: {}, status, result };
}
const failed = (kind: "not_found" | "network" | "ambiguous") =>
  row("failed", { ok: false, error: { kind, message: `${kind}!`, hint: "h", requestId: null } });

describe("summary", () => {
  it.each([
    [
      "all applied",
      [row("applied", { ok: true, outcome: "applied", user: {} as never, applied: [], changes: [], notes: [] })],
      false,
      0,
    ],
    [
      "unchanged is success",
      [row("unchanged", { ok: true, outcome: "unchanged", user: {} as never, applied: [], changes: [], notes: [] })],
      false,
      0,
    ],
    [
      "applied by an earlier run counts as applied",
      [row("skipped", { skipped: "already_applied", message: "" })],
      false,
      0,
    ],
    ["one failure kind keeps its code", [failed("not_found"), failed("not_found")], false, 3],
    ["mixed failure kinds give 5", [failed("not_found"), failed("network")], false, 5],
    ["not found and ambiguous are both 3", [failed("not_found"), failed("ambiguous")], false, 3],
    ["invalid rows skipped give 2", [row("skipped", { skipped: "invalid", message: "m" })], false, 2],
    ["interrupted gives 130", [row("skipped", { skipped: "aborted", message: "m" })], true, 130],
  ] as const)("%s", (_name, rows, interrupted, want) => {
    const tally = emptyTally();
    for (const r of rows) tallyRow(tally, r as BulkRowResult);
    expect(bulkExitCode(tally, interrupted)).toBe(want);
  });

  it("groups failures by kind and lists them with row and line", () => {
    const tally = emptyTally();
    for (const r of [failed("not_found"), failed("network"), failed("network")]) tallyRow(tally, r);
    const text = formatSummary(
      tally,
      {
        elapsedMs: 120_000,
        progress: progress({ calls: 18_000, pacedWaits: 2 }),
        rateLimit: { limit: 1667, remaining: 0, resetAt: 0 },
        journal: "j.ndjson",
        backendLabel: "Sandbox",
      },
      false,
    );
    expect(text).toContain("failed           3  network 2, not_found 1");
    expect(text).toContain("row 1 (line 2): not_found: not_found!");
    expect(text).toContain("150.0/s, 90% of the limit (limit 1,667 per 10-second window = 166.7/s)");
    expect(text).toContain("--resume");
  });

  it("row documents carry errors without their cause", () => {
    const r = row("failed", {
      ok: false,
      error: {
        kind: "network",
        message: "m",
        hint: "h",
        requestId: null,
        cause: { kind: "network", cause: "x" } as never,
      },
    });
    const doc = rowDocument(r);
    expect(doc).toMatchObject({ type: "row", row: 1, status: "failed", error: { kind: "network" } });
    expect(JSON.stringify(doc)).not.toContain("cause");
  });
});
