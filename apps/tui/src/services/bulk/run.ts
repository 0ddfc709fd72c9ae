/**
 * `intercom-kit update --from FILE|-`: read CSV/NDJSON, validate every row, (confirm,) run them paced and journaled,
 * show progress on stderr, and end with a summary and an exit code. Parsing, validation, pacing and the journal
 * live in @intercom-kit/domain; this file only wires them to files, streams and the terminal.
 */
import { readFile } from "node:fs/promises";
import {
  type BulkJournal,
  type BulkProgress,
  type BulkRow,
  companyUpsertBody,
  formatBulkInputError,
  formatInvalidRow,
  openJournal,
  parseBulkInput,
  planUpdate,
  updateUsers,
  validateRows,
} from "@intercom-kit/domain";
import type { BulkIo, BulkOptions } from "../bulk-options.js";
import { confirmOnTerminal } from "../services/confirm.js";
import { EXIT } from "../services/exit-codes.js";
import { createProgressReporter, formatCount, formatDuration, type ProgressOut } from "./progress.js";
import {
  bulkExitCode,
  emptyTally,
  formatSummary,
  LISTED_ROWS,
  rowDocument,
  summaryDocument,
  tallyRow,
} from "./summary.js";

/** Retries per call in bulk runs: a long run meets more transient failures than one action. */
export const BULK_MAX_RETRIES = 5;
/** Intercom's default for a private app (and the sandbox's): 10,000 calls a minute. */
const DEFAULT_LIMIT_PER_SECOND = 10_000 / 60;

export function defaultJournalPath(from: string): string | null {
  return from === "-" ? null : `${from}.journal.ndjson`;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

function errorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === "ENOENT") return "no such file";
  if (e?.code === "EISDIR") return "it is a directory";
  if (e?.code === "EACCES") return "permission denied";
  return e instanceof Error ? e.message : String(error);
}

interface Out {
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** A failure before any row ran: text on stderr, or one summary-like JSON line with --json. */
function fail(out: Out, code: number, message: string, extra: Record<string, unknown> = {}): number {
  if (out.json) out.stdout.write(`${JSON.stringify({ type: "error", message, ...extra, exitCode: code })}\n`);
  out.stderr.write(`${message}\n`);
  return code;
}

function dryRun(
  out: Out,
  options: BulkOptions,
  rows: { input: Parameters<typeof planUpdate>[0] }[],
  invalid: number,
): number {
  let calls = 0;
  let companyCalls = 0;
  const companies = new Set<string>();
  for (const { input } of rows) {
    const plan = planUpdate(input, { apiVersion: options.backend.apiVersion });
    for (const call of plan.calls) {
      if (call.id !== "company") calls++;
      else {
        const key = JSON.stringify(companyUpsertBody(input) ?? {});
        if (!companies.has(key)) {
          companies.add(key);
          companyCalls++;
        }
      }
    }
  }
  const total = calls + companyCalls;
  const seconds = total / DEFAULT_LIMIT_PER_SECOND;
  const doc = {
    type: "plan",
    dryRun: true,
    rows: rows.length,
    invalidSkipped: invalid,
    calls: total,
    companyUpserts: companyCalls,
    minSecondsAt10kPerMinute: Math.ceil(seconds),
  };
  if (out.json) out.stdout.write(`${JSON.stringify(doc)}\n`);
  out.stderr.write(
    `${[
      `Dry run: nothing was sent (${options.backend.label}).`,
      `  ${formatCount(rows.length)} rows would be updated${invalid > 0 ? ` (${formatCount(invalid)} invalid rows skipped)` : ""}`,
      `  ${formatCount(total)} calls, of which ${formatCount(companyCalls)} company upserts (one per distinct company)`,
      `  at least ${formatDuration(seconds * 1000)} at 10,000 calls/min (Intercom's default limit for an app)`,
    ].join("\n")}\n`,
  );
  return EXIT.ok;
}

/** See apps/tui/src/bulk-options.ts for the contract with the CLI wiring. */
export async function runBulkCommand(options: BulkOptions, io: BulkIo): Promise<number> {
  const out: Out = { json: options.json, stdout: io.stdout, stderr: io.stderr };
  const fromStdin = options.from === "-";
  const source = fromStdin ? "standard input" : options.from;

  // 1. Read and parse: file-level problems (unknown column, broken CSV) stop here.
  let data: Buffer;
  try {
    data = fromStdin ? await readAll(io.stdin ?? process.stdin) : await readFile(options.from);
  } catch (error) {
    return fail(out, EXIT.invalidInput, `Cannot read --from ${options.from}: ${errorText(error)}`);
  }
  const parsed = parseBulkInput(data, fromStdin ? {} : { name: options.from });
  if (!parsed.ok) {
    const lines = parsed.errors.map((e) => `  ${formatBulkInputError(e)}`);
    return fail(out, EXIT.invalidInput, `Cannot use ${source} (${parsed.format.toUpperCase()}):\n${lines.join("\n")}`, {
      errors: parsed.errors,
    });
  }

  // 2. Validate every row before anything is sent.
  const { valid, invalid } = validateRows(parsed.rows);
  if (invalid.length > 0) {
    const shown = invalid.slice(0, LISTED_ROWS).map((i) => `  ${formatInvalidRow(i.source, i.errors)}`);
    if (invalid.length > shown.length) shown.push(`  … and ${formatCount(invalid.length - shown.length)} more`);
    out.stderr.write(
      `${formatCount(invalid.length)} of ${formatCount(parsed.rows.length)} rows are invalid:\n${shown.join("\n")}\n`,
    );
    if (!options.skipInvalid) {
      if (out.json) {
        for (const i of invalid) {
          out.stdout.write(
            `${JSON.stringify({ type: "row", row: i.source.row, line: i.source.line, status: "skipped", reason: "invalid", message: formatInvalidRow(i.source, i.errors), errors: i.errors })}\n`,
          );
        }
      }
      return fail(
        out,
        EXIT.invalidInput,
        "Nothing was sent. Fix those rows, or pass --skip-invalid to update the others.",
        {
          invalid: invalid.length,
          total: parsed.rows.length,
        },
      );
    }
  }
  if (valid.length === 0) return fail(out, EXIT.invalidInput, "No valid rows: nothing to send.");

  if (options.dryRun) return dryRun(out, options, valid, invalid.length);

  // 3. The journal: beside the input by default; an existing one is continued only with --resume.
  const journalPath = options.journal ?? defaultJournalPath(options.from);
  if (!journalPath) {
    return fail(
      out,
      EXIT.invalidInput,
      "Missing flag: --journal FILE (required with --from -, so a stopped run can be resumed)",
    );
  }
  const opened = await openJournal(journalPath, { resume: options.resume });
  if (!opened.ok)
    return fail(out, opened.error.kind === "exists" ? EXIT.invalidInput : EXIT.other, opened.error.message);
  const journal: BulkJournal = opened.journal;

  try {
    const done = valid.filter((v) => journal.lookup(v.source.row, v.source.hash)?.status === "applied").length;
    const inFlight = valid.filter((v) => journal.lookup(v.source.row, v.source.hash)?.status === "started").length;
    if (options.resume && journal.previous.lines > 0) {
      const notes = [`Resuming from ${journalPath}: ${formatCount(done)} rows already applied will be skipped`];
      if (inFlight > 0) {
        notes.push(
          `${formatCount(inFlight)} were in flight when the last run stopped and will be sent again (updates are idempotent)`,
        );
      }
      if (journal.previous.tornTail > 0) notes.push("its last line was cut short by the stop and is ignored");
      out.stderr.write(`${notes.join("; ")}.\n`);
    }
    const toSend = valid.length - done;

    // 4. Confirm in a terminal (the CLI has already required --yes without one).
    if (io.isTTY && !options.yes && toSend > 0) {
      if (fromStdin) {
        return fail(
          out,
          EXIT.invalidInput,
          "Missing flag: --yes (the rows come from standard input, so it cannot also answer a prompt)",
        );
      }
      const question = `Update ${formatCount(toSend)} user${toSend === 1 ? "" : "s"} from ${source} on ${options.backend.label}?${
        invalid.length > 0 ? ` (${formatCount(invalid.length)} invalid rows skipped)` : ""
      } [y/N] `;
      const confirm = io.confirm ?? ((q: string) => confirmOnTerminal(q, process.stdin, io.stderr));
      if (!(await confirm(question))) return fail(out, EXIT.other, "Nothing was changed.");
    }

    // 5. Run.
    out.stderr.write(
      `Updating ${formatCount(toSend)} user${toSend === 1 ? "" : "s"} on ${options.backend.label} (journal: ${journalPath})\n`,
    );
    const client = options.createClient({ maxRetries: BULK_MAX_RETRIES });
    const stderr = io.stderr as NodeJS.WritableStream & ProgressOut;
    const reporter = createProgressReporter({ out: stderr, tty: Boolean(stderr.isTTY) });
    const tally = emptyTally();
    let last: BulkProgress | null = null;
    const started = Date.now();
    try {
      for await (const r of updateUsers(client, parsed.rows as BulkRow[], {
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        signal: options.signal,
        journal,
        skipInvalid: options.skipInvalid,
        onProgress: (p) => {
          last = p;
          reporter.update(p);
        },
      })) {
        tallyRow(tally, r);
        if (out.json) out.stdout.write(`${JSON.stringify(rowDocument(r))}\n`);
      }
    } catch (error) {
      reporter.stop();
      return fail(out, EXIT.other, `The bulk run stopped: ${errorText(error)}. Resume with --resume.`);
    }
    reporter.stop();
    const interrupted = options.signal.aborted;
    const figures = {
      elapsedMs: Date.now() - started,
      progress: last,
      rateLimit: client.rateLimit(),
      journal: journalPath,
      backendLabel: options.backend.label,
    };
    const code = bulkExitCode(tally, interrupted);
    out.stderr.write(`${formatSummary(tally, figures, interrupted)}\n`);
    if (out.json) out.stdout.write(`${JSON.stringify(summaryDocument(tally, figures, code, interrupted))}\n`);
    return code;
  } finally {
    await journal.close();
  }
}
