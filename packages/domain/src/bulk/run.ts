/**
 * Update many users: every row is validated before anything is sent, then rows run concurrently under the client's
 * shared rate-limit pacing, with one company upsert per distinct company, each outcome journaled durably.
 *
 * Delivery: "at least once on the wire, exactly once in effect". A row that was sent but whose outcome never reached
 * the journal (the process died in between) is sent again on resume; every call the action makes is idempotent
 * (PUT of the same values, company upsert by company_id, attach), so sending it twice changes nothing more.
 */
import { setMaxListeners } from "node:events";
import type { IntercomClient } from "@intercom-kit/core";
import type {
  ErrorKind,
  FieldError,
  OutputMode,
  RawUpdateUserInput,
  UpdateUserInput,
  UpdateUserOptions,
  UpdateUserResult,
} from "../types.js";
import { updateUser as defaultUpdateUser } from "../update-user.js";
import { validateUpdateUserInput } from "../validate.js";
import { createWorkspaceCache } from "../workspace.js";
import { type BulkRow, rowHash } from "./input.js";
import type { BulkJournal } from "./journal.js";
import { channel, runKeyedPool } from "./pool.js";

export const DEFAULT_BULK_CONCURRENCY = 8;
export const MAX_BULK_CONCURRENCY = 64;

export type BulkSkipReason =
  /** The row failed validation (and `skipInvalid` was given, or the run stopped because of invalid rows). */
  | "invalid"
  /** Valid, but not sent: other rows are invalid and `skipInvalid` was not given. */
  | "not_sent"
  /** The journal says an earlier run applied this row, with this content. */
  | "already_applied"
  /** The run was aborted before this row was sent. */
  | "aborted";

export interface BulkSkipped {
  skipped: BulkSkipReason;
  message: string;
  /** invalid: every problem, each naming its field. */
  errors?: FieldError[];
}

/** applied: written; unchanged: the user already had every value, nothing was written; failed; skipped. */
export type BulkRowStatus = "applied" | "unchanged" | "failed" | "skipped";

export interface BulkRowResult {
  /** 1-based row number (the header is not counted). */
  row: number;
  /** Line in the input file, when known. */
  line: number | null;
  /** Content hash (the journal's key together with `row`). */
  hash: string;
  input: RawUpdateUserInput;
  status: BulkRowStatus;
  result: UpdateUserResult | BulkSkipped;
  /** An earlier run had sent this row but never recorded its outcome; it was sent again (idempotent). */
  resent?: boolean;
}

export interface BulkProgress {
  phase: "validated" | "running" | "done";
  /** Rows in the input. */
  total: number;
  /** Rows with a result (applied + unchanged + failed + skipped). */
  done: number;
  applied: number;
  unchanged: number;
  failed: number;
  skipped: number;
  invalid: number;
  inFlight: number;
  /** Failed rows by error kind. */
  failuresByKind: Partial<Record<ErrorKind, number>>;
  /** HTTP attempts made by the client during this run (retries included), and of those: retries, 429s seen. */
  calls: number;
  retries: number;
  rateLimited: number;
  /** Times a request waited for the rate-limit window. */
  pacedWaits: number;
  elapsedMs: number;
}

export type UpdateUserFn = (
  client: IntercomClient,
  input: UpdateUserInput,
  options?: UpdateUserOptions,
) => Promise<UpdateUserResult>;

export interface BulkOptions {
  /** Rows in flight at once (1..64). Default 8. The client's pacing keeps the call rate under the limit either way. */
  concurrency?: number;
  /**
   * Stops the run: no new row starts; rows already sent finish and are journalled with their real outcome, the rest
   * come back as skipped ("aborted").
   */
  signal?: AbortSignal;
  /** Also cancels the rows in flight (their outcome may then be unknown). For a second Ctrl-C. */
  abortInFlight?: AbortSignal;
  /** Called on every change (row started or done). Keep it cheap; throttle drawing yourself. */
  onProgress?: (progress: BulkProgress) => void;
  /** Durable record of outcomes; rows it shows as applied (same row, same content) are skipped. */
  journal?: BulkJournal;
  /** Skip invalid rows and run the rest. Default: report them and send nothing. */
  skipInvalid?: boolean;
  /** The single-user action (injectable for tests). Default: this package's `updateUser`. */
  updateUser?: UpdateUserFn;
  /** Milliseconds clock, for elapsed times and journal timestamps. Default Date.now. */
  now?: () => number;
  /** Create custom attributes that do not exist yet (each once per run). Default false. */
  createMissingAttributes?: boolean;
  /**
   * "contact" (default): each row's record comes from its write's own answer, so a row costs its lookup and its
   * write and nothing more; "full" also reads each user's companies, tags and segments.
   */
  output?: OutputMode;
}

/** Rows as a library caller may give them: parsed rows, or plain raw inputs (numbered from 1). */
export type BulkRowsInput = Iterable<BulkRow | RawUpdateUserInput>;

function isBulkRow(value: BulkRow | RawUpdateUserInput): value is BulkRow {
  const v = value as Partial<BulkRow>;
  return typeof v.row === "number" && typeof v.input === "object" && v.input !== null;
}

function normalizeRows(rows: BulkRowsInput): BulkRow[] {
  const out: BulkRow[] = [];
  let index = 0;
  for (const item of rows) {
    index++;
    if (isBulkRow(item)) {
      out.push(item.hash ? item : { ...item, hash: rowHash(item.input) });
    } else {
      out.push({ row: index, line: 0, input: item, hash: rowHash(item) });
    }
  }
  return out;
}

export interface ValidatedRow {
  source: BulkRow;
  input: UpdateUserInput;
}

export interface InvalidRow {
  source: BulkRow;
  errors: FieldError[];
}

/** Validates every row (no I/O). Problems found while reading a row (bad cell) come first in its errors. */
export function validateRows(rows: BulkRowsInput): { valid: ValidatedRow[]; invalid: InvalidRow[] } {
  const valid: ValidatedRow[] = [];
  const invalid: InvalidRow[] = [];
  for (const source of normalizeRows(rows)) {
    const readErrors = source.errors ?? [];
    // A row that could not be read at all (bad JSON, unknown column) has nothing worth validating.
    if (readErrors.some((e) => e.field === "input")) {
      invalid.push({ source, errors: readErrors });
      continue;
    }
    const checked = validateUpdateUserInput(source.input);
    if (!checked.ok || readErrors.length > 0) {
      invalid.push({ source, errors: [...readErrors, ...(checked.ok ? [] : checked.errors)] });
      continue;
    }
    valid.push({ source, input: checked.input });
  }
  return { valid, invalid };
}

/** "row 3 (line 4): New email: must be a valid email address; Name: ..." */
export function formatInvalidRow(row: { row: number; line: number | null }, errors: readonly FieldError[]): string {
  const where = row.line ? `row ${row.row} (line ${row.line})` : `row ${row.row}`;
  // Whole-row problems ("nothing to change", "not valid JSON") read better without their long or generic label.
  const text = (e: FieldError) =>
    e.field === "input" && !e.label.startsWith("Column") ? e.message : `${e.label}: ${e.message}`;
  return `${where}: ${errors.map(text).join("; ")}`;
}

/** Rows for the same user run in file order, so the last row wins as it would one by one. */
function identityOf(input: UpdateUserInput): string {
  if (input.intercomId !== undefined) return `intercomId:${input.intercomId}`;
  if (input.userId !== undefined) return `userId:${input.userId}`;
  return `lookupEmail:${(input.lookupEmail ?? "").toLowerCase()}`;
}

function contactIdOf(result: UpdateUserResult): string | undefined {
  return result.ok ? result.user.id : undefined;
}

/**
 * Runs the rows. Yields one result per row, in completion order: first every invalid row (and, when the run stops
 * because of them, every valid row as "not_sent"), then rows skipped as already applied, then the others as they
 * finish. Throws only if the journal cannot be written (the run stops first; no row is reported done unjournaled).
 */
export async function* updateUsers(
  client: IntercomClient,
  rows: BulkRowsInput,
  options: BulkOptions,
): AsyncGenerator<BulkRowResult, void, undefined> {
  const now = options.now ?? Date.now;
  const updateUser = options.updateUser ?? defaultUpdateUser;
  const started = now();
  const concurrency = Math.min(
    MAX_BULK_CONCURRENCY,
    Math.max(1, Math.floor(options.concurrency ?? DEFAULT_BULK_CONCURRENCY)),
  );
  const journal = options.journal;
  // One cache for the run: the workspace's attributes, tags and admins are read once, each company is read and
  // upserted once, each missing tag or attribute created once.
  const cache = createWorkspaceCache({ companies: true });
  const rowOptions: UpdateUserOptions = {
    cache,
    output: options.output ?? "contact",
    ...(options.createMissingAttributes ? { createMissingAttributes: true } : {}),
  };
  const base = client.stats();
  const { valid, invalid } = validateRows(rows);
  const total = valid.length + invalid.length;

  const progress: BulkProgress = {
    phase: "validated",
    total,
    done: 0,
    applied: 0,
    unchanged: 0,
    failed: 0,
    skipped: 0,
    invalid: invalid.length,
    inFlight: 0,
    failuresByKind: {},
    calls: 0,
    retries: 0,
    rateLimited: 0,
    pacedWaits: 0,
    elapsedMs: 0,
  };
  const report = () => {
    const s = client.stats();
    progress.calls = s.requests - base.requests;
    progress.retries = s.retries - base.retries;
    progress.rateLimited = s.rateLimited - base.rateLimited;
    progress.pacedWaits = s.pacedWaits - base.pacedWaits;
    progress.elapsedMs = now() - started;
    options.onProgress?.({ ...progress, failuresByKind: { ...progress.failuresByKind } });
  };
  const count = (r: BulkRowResult): BulkRowResult => {
    progress.done++;
    if (r.status === "applied") progress.applied++;
    else if (r.status === "unchanged") progress.unchanged++;
    else if (r.status === "skipped") progress.skipped++;
    else {
      progress.failed++;
      const kind = (r.result as Extract<UpdateUserResult, { ok: false }>).error.kind;
      progress.failuresByKind[kind] = (progress.failuresByKind[kind] ?? 0) + 1;
    }
    return r;
  };
  const skippedResult = (source: BulkRow, skip: BulkSkipped): BulkRowResult =>
    count({
      row: source.row,
      line: source.line || null,
      hash: source.hash,
      input: source.input,
      status: "skipped",
      result: skip,
    });

  report();
  const invalidSorted = [...invalid].sort((a, b) => a.source.row - b.source.row);
  for (const { source, errors } of invalidSorted) {
    yield skippedResult(source, { skipped: "invalid", message: formatInvalidRow(source, errors), errors });
  }
  if (invalid.length > 0 && !options.skipInvalid) {
    const message = `not sent: ${invalid.length} row${invalid.length === 1 ? " is" : "s are"} invalid (fix them, or skip them with --skip-invalid)`;
    for (const { source } of valid) yield skippedResult(source, { skipped: "not_sent", message });
    progress.phase = "done";
    report();
    return;
  }

  const pending: ValidatedRow[] = [];
  for (const v of valid) {
    const entry = journal?.lookup(v.source.row, v.source.hash);
    if (entry?.status === "applied") {
      yield skippedResult(v.source, { skipped: "already_applied", message: `applied by an earlier run (${entry.at})` });
    } else pending.push(v);
  }

  progress.phase = "running";
  report();
  // Stopping (the caller's signal, or the consumer leaving the loop) means no new row starts; rows already sent
  // finish, so every outcome that was sent reaches the journal. Only `abortInFlight` cancels rows in flight.
  let stopping = options.signal?.aborted === true;
  const onStop = () => {
    stopping = true;
  };
  options.signal?.addEventListener("abort", onStop, { once: true });
  const inFlight = new AbortController();
  // Every request in flight listens on this signal (fetch, pacing waits): more than Node's default of 10.
  setMaxListeners(concurrency * 16, inFlight.signal);
  const onAbortInFlight = () => inFlight.abort(options.abortInFlight?.reason);
  if (options.abortInFlight?.aborted) onAbortInFlight();
  else options.abortInFlight?.addEventListener("abort", onAbortInFlight, { once: true });

  const out = channel<BulkRowResult | undefined>();

  const runOne = async (v: ValidatedRow): Promise<BulkRowResult> => {
    const { source } = v;
    const resent = journal?.lookup(source.row, source.hash)?.status === "started";
    await journal?.record({ row: source.row, hash: source.hash, status: "started", at: new Date(now()).toISOString() });
    let result: UpdateUserResult;
    try {
      result = await updateUser(client, v.input, { ...rowOptions, signal: inFlight.signal });
    } catch (error) {
      // updateUser never throws; an injected one might. The row fails, the run goes on.
      result = {
        ok: false,
        error: {
          kind: "intercom_error",
          message: `The update failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
          hint: "Run the row again; if it keeps failing, report it",
          requestId: null,
        },
      };
    }
    const at = new Date(now()).toISOString();
    if (result.ok) {
      const contactId = contactIdOf(result);
      await journal?.record({
        row: source.row,
        hash: source.hash,
        status: "applied",
        at,
        ...(contactId ? { contactId } : {}),
      });
    } else {
      await journal?.record({
        row: source.row,
        hash: source.hash,
        status: "failed",
        at,
        kind: result.error.kind,
        message: result.error.message,
      });
    }
    const r: BulkRowResult = {
      row: source.row,
      line: source.line || null,
      hash: source.hash,
      input: source.input,
      status: result.ok ? (result.outcome === "unchanged" ? "unchanged" : "applied") : "failed",
      result,
    };
    if (resent) r.resent = true;
    return r;
  };
  const skippedOf = (source: BulkRow): BulkRowResult => ({
    row: source.row,
    line: source.line || null,
    hash: source.hash,
    input: source.input,
    status: "skipped",
    result: { skipped: "aborted", message: "not sent: the run was stopped" },
  });

  let fatal: unknown;
  const all = runKeyedPool(pending, {
    concurrency,
    keyOf: (v) => identityOf(v.input),
    // A client that has seen no rate-limit headers yet paces nothing: N first requests at once could all land in a
    // window another run has spent. So the first row goes alone; its answers tell the client the budget.
    firstAlone: client.rateLimit().resetAt === null,
    stopped: () => stopping,
    run: async (v) => {
      progress.inFlight++;
      report();
      try {
        out.push(count(await runOne(v)));
      } finally {
        progress.inFlight--;
        report();
      }
    },
    skip: (v) => out.push(count(skippedOf(v.source))),
  }).then(
    () => out.push(undefined),
    (error: unknown) => {
      // Only the journal throws: stop the run and say why.
      fatal = error;
      stopping = true;
      out.push(undefined);
    },
  );

  let finished = false;
  try {
    for (;;) {
      await out.wait();
      const item = out.take();
      if (item === undefined) {
        finished = true;
        break;
      }
      yield item;
    }
    await all;
    if (fatal) throw fatal;
  } finally {
    // The consumer left the loop early, or we are done: no new row starts; rows in flight settle and are journalled.
    if (!finished) stopping = true;
    await all;
    options.signal?.removeEventListener("abort", onStop);
    options.abortInFlight?.removeEventListener("abort", onAbortInFlight);
    progress.phase = "done";
    report();
  }
}
