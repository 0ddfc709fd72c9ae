/**
 * The bulk journal: one JSON line per row outcome, appended and fsynced before the row is reported done, so a run
 * killed at any moment (SIGKILL included) can be resumed without losing or re-counting a row.
 *
 * A row is keyed by its row number AND a hash of its content, so an edited input file is never mistaken for the
 * one the journal was written for. "started" is recorded (durably) before a row's first call is sent, so a resume can
 * tell "in flight when killed" (re-applied: updates are idempotent) from "never sent".
 */
import { open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { ErrorKind } from "../types.js";

export const JOURNAL_VERSION = 1;

export type JournalStatus = "started" | "applied" | "failed";

export interface JournalEntry {
  /** 1-based data row number in the input. */
  row: number;
  /** Hash of the row's content (see `rowHash`). */
  hash: string;
  status: JournalStatus;
  /** ISO timestamp. */
  at: string;
  /** failed: the error kind and message. */
  kind?: ErrorKind;
  message?: string;
  /** applied: the Intercom contact id. */
  contactId?: string;
}

/** What a journal file holds, as read back. */
export interface JournalState {
  /** The latest entry per row+hash; an "applied" entry is never overridden by a later one. */
  entries: Map<string, JournalEntry>;
  /** Complete entry lines read. */
  lines: number;
  /** Runs recorded (a run line is written when a journal is opened for writing). */
  runs: number;
  /** 1 when the file ended in a partial line (a write cut short by a crash); that line is ignored. */
  tornTail: number;
  /** Complete lines that were not valid journal entries (ignored: those rows are simply applied again). */
  badLines: number;
}

/** The interface the bulk runner writes to; `openJournal` gives a durable one, `memoryJournal` a throwaway. */
export interface BulkJournal {
  /** The latest recorded entry for this row with this content. */
  lookup(row: number, hash: string): JournalEntry | undefined;
  /** Resolves once the entry is durable (written and fsynced). */
  record(entry: JournalEntry): Promise<void>;
  close(): Promise<void>;
  /** Where it lives, for messages (null in memory). */
  readonly path: string | null;
  /** What was there when it was opened. */
  readonly previous: Readonly<Omit<JournalState, "entries">> & { started: number; applied: number; failed: number };
}

export function journalKey(row: number, hash: string): string {
  return `${row}:${hash}`;
}

const STATUSES: ReadonlySet<string> = new Set(["started", "applied", "failed"]);

function toEntry(value: unknown): JournalEntry | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.row !== "number" || !Number.isInteger(v.row) || v.row < 1) return null;
  if (typeof v.hash !== "string" || v.hash === "") return null;
  if (typeof v.status !== "string" || !STATUSES.has(v.status)) return null;
  const entry: JournalEntry = {
    row: v.row,
    hash: v.hash,
    status: v.status as JournalStatus,
    at: typeof v.at === "string" ? v.at : "",
  };
  if (typeof v.kind === "string") entry.kind = v.kind as ErrorKind;
  if (typeof v.message === "string") entry.message = v.message;
  if (typeof v.contactId === "string") entry.contactId = v.contactId;
  return entry;
}

/** Reads journal text. Tolerates a torn last line (no trailing newline) and ignores lines it cannot read. */
export function parseJournal(text: string): JournalState {
  const state: JournalState = { entries: new Map(), lines: 0, runs: 0, tornTail: 0, badLines: 0 };
  const parts = text.split("\n");
  // Everything after the last newline was never completed: a write is only acknowledged once its newline is durable.
  const tail = parts.pop() ?? "";
  if (tail !== "") state.tornTail = 1;
  for (const line of parts) {
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      state.badLines++;
      continue;
    }
    if (typeof parsed === "object" && parsed !== null && "run" in parsed) {
      state.runs++;
      continue;
    }
    const entry = toEntry(parsed);
    if (!entry) {
      state.badLines++;
      continue;
    }
    state.lines++;
    const key = journalKey(entry.row, entry.hash);
    if (state.entries.get(key)?.status === "applied") continue;
    state.entries.set(key, entry);
  }
  return state;
}

function summarize(state: JournalState): BulkJournal["previous"] {
  let started = 0;
  let applied = 0;
  let failed = 0;
  for (const e of state.entries.values()) {
    if (e.status === "started") started++;
    else if (e.status === "applied") applied++;
    else failed++;
  }
  const { lines, runs, tornTail, badLines } = state;
  return { lines, runs, tornTail, badLines, started, applied, failed };
}

function serialize(entry: JournalEntry): string {
  const out: Record<string, unknown> = { v: JOURNAL_VERSION, row: entry.row, hash: entry.hash, status: entry.status };
  out.at = entry.at;
  if (entry.kind !== undefined) out.kind = entry.kind;
  if (entry.message !== undefined) out.message = entry.message;
  if (entry.contactId !== undefined) out.contactId = entry.contactId;
  return `${JSON.stringify(out)}\n`;
}

export type OpenJournalResult =
  | { ok: true; journal: BulkJournal }
  | { ok: false; error: { kind: "exists" | "io"; path: string; message: string } };

export interface OpenJournalOptions {
  /** Continue an existing journal. Without it an existing non-empty journal is refused, never overwritten. */
  resume?: boolean;
  /** For the run line. */
  now?: () => number;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A new file's name is durable only once its directory is synced; some file systems refuse, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const d = await open(dir, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Platforms that cannot fsync a directory: the file's own fsync still holds its content.
  }
}

/**
 * Opens (or creates) a journal file for appending. With `resume`, the entries already there are loaded and a torn
 * last line is cut off before anything is appended, so the file stays one entry per line.
 */
export async function openJournal(path: string, options: OpenJournalOptions = {}): Promise<OpenJournalResult> {
  const now = options.now ?? Date.now;
  let existing: Buffer | null = null;
  try {
    existing = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      return {
        ok: false,
        error: { kind: "io", path, message: `Cannot read the journal ${path}: ${errorMessage(error)}` },
      };
    }
  }
  if (existing && existing.length > 0 && !options.resume) {
    return {
      ok: false,
      error: {
        kind: "exists",
        path,
        message: `The journal ${path} already exists: pass --resume to continue that run, or --journal to use another file`,
      },
    };
  }
  const state = existing ? parseJournal(existing.toString("utf8")) : parseJournal("");
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "a");
    // Cut a torn tail, so the next entry starts on its own line.
    const keep = existing ? existing.lastIndexOf(0x0a) + 1 : 0;
    if (existing && keep < existing.length) await handle.truncate(keep);
    await handle.appendFile(
      `${JSON.stringify({ v: JOURNAL_VERSION, run: new Date(now()).toISOString(), resume: Boolean(options.resume) })}\n`,
    );
    await handle.sync();
    if (!existing) await syncDirectory(dirname(path));
  } catch (error) {
    return {
      ok: false,
      error: { kind: "io", path, message: `Cannot write the journal ${path}: ${errorMessage(error)}` },
    };
  }
  return { ok: true, journal: fileJournal(path, handle, state) };
}

/**
 * Group commit: entries recorded while a write+fsync is in flight go out together in the next one; each `record`
 * resolves only after the fsync that covers its line.
 */
function fileJournal(path: string, handle: Awaited<ReturnType<typeof open>>, state: JournalState): BulkJournal {
  const entries = state.entries;
  let pending: Array<{ line: string; resolve: () => void; reject: (error: Error) => void }> = [];
  let flushing: Promise<void> | null = null;
  let closed = false;

  const flush = async (): Promise<void> => {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        await handle.appendFile(batch.map((p) => p.line).join(""));
        await handle.sync();
        for (const p of batch) p.resolve();
      } catch (error) {
        const failure = new Error(`Cannot write the journal ${path}: ${errorMessage(error)}`);
        for (const p of batch) p.reject(failure);
      }
    }
    flushing = null;
  };

  return {
    path,
    previous: summarize(state),
    lookup: (row, hash) => entries.get(journalKey(row, hash)),
    record(entry) {
      if (closed) return Promise.reject(new Error("The journal is closed"));
      const key = journalKey(entry.row, entry.hash);
      if (entries.get(key)?.status !== "applied") entries.set(key, entry);
      return new Promise<void>((resolve, reject) => {
        pending.push({ line: serialize(entry), resolve, reject });
        flushing ??= flush();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      while (flushing) await flushing;
      await handle.close();
    },
  };
}

/** A journal that keeps entries in memory only (for library callers that do not need resume). */
export function memoryJournal(initial: readonly JournalEntry[] = []): BulkJournal & { entries(): JournalEntry[] } {
  const state = parseJournal(initial.map(serialize).join(""));
  const log: JournalEntry[] = [...initial];
  return {
    path: null,
    previous: summarize(state),
    lookup: (row, hash) => state.entries.get(journalKey(row, hash)),
    record(entry) {
      log.push(entry);
      const key = journalKey(entry.row, entry.hash);
      if (state.entries.get(key)?.status !== "applied") state.entries.set(key, entry);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
    entries: () => [...log],
  };
}
