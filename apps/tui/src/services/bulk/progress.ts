/**
 * Bulk progress on stderr: a redrawn bar in a terminal, a plain line every few seconds otherwise (CI logs, pipes).
 * Rates come from the last ten seconds, so the ETA follows the rate limit rather than the burst at the start.
 */
import type { BulkProgress } from "@intercom-kit/domain/bulk";

export interface ProgressOut {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Rates {
  rowsPerSecond: number;
  callsPerSecond: number;
  /** Milliseconds left at the current row rate, or null when unknown. */
  etaMs: number | null;
}

const RATE_WINDOW_MS = 10_000;

export function formatDuration(ms: number): string {
  if (ms < 9_950) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** Keeps recent (time, rows, calls) samples and derives rates over the last ten seconds. */
export function createRateMeter() {
  const samples: Array<{ t: number; done: number; calls: number }> = [];
  return {
    add(t: number, p: Pick<BulkProgress, "done" | "calls" | "skipped">): void {
      // Skipped rows (already applied, invalid) finish instantly; counting them would inflate the rate.
      samples.push({ t, done: p.done - p.skipped, calls: p.calls });
      while (samples.length > 2 && (samples[0] as { t: number }).t < t - RATE_WINDOW_MS) samples.shift();
    },
    rates(remainingRows: number): Rates {
      const first = samples[0];
      const last = samples.at(-1);
      if (!first || !last || last.t - first.t < 500) return { rowsPerSecond: 0, callsPerSecond: 0, etaMs: null };
      const dt = (last.t - first.t) / 1000;
      const rowsPerSecond = (last.done - first.done) / dt;
      const callsPerSecond = (last.calls - first.calls) / dt;
      const etaMs = rowsPerSecond > 0 ? (remainingRows / rowsPerSecond) * 1000 : null;
      return { rowsPerSecond, callsPerSecond, etaMs };
    },
  };
}

/** "[#####.....] 1,234/5,000 rows · 24.1 rows/s · 96.3 calls/s · ETA 2m36s · 3 failed" */
export function formatProgressLine(p: BulkProgress, rates: Rates, width = 80): string {
  const parts = [
    `${formatCount(p.done)}/${formatCount(p.total)} rows`,
    `${rates.rowsPerSecond.toFixed(1)} rows/s`,
    `${rates.callsPerSecond.toFixed(1)} calls/s`,
    `ETA ${rates.etaMs === null ? "–" : formatDuration(rates.etaMs)}`,
    `${formatCount(p.failed)} failed`,
  ];
  const text = parts.join(" · ");
  const barWidth = Math.max(0, Math.min(30, width - text.length - 4));
  if (barWidth < 5) return text.slice(0, Math.max(0, width - 1));
  const filled = p.total === 0 ? barWidth : Math.round((p.done / p.total) * barWidth);
  return `[${"#".repeat(filled)}${".".repeat(barWidth - filled)}] ${text}`;
}

export interface ProgressReporterOptions {
  out: ProgressOut;
  /** Redraw in place (a terminal) or print plain lines. */
  tty: boolean;
  /** Plain lines: at most one per interval. Default 5 000 ms (terminal: redraw every 150 ms). */
  intervalMs?: number;
  now?: () => number;
}

export interface ProgressReporter {
  update(progress: BulkProgress): void;
  /**
   * Why calls are waiting (a retry, a rate-limit pause: the domain's `describeRequestEvent` line). In a terminal it
   * follows the bar until the next progress; otherwise it is printed, at most once per interval, so a run held up by the
   * rate limit says so instead of going quiet.
   */
  wait(line: string): void;
  /** Current rates (for the summary). */
  rates(): Rates;
  /** Clears the bar (terminal) or prints nothing more. */
  stop(): void;
}

export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const { out, tty } = options;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? (tty ? 150 : 5_000);
  const meter = createRateMeter();
  let latest: BulkProgress | null = null;
  let drawn = false;
  let lastPrinted = 0;
  let lastDone = -1;
  let waiting: string | null = null;
  let lastWaitPrinted = 0;

  const draw = () => {
    if (!latest || latest.phase === "validated") return;
    // Sample at drawing time too, so the rates fall while the run waits for a rate-limit window.
    meter.add(now(), latest);
    const r = meter.rates(latest.total - latest.done);
    if (tty) {
      // A terminal that reports 0 columns (e.g. under `script`) has an unknown width, not none.
      const width = out.columns || 80;
      // While calls wait, why they wait matters more than the bar: the counts and the reason, cut to the width.
      const line = waiting
        ? `${formatCount(latest.done)}/${formatCount(latest.total)} rows · ${formatCount(latest.failed)} failed · ${waiting}`
        : formatProgressLine(latest, r, width);
      out.write(`\r\x1b[2K${line.length < width ? line : `${line.slice(0, width - 2)}…`}`);
      drawn = true;
    } else if (latest.done !== lastDone) {
      out.write(`bulk: ${formatProgressLine(latest, r, 200).replace(/^\[[#.]*\] /, "")}\n`);
      lastDone = latest.done;
    }
  };
  const timer = tty ? setInterval(draw, interval) : null;
  timer?.unref();

  return {
    wait(line) {
      waiting = line;
      const t = now();
      if (!tty && t - lastWaitPrinted >= interval) {
        out.write(`bulk: ${line}\n`);
        lastWaitPrinted = t;
      }
    },
    update(progress) {
      if (latest && progress.done !== latest.done) waiting = null;
      latest = progress;
      const t = now();
      meter.add(t, progress);
      if (!tty && progress.phase === "running" && t - lastPrinted >= interval) {
        if (lastPrinted !== 0) draw();
        lastPrinted = t;
      }
    },
    rates: () => meter.rates(latest ? latest.total - latest.done : 0),
    stop() {
      if (timer) clearInterval(timer);
      if (tty && drawn) out.write("\r\x1b[2K");
    },
  };
}
