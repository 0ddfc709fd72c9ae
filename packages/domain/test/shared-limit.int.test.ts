/**
 * Three processes sharing one app's rate limit (issue 10): one sandbox allowing 1200 calls a minute (200 per
 * 10-second window), three child processes (plain Node, the built package) each updating 50 different users at the
 * same time. 150 rows cost 300 calls (a lookup and a PUT each), more than one window holds, so the processes
 * contend for the same window's budget, each pacing itself by headers the others also spend. Every row must be
 * applied, none rate_limited, and every 429 the sandbox sent must have been waited out (retried at or after the
 * window it was refused in) and then succeeded. Real clock: the run takes one or two windows (10-20 s) by nature.
 * Needs the built package (turbo's test task builds first).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RecordedRequest, type Sandbox, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkContactId, bulkSandboxData } from "./bulk-fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, "shared-limit-child.mjs");
const built = join(here, "..", "dist", "bulk", "index.js");
const PROCESSES = 3;
const USERS_EACH = 50;
const PER_MINUTE = 1200;
const PER_WINDOW = 200;
const WINDOW_MS = 10_000;

interface ChildReport {
  applied: number;
  unchanged: number;
  failed: number;
  skipped: number;
  kinds: Record<string, number>;
  startedAt: number;
  endedAt: number;
  stats: { requests: number; retries: number; rateLimited: number; pacedWaits: number };
}

let sb: Sandbox;
const children: ChildProcess[] = [];
beforeAll(async () => {
  sb = await startSandbox({ data: bulkSandboxData(PROCESSES * USERS_EACH), rateLimitPerMinute: PER_MINUTE });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await sb?.stop();
});

function run(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const proc = spawn(process.execPath, [child], {
    env: { ...process.env, ...env, SBX_URL: sb.url, SBX_TOKEN: sb.token },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(proc);
  let out = "";
  let err = "";
  proc.stdout?.on("data", (d) => {
    out += d;
  });
  proc.stderr?.on("data", (d) => {
    err += d;
  });
  return new Promise((resolve) => proc.on("exit", (code) => resolve({ code, out, err })));
}

/** The end of the rate-limit window a request arrived in (windows are aligned to Unix time). */
const windowEnd = (at: number) => Math.floor(at / WINDOW_MS) * WINDOW_MS + WINDOW_MS;

describe("three processes sharing one app's limit", () => {
  it("apply all 150 rows, none rate_limited; every 429 was waited out and retried", async () => {
    expect(existsSync(built), `build the package first (pnpm turbo run build --filter=@intercom-kit/domain)`).toBe(
      true,
    );
    // Every process starts at the same moment, once all of them are loaded, just after a window opens: the first
    // 200 calls spend that window within a second, and the other 100 must wait for the next one.
    const startAt = windowEnd(Date.now() + 1500) + 100;
    const runs = Array.from({ length: PROCESSES }, (_, p) =>
      run({ FIRST: String(p * USERS_EACH + 1), COUNT: String(USERS_EACH), START_AT: String(startAt) }),
    );
    const ended = await Promise.all(runs);
    const seconds = (Date.now() - startAt) / 1000;
    const reports = ended.map((e) => {
      expect(e.code, e.err).toBe(0);
      return JSON.parse(e.out) as ChildReport;
    });

    // Every row applied, in every process; nothing failed, so nothing was rate_limited.
    for (const r of reports) {
      expect({ applied: r.applied, failed: r.failed, kinds: r.kinds }).toEqual({
        applied: USERS_EACH,
        failed: 0,
        kinds: {},
      });
    }
    for (let i = 1; i <= PROCESSES * USERS_EACH; i++) {
      expect(sb.state.getContact(bulkContactId(i))?.name).toBe(`Shared ${i}`);
    }

    // They really ran at the same time, and needed more than one window: contention for one budget.
    const log = sb.requests();
    const ok = log.filter((r) => r.status >= 200 && r.status < 300);
    expect(ok.length).toBe(PROCESSES * USERS_EACH * 2);
    expect(ok.length).toBeGreaterThan(PER_WINDOW);
    const lastStart = Math.max(...reports.map((r) => r.startedAt));
    const firstEnd = Math.min(...reports.map((r) => r.endedAt));
    expect(lastStart).toBeLessThan(firstEnd);
    const windows = new Map<number, number>();
    for (const r of ok) windows.set(windowEnd(r.at), (windows.get(windowEnd(r.at)) ?? 0) + 1);
    expect(Math.max(...windows.values())).toBeLessThanOrEqual(PER_WINDOW);
    expect(windows.size).toBeGreaterThan(1);
    // So someone had to wait for the next window: by a 429, or by pacing before it.
    const pacedWaits = reports.reduce((n, r) => n + r.stats.pacedWaits, 0);

    // Every 429 was answered by waiting: the same call came back in a later window, and then succeeded.
    const limited = log.filter((r) => r.status === 429);
    const callOf = (r: RecordedRequest) => `${r.method} ${r.path}`;
    for (const refused of limited) {
      const later = log.filter((r) => callOf(r) === callOf(refused) && r.at > refused.at);
      expect(later.length, `${callOf(refused)} was never retried`).toBeGreaterThan(0);
      const retry = later[0] as RecordedRequest;
      // The client waits for X-RateLimit-Reset (plus jitter); allow for the two clocks' rounding.
      expect(retry.at, `${callOf(refused)} was retried before its window ended`).toBeGreaterThanOrEqual(
        windowEnd(refused.at) - 50,
      );
      expect(
        later.some((r) => r.status >= 200 && r.status < 300),
        `${callOf(refused)} never succeeded`,
      ).toBe(true);
    }
    // What the clients counted is what the sandbox sent.
    expect(reports.reduce((n, r) => n + r.stats.rateLimited, 0)).toBe(limited.length);
    expect(log.length).toBe(ok.length + limited.length);
    expect(limited.length + pacedWaits).toBeGreaterThan(0);

    const perProcess = reports
      .map((r) => `${r.stats.requests} calls, ${r.stats.rateLimited} x 429, ${r.stats.pacedWaits} paced waits`)
      .join("; ");
    const perWindow = [...windows.values()].join(" + ");
    console.log(
      `shared limit: ${PROCESSES} processes x ${USERS_EACH} users, ${ok.length} calls (${perWindow} per window) + ${limited.length} x 429 (all waited out and retried) in ${seconds.toFixed(1)} s; ${perProcess}`,
    );
  }, 90_000);
});
