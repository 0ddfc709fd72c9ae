/**
 * What a bulk run ends with: the exit code, the human summary (stderr) and the JSON lines (stdout with --json).
 * Pure functions, so the wording is tested without running anything.
 */
import {
  type ErrorKind,
  errorDocument,
  escapeControl,
  type RateLimitInfo,
  type UpdateUserResult,
} from "@intercom-kit/domain";
import type { BulkProgress, BulkRowResult } from "@intercom-kit/domain/bulk";
import { EXIT, exitCodeFor } from "../exit-codes.js";
import { formatCount, formatDuration } from "./progress.js";

/** Rows listed by name in the summary before "... and N more". */
export const LISTED_ROWS = 20;

export interface BulkTally {
  total: number;
  applied: number;
  /** Rows whose user already had every value: nothing was written. */
  unchanged: number;
  /** Of `applied`: rows an earlier run had applied (skipped now). */
  alreadyApplied: number;
  failed: number;
  invalidSkipped: number;
  notSent: number;
  aborted: number;
  /** Of `applied`: rows sent again because the last run stopped while they were in flight. */
  resent: number;
  failuresByKind: Partial<Record<ErrorKind, number>>;
  /** First failed rows: "row 12 (line 13): not_found: No user has user ID 42". */
  failures: string[];
  /** First invalid rows. */
  invalid: string[];
}

export function emptyTally(): BulkTally {
  return {
    total: 0,
    applied: 0,
    unchanged: 0,
    alreadyApplied: 0,
    failed: 0,
    invalidSkipped: 0,
    notSent: 0,
    aborted: 0,
    resent: 0,
    failuresByKind: {},
    failures: [],
    invalid: [],
  };
}

function where(r: Pick<BulkRowResult, "row" | "line">): string {
  return r.line ? `row ${r.row} (line ${r.line})` : `row ${r.row}`;
}

/** Adds one row's result to the tally (mutates and returns it: the tally is the command's own accumulator). */
export function tallyRow(tally: BulkTally, r: BulkRowResult): BulkTally {
  tally.total++;
  if (r.resent) tally.resent++;
  if (r.status === "applied") tally.applied++;
  else if (r.status === "unchanged") tally.unchanged++;
  else if (r.status === "failed") {
    tally.failed++;
    const error = (r.result as Extract<UpdateUserResult, { ok: false }>).error;
    tally.failuresByKind[error.kind] = (tally.failuresByKind[error.kind] ?? 0) + 1;
    if (tally.failures.length < LISTED_ROWS) {
      tally.failures.push(`${where(r)}: ${error.kind}: ${escapeControl(error.message)}`);
    }
  } else if ("skipped" in r.result) {
    const skip = r.result;
    if (skip.skipped === "already_applied") {
      tally.applied++;
      tally.alreadyApplied++;
    } else if (skip.skipped === "invalid") {
      tally.invalidSkipped++;
      if (tally.invalid.length < LISTED_ROWS) tally.invalid.push(escapeControl(skip.message));
    } else if (skip.skipped === "not_sent") tally.notSent++;
    else tally.aborted++;
  }
  return tally;
}

/**
 * 0 only when every row is applied or already as asked (now or by an earlier run). Interrupted: 130. Failures: the
 * single action's code when they all map to one (not_found and ambiguous are both 3), else 5. Invalid rows: 2 (also
 * with --skip-invalid: the file still needs fixing).
 */
export function bulkExitCode(tally: BulkTally, interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted;
  if (tally.failed > 0) {
    const codes = new Set((Object.keys(tally.failuresByKind) as ErrorKind[]).map(exitCodeFor));
    return codes.size === 1 ? ([...codes][0] as number) : EXIT.failed;
  }
  if (tally.invalidSkipped > 0 || tally.notSent > 0) return EXIT.invalidInput;
  if (tally.aborted > 0) return EXIT.other;
  return tally.applied + tally.unchanged === tally.total ? EXIT.ok : EXIT.other;
}

export interface RunFigures {
  elapsedMs: number;
  progress: BulkProgress | null;
  /** The client's latest rate-limit headers. */
  rateLimit: RateLimitInfo;
  journal: string | null;
  backendLabel: string;
}

/** Calls per second the run achieved, over its whole duration. */
export function achievedCallRate(figures: RunFigures): number {
  const calls = figures.progress?.calls ?? 0;
  return figures.elapsedMs > 0 ? calls / (figures.elapsedMs / 1000) : 0;
}

/** X-RateLimit-Limit is per 10-second window; as calls per second. */
export function limitPerSecond(rateLimit: RateLimitInfo): number | null {
  return rateLimit.limit === null ? null : rateLimit.limit / 10;
}

function kinds(byKind: Partial<Record<ErrorKind, number>>): string {
  return Object.entries(byKind)
    .sort(([, a], [, b]) => (b as number) - (a as number))
    .map(([k, n]) => `${k} ${formatCount(n as number)}`)
    .join(", ");
}

export function formatSummary(tally: BulkTally, figures: RunFigures, interrupted: boolean): string {
  const p = figures.progress;
  const lines: string[] = [];
  lines.push(
    `${interrupted ? "Bulk update interrupted" : "Bulk update finished"} after ${formatDuration(figures.elapsedMs)} (${figures.backendLabel})`,
  );
  const pad = (label: string, n: number) => `  ${label.padEnd(10)}${formatCount(n).padStart(8)}`;
  lines.push(
    `${pad("applied", tally.applied)}${tally.alreadyApplied > 0 ? `  (${formatCount(tally.alreadyApplied)} by an earlier run)` : ""}${
      tally.resent > 0 ? `  (${formatCount(tally.resent)} sent again: in flight when the last run stopped)` : ""
    }`,
  );
  lines.push(
    `${pad("unchanged", tally.unchanged)}${tally.unchanged > 0 ? "  (already as asked: nothing written)" : ""}`,
  );
  lines.push(`${pad("failed", tally.failed)}${tally.failed > 0 ? `  ${kinds(tally.failuresByKind)}` : ""}`);
  const skipped = tally.invalidSkipped + tally.notSent + tally.aborted;
  const why = [
    tally.invalidSkipped > 0 ? `${formatCount(tally.invalidSkipped)} invalid` : "",
    tally.notSent > 0 ? `${formatCount(tally.notSent)} not sent because of invalid rows` : "",
    tally.aborted > 0 ? `${formatCount(tally.aborted)} not sent: interrupted` : "",
  ].filter(Boolean);
  lines.push(`${pad("skipped", skipped)}${why.length > 0 ? `  ${why.join(", ")}` : ""}`);
  if (p && p.calls > 0) {
    const rate = achievedCallRate(figures);
    const limit = limitPerSecond(figures.rateLimit);
    // The share of the limit means something only when the limit held the run back over several windows; a short
    // run can burst past limit/10 per second inside one window, so the limit is shown as the header gives it.
    const limitBound = limit && p.pacedWaits > 0 && figures.elapsedMs >= 60_000;
    const share = limitBound ? `, ${Math.round((rate / limit) * 100)}% of the limit` : "";
    const ofLimit = limit
      ? `${share} (limit ${formatCount(figures.rateLimit.limit ?? 0)} per 10-second window = ${limit.toFixed(1)}/s)`
      : "";
    lines.push(`  calls     ${formatCount(p.calls).padStart(8)}  ${rate.toFixed(1)}/s${ofLimit}`);
    const extra = [
      p.retries > 0 ? `${formatCount(p.retries)} retried` : "",
      p.rateLimited > 0 ? `${formatCount(p.rateLimited)} answered 429 and retried` : "",
      p.pacedWaits > 0 ? `${formatCount(p.pacedWaits)} waited for the rate-limit window` : "",
    ].filter(Boolean);
    if (extra.length > 0) lines.push(`            ${extra.join("; ")}`);
  }
  const list = (title: string, items: string[], count: number) => {
    if (count === 0) return;
    lines.push(title);
    for (const item of items) lines.push(`  ${item}`);
    if (count > items.length) lines.push(`  … and ${formatCount(count - items.length)} more`);
  };
  // Invalid rows were listed before the run started.
  list("Failed rows:", tally.failures, tally.failed);
  if (figures.journal && (tally.failed > 0 || interrupted || tally.aborted > 0)) {
    lines.push(`Journal: ${figures.journal}. Run the same command with --resume to retry what is not applied.`);
  } else if (figures.journal) lines.push(`Journal: ${figures.journal}`);
  return lines.join("\n");
}

/** One NDJSON line per row for --json. No tokens exist in results; error causes are dropped like the single action. */
export function rowDocument(r: BulkRowResult): Record<string, unknown> {
  const base = { type: "row", row: r.row, line: r.line, status: r.status };
  if ("skipped" in r.result) {
    const { skipped, message, errors } = r.result;
    return { ...base, reason: skipped, message, ...(errors ? { errors } : {}) };
  }
  if (r.result.ok) {
    return { ...base, ...(r.resent ? { resent: true } : {}), outcome: r.result.outcome, user: r.result.user };
  }
  return { ...base, ...errorDocument(r.result.error) };
}

export function summaryDocument(
  tally: BulkTally,
  figures: RunFigures,
  exitCode: number,
  interrupted: boolean,
): Record<string, unknown> {
  const p = figures.progress;
  const { failures: _f, invalid: _i, ...counts } = tally;
  return {
    type: "summary",
    ...counts,
    interrupted,
    elapsedMs: figures.elapsedMs,
    calls: p?.calls ?? 0,
    retries: p?.retries ?? 0,
    rateLimited: p?.rateLimited ?? 0,
    pacedWaits: p?.pacedWaits ?? 0,
    callsPerSecond: Number(achievedCallRate(figures).toFixed(2)),
    limitPerSecond: limitPerSecond(figures.rateLimit),
    journal: figures.journal,
    exitCode,
  };
}
