/**
 * The resumability promise, end to end: a child process runs a bulk update against a sandbox in this process,
 * is SIGKILLed mid-run, and is resumed from its journal. Every row's change must be present, no row applied twice
 * as far as the journal knows, none lost; on the wire only rows caught in flight were sent twice.
 * Needs the built package (turbo's test task builds first).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Sandbox, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkContactId, bulkSandboxData } from "../../test/bulk-fixtures.js";
import { journalKey, parseJournal } from "./journal.js";

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, "..", "..", "test", "bulk-kill-child.mjs");
const built = join(here, "..", "..", "dist", "bulk", "index.js");
const ROWS = 240;

let sb: Sandbox;
let dir: string;

beforeAll(async () => {
  // A little latency so the run lasts long enough to be killed in the middle.
  sb = await startSandbox({ data: bulkSandboxData(ROWS), latencyMs: 8 });
  dir = await mkdtemp(join(tmpdir(), "ik-bulk-kill-"));
});
afterAll(async () => {
  await sb?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function run(env: Record<string, string>): {
  proc: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; out: string; err: string }>;
} {
  const proc = spawn(process.execPath, [child], {
    env: { ...process.env, ...env, SBX_URL: sb.url, SBX_TOKEN: sb.token },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  proc.stdout?.on("data", (d) => {
    out += d;
  });
  proc.stderr?.on("data", (d) => {
    err += d;
  });
  const done = new Promise<{ code: number | null; signal: string | null; out: string; err: string }>((resolve) =>
    proc.on("exit", (code, signal) => resolve({ code, signal, out, err })),
  );
  return { proc, done };
}

async function appliedLines(path: string): Promise<number> {
  try {
    return (await readFile(path, "utf8")).split("\n").filter((l) => l.includes('"status":"applied"')).length;
  } catch {
    return 0;
  }
}

describe("bulk run killed with SIGKILL and resumed", () => {
  it("ends with every row applied once as far as the journal knows, none lost", async () => {
    expect(
      existsSync(built),
      `build the package first (pnpm turbo run build --filter=@intercom-kit/domain): ${built}`,
    ).toBe(true);
    const rowsPath = join(dir, "rows.ndjson");
    const journalPath = `${rowsPath}.journal.ndjson`;
    const lines = Array.from({ length: ROWS }, (_, k) => {
      const i = k + 1;
      const row: Record<string, string> = { "intercom-id": bulkContactId(i), name: `Killed ${i}` };
      if (i % 5 === 0) Object.assign(row, { "company-id": "kill-co", "company-name": "Kill Co" });
      return JSON.stringify(row);
    });
    await writeFile(rowsPath, `${lines.join("\n")}\n`);
    const env = { BULK_ROWS: rowsPath, BULK_JOURNAL: journalPath, BULK_CONCURRENCY: "6" };

    const first = run(env);
    const deadline = Date.now() + 20_000;
    while ((await appliedLines(journalPath)) < ROWS / 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 3));
    }
    first.proc.kill("SIGKILL");
    const killed = await first.done;
    expect(killed.signal, `the first run finished before it could be killed: ${killed.out}${killed.err}`).toBe(
      "SIGKILL",
    );

    // A kill can land mid-write; make sure such a torn tail is met at least once.
    await appendFile(journalPath, '{"v":1,"row":7,"hash":"');
    const before = parseJournal(await readFile(journalPath, "utf8"));
    expect(before.tornTail).toBe(1);
    const appliedBefore = new Set([...before.entries.values()].filter((e) => e.status === "applied").map((e) => e.row));
    const inFlightAtKill = new Set(
      [...before.entries.values()].filter((e) => e.status === "started").map((e) => e.row),
    );
    expect(appliedBefore.size).toBeGreaterThanOrEqual(ROWS / 3);
    expect(appliedBefore.size).toBeLessThan(ROWS);

    const second = run({ ...env, BULK_RESUME: "1" });
    const resumed = await second.done;
    expect(resumed.code, resumed.err).toBe(0);
    const counts = JSON.parse(resumed.out) as {
      applied: number;
      unchanged: number;
      failed: number;
      skipped: number;
      resent: number;
    };
    // A row in flight at the kill may have been applied already: sent again, it finds nothing to change.
    expect(counts.applied + counts.unchanged).toBe(ROWS - appliedBefore.size);
    expect(counts.unchanged).toBeLessThanOrEqual(inFlightAtKill.size);
    expect({ failed: counts.failed, skipped: counts.skipped, resent: counts.resent }).toEqual({
      failed: 0,
      skipped: appliedBefore.size,
      resent: inFlightAtKill.size,
    });

    // Every row's change is in the sandbox.
    for (let i = 1; i <= ROWS; i++) {
      expect(sb.state.getContact(bulkContactId(i))?.name).toBe(`Killed ${i}`);
      if (i % 5 === 0) expect(sb.state.companiesOf(bulkContactId(i)).map((c) => c.company_id)).toContain("kill-co");
    }

    // The journal: exactly one "applied" line per row, every line whole.
    const text = await readFile(journalPath, "utf8");
    const after = parseJournal(text);
    expect(after.tornTail).toBe(0);
    expect(after.badLines).toBe(0);
    const appliedPerRow = new Map<string, number>();
    for (const line of text.trimEnd().split("\n")) {
      const e = JSON.parse(line) as { row?: number; hash?: string; status?: string };
      if (e.status === "applied") {
        const key = journalKey(e.row as number, e.hash as string);
        appliedPerRow.set(key, (appliedPerRow.get(key) ?? 0) + 1);
      }
    }
    expect(appliedPerRow.size).toBe(ROWS);
    expect([...appliedPerRow.values()].every((n) => n === 1)).toBe(true);

    // On the wire: a row was sent twice only if the kill caught it in flight (started, outcome not journaled).
    const puts = new Map<string, number>();
    for (const r of sb.requests()) {
      if (r.method === "PUT" && r.status === 200) puts.set(r.path, (puts.get(r.path) ?? 0) + 1);
    }
    const twice: number[] = [];
    for (let i = 1; i <= ROWS; i++) {
      const n = puts.get(`/contacts/${bulkContactId(i)}`) ?? 0;
      expect(n, `row ${i}`).toBeGreaterThanOrEqual(1);
      if (n > 1) twice.push(i);
    }
    for (const row of twice) expect(inFlightAtKill.has(row), `row ${row} was sent twice but not in flight`).toBe(true);
  }, 60_000);
});
