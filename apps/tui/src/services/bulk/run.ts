/**
 * `intercom-kit update --from FILE|-`: read CSV/NDJSON, validate every row, (confirm,) run them paced and journaled,
 * show progress on stderr, and end with a summary and an exit code. Parsing, validation, pacing, the journal and the
 * dry-run summary live in @intercom-kit/domain/bulk; this service wires them to files, streams and the terminal.
 */
import { readFile } from "node:fs/promises";
import { type BackendChoice, describeRequestEvent, escapeControl, formatError, plural } from "@intercom-kit/domain";
import {
  type BulkJournal,
  type BulkOptions,
  type BulkProgress,
  bulkSummary,
  bulkSummaryLines,
  formatBulkInputError,
  formatInvalidRow,
  openJournal,
  parseBulkInput,
  updateUsers,
  validateRows,
} from "@intercom-kit/domain/bulk";
import type { Answer } from "../confirm.js";
import { EXIT, exitCodeFor } from "../exit-codes.js";
import { createProgressReporter, formatCount, type ProgressOut } from "./progress.js";
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

/** What a bulk run needs: the domain's run options it passes on, plus the file, journal and terminal choices. */
export interface BulkRun extends Pick<BulkOptions, "concurrency" | "skipInvalid" | "createMissingAttributes"> {
  /** CSV (header row = field flags) or NDJSON; "-" reads stdin. */
  from: string;
  journal?: string;
  resume: boolean;
  dryRun: boolean;
  /** NDJSON on stdout: one `{"type":"row"}` line per row, then one `{"type":"summary"}` line. */
  json: boolean;
  yes: boolean;
  /** The back end chosen (not started: a dry run starts nothing). */
  backend: BackendChoice;
  /** Ctrl-C / SIGTERM: no new row starts; rows in flight finish and are journaled as what they are. */
  signal: AbortSignal;
}

export interface BulkIo {
  stdout: ProgressOut;
  stderr: ProgressOut;
  /** Whether stdin is a terminal (prompts allowed). */
  isTTY: boolean;
  /** Where `--from -` reads from. */
  stdin: NodeJS.ReadableStream;
  /** y/N on the terminal, only called when isTTY. */
  confirm: (question: string, signal: AbortSignal) => Promise<Answer>;
}

export function defaultJournalPath(from: string): string | null {
  return from === "-" ? null : `${from}.journal.ndjson`;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

function ioProblem(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === "ENOENT") return "no such file";
  if (e?.code === "EISDIR") return "it is a directory";
  if (e?.code === "EACCES") return "permission denied";
  return e instanceof Error ? e.message : String(error);
}

interface Out {
  json: boolean;
  stdout: ProgressOut;
  stderr: ProgressOut;
}

/** A failure before any row ran: text on stderr (once), and with --json one error line on stdout. */
function fail(out: Out, code: number, message: string, extra: Record<string, unknown> = {}): number {
  if (out.json) out.stdout.write(`${JSON.stringify({ type: "error", message, ...extra, exitCode: code })}\n`);
  out.stderr.write(`${message}\n`);
  return code;
}

export async function runBulk(options: BulkRun, io: BulkIo): Promise<number> {
  const out: Out = { json: options.json, stdout: io.stdout, stderr: io.stderr };
  const fromStdin = options.from === "-";
  const source = fromStdin ? "standard input" : options.from;

  // 1. Read and parse: file-level problems (unknown column, broken CSV) stop here.
  let data: Buffer;
  try {
    data = fromStdin ? await readAll(io.stdin) : await readFile(options.from);
  } catch (error) {
    return fail(out, EXIT.invalidInput, `Cannot read --from ${options.from}: ${ioProblem(error)}`);
  }
  const parsed = parseBulkInput(data, fromStdin ? {} : { name: options.from });
  if (!parsed.ok) {
    const lines = parsed.errors.map((e) => `  ${escapeControl(formatBulkInputError(e))}`);
    return fail(out, EXIT.invalidInput, `Cannot use ${source} (${parsed.format.toUpperCase()}):\n${lines.join("\n")}`, {
      errors: parsed.errors,
    });
  }

  // 2. Validate every row before anything is sent.
  const { valid, invalid } = validateRows(parsed.rows);
  if (invalid.length > 0) {
    const shown = invalid.slice(0, LISTED_ROWS).map((i) => `  ${escapeControl(formatInvalidRow(i.source, i.errors))}`);
    if (invalid.length > shown.length) shown.push(`  … and ${formatCount(invalid.length - shown.length)} more`);
    out.stderr.write(
      `${formatCount(invalid.length)} of ${plural(parsed.rows.length, "row")} ${invalid.length === 1 ? "is" : "are"} invalid:\n${shown.join("\n")}\n`,
    );
    if (!options.skipInvalid && !options.dryRun) {
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

  // 3. A dry run describes the file and sends nothing: no lookups, no back end started.
  if (options.dryRun) {
    const summary = bulkSummary(parsed.rows);
    if (out.json) out.stdout.write(`${JSON.stringify({ type: "plan", dryRun: true, ...summary })}\n`);
    else out.stdout.write(`${bulkSummaryLines(summary).map(escapeControl).join("\n")}\n`);
    out.stderr.write(`Dry run: nothing was sent (${options.backend.info.label}).\n`);
    return invalid.length > 0 ? EXIT.invalidInput : EXIT.ok;
  }

  // 4. The journal: beside the input by default; an existing one is continued only with --resume.
  const journalPath = options.journal ?? defaultJournalPath(options.from);
  if (!journalPath) {
    return fail(
      out,
      EXIT.invalidInput,
      "Missing flag: --journal FILE (required with --from -, so a stopped run can be resumed)",
    );
  }
  const opened = await openJournal(journalPath, { resume: options.resume });
  if (!opened.ok) {
    return fail(out, opened.error.kind === "exists" ? EXIT.invalidInput : EXIT.other, opened.error.message);
  }
  const journal: BulkJournal = opened.journal;

  try {
    const done = valid.filter((v) => journal.lookup(v.source.row, v.source.hash)?.status === "applied").length;
    const inFlight = valid.filter((v) => journal.lookup(v.source.row, v.source.hash)?.status === "started").length;
    if (options.resume && journal.previous.lines > 0) {
      const notes = [`Resuming from ${journalPath}: ${plural(done, "row")} already applied will be skipped`];
      if (inFlight > 0) {
        notes.push(
          `${plural(inFlight, "row")} ${inFlight === 1 ? "was" : "were"} in flight when the last run stopped and will be sent again (only what still differs is written)`,
        );
      }
      if (journal.previous.tornTail > 0) notes.push("its last line was cut short by the stop and is ignored");
      out.stderr.write(`${notes.join("; ")}.\n`);
    }
    const toSend = valid.length - done;

    // 5. Confirm in a terminal (the command has already required --yes without one).
    if (io.isTTY && !options.yes && toSend > 0) {
      if (fromStdin) {
        return fail(
          out,
          EXIT.invalidInput,
          "Missing flag: --yes (the rows come from standard input, so it cannot also answer a prompt)",
        );
      }
      const question = `Update ${plural(toSend, "user")} from ${source} on ${options.backend.info.label}?${
        invalid.length > 0 ? ` (${plural(invalid.length, "invalid row")} skipped)` : ""
      } [y/N] `;
      const answer = await io.confirm(question, options.signal);
      if (answer === "interrupted") return fail(out, EXIT.interrupted, "Interrupted: nothing was sent.");
      if (answer === "no") return fail(out, EXIT.other, "Nothing was changed.");
    }

    // 6. Start the back end (the embedded sandbox, when that is the choice).
    const started = await options.backend.start();
    if (!started.ok) {
      out.stderr.write(`${formatError(started.error)}\n`);
      if (out.json)
        out.stdout.write(
          `${JSON.stringify({ type: "error", message: started.error.message, exitCode: exitCodeFor(started.error.kind) })}\n`,
        );
      return exitCodeFor(started.error.kind);
    }
    const backend = started.backend;
    try {
      out.stderr.write(`Updating ${plural(toSend, "user")} on ${backend.info.label} (journal: ${journalPath})\n`);
      const stderr = io.stderr;
      const reporter = createProgressReporter({ out: stderr, tty: Boolean(stderr.isTTY) });
      const client = backend.createClient({
        maxRetries: BULK_MAX_RETRIES,
        onEvent: (event) => {
          const line = describeRequestEvent(event);
          if (!line) return;
          // After Ctrl-C the bar is gone, but rows in flight may still wait (a 429's window): say each wait.
          if (options.signal.aborted) stderr.write(`… ${line}\n`);
          else reporter.wait(line);
        },
      });
      const tally = emptyTally();
      let last: BulkProgress | null = null;
      let inFlightNow = 0;
      const onStop = () => {
        reporter.stop();
        out.stderr.write(
          `\nStopping: no new rows start; ${plural(inFlightNow, "row")} in flight ${inFlightNow === 1 ? "finishes" : "finish"} and ${inFlightNow === 1 ? "is" : "are"} journaled as ${inFlightNow === 1 ? "it ends" : "they end"}. Ctrl-C again leaves at once (--resume sends unfinished rows again).\n`,
        );
      };
      options.signal.addEventListener("abort", onStop, { once: true });
      const startedAt = Date.now();
      try {
        for await (const r of updateUsers(client, parsed.rows, {
          ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
          signal: options.signal,
          journal,
          ...(options.skipInvalid ? { skipInvalid: true } : {}),
          ...(options.createMissingAttributes ? { createMissingAttributes: true } : {}),
          onProgress: (p) => {
            last = p;
            inFlightNow = p.inFlight;
            if (!options.signal.aborted) reporter.update(p);
          },
        })) {
          tallyRow(tally, r);
          if (out.json) out.stdout.write(`${JSON.stringify(rowDocument(r))}\n`);
        }
      } catch (error) {
        reporter.stop();
        return fail(out, EXIT.other, `The bulk run stopped: ${ioProblem(error)}. Resume with --resume.`);
      } finally {
        options.signal.removeEventListener("abort", onStop);
      }
      reporter.stop();
      const interrupted = options.signal.aborted;
      const figures = {
        elapsedMs: Date.now() - startedAt,
        progress: last,
        rateLimit: client.rateLimit(),
        journal: journalPath,
        backendLabel: backend.info.label,
      };
      const code = bulkExitCode(tally, interrupted);
      out.stderr.write(`${formatSummary(tally, figures, interrupted)}\n`);
      if (out.json) out.stdout.write(`${JSON.stringify(summaryDocument(tally, figures, code, interrupted))}\n`);
      return code;
    } finally {
      await backend.close();
    }
  } finally {
    await journal.close();
  }
}
