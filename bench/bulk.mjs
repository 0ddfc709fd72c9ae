// Bulk update at the rate limit: does a long run use the limit fully, without 429s reaching anyone, and lose no row?
// Side by side in one run, each against its own sandbox with the same limit (10,000/min = 1,667 per 10-second window)
// and the same latency:
//   ours     updateUsers from @intercom-kit/domain, concurrency 8, the client's shared pacing (X-RateLimit-*)
//   baseline the official intercom-client SDK, 8 rows at a time (a promise pool), the same 4 calls per row, its own
//            retries (it honours X-RateLimit-Reset on 429); no pacing before the limit is hit
// Rows are the simplest shape: by Intercom ID + name = PUT /contacts/{id} + companies, tags and segments reads.
// Counting is done by a recording fetch given to both clients: every response's status and X-RateLimit-Reset (the
// window it was counted in). Goals (ours): accepted calls per full window / limit >= 0.95; 429s reaching a row: 0;
// rows lost: 0.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createIntercomClient, updateUsers } from "@intercom-kit/domain";
import { createSeedData, perWindow, SEED } from "@intercom-kit/sandbox";
import { IntercomClient } from "intercom-client";
import { markdownTable, writeResults } from "./lib/report.mjs";

const ROWS = Number(process.env.BENCH_ROWS ?? 5000);
const BASELINE_ROWS = Number(process.env.BENCH_BASELINE_ROWS ?? 1000);
const PER_MINUTE = Number(process.env.BENCH_LIMIT_PER_MINUTE ?? 10_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const GOAL_UTILISATION = 0.95;
const LIMIT = perWindow(PER_MINUTE);

const idOf = (i) => `be7c4000${i.toString(16).padStart(16, "0")}`;

function data(n) {
  const d = createSeedData();
  const template = d.contacts.find((c) => c.id === SEED.plainUser.id);
  for (let i = 1; i <= n; i++) {
    d.contacts.push({
      ...structuredClone(template),
      id: idOf(i),
      external_id: `bench-${i}`,
      email: `bench${i}@example.com`,
      name: null,
      company_ids: [],
      tags: [],
      segment_ids: [],
    });
  }
  return d;
}

/**
 * Each sandbox runs in its own Node process, so the server and the client under test do not share one event loop
 * (on 2 cores that would make CPU, not the rate limit, the bound). The token goes by environment, never printed.
 */
async function startSandboxProcess(n) {
  const token = `sbx_${randomBytes(24).toString("base64url")}`;
  const code = [
    'import { createSeedData, SEED, startSandbox } from "@intercom-kit/sandbox";',
    `const idOf = ${idOf.toString()};`,
    `${data.toString()}`,
    `const sb = await startSandbox({ data: data(${n}), token: process.env.SBX_TOKEN, rateLimitPerMinute: ${PER_MINUTE}, latencyMs: ${LATENCY_MS} });`,
    'process.stdout.write(JSON.stringify({ url: sb.url }) + "\\n");',
    "process.stdin.on('end', async () => { await sb.stop(); process.exit(0); });",
    "process.stdin.resume();",
  ].join("\n");
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], {
    cwd: fileURLToPath(new URL(".", import.meta.url)),
    env: { ...process.env, SBX_TOKEN: token },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const first = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", resolve);
    child.once("exit", (c) => reject(new Error(`the sandbox process exited (${c}) before listening`)));
  });
  const { url } = JSON.parse(first);
  return {
    url,
    token,
    /** The stored contacts, read through the sandbox's admin route (no rate limit). */
    async contacts() {
      const res = await fetch(`${url}/__sandbox/state`, { headers: { Authorization: `Bearer ${token}` } });
      return new Map((await res.json()).contacts.map((c) => [c.id, c]));
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

/** A fetch that records every response's status and rate-limit window, for both clients alike. */
function recordingFetch() {
  const seen = [];
  const f = async (input, init) => {
    const res = await fetch(input, init);
    const reset = Number(res.headers.get("x-ratelimit-reset"));
    seen.push({ status: res.status, reset: Number.isFinite(reset) ? reset : null, at: Date.now() });
    return res;
  };
  return { fetch: f, seen };
}

function windowFigures(seen) {
  const accepted = seen.filter((s) => s.status !== 429 && s.reset !== null);
  const byWindow = new Map();
  for (const s of accepted) byWindow.set(s.reset, (byWindow.get(s.reset) ?? 0) + 1);
  const windows = [...byWindow.entries()].sort(([a], [b]) => a - b);
  // The first and last windows are cut by the start and end of the run; judge the full ones in between.
  const full = windows.slice(1, -1).map(([, n]) => n);
  const utilisation = full.length > 0 ? full.reduce((a, b) => a + b, 0) / (full.length * LIMIT) : Number.NaN;
  return {
    windows: windows.map(([reset, n]) => ({ reset, accepted: n })),
    fullWindows: full.length,
    utilisation,
    minFullWindow: full.length > 0 ? Math.min(...full) : null,
  };
}

async function runOurs(sandbox, rows) {
  const rec = recordingFetch();
  const client = createIntercomClient({ token: sandbox.token, baseUrl: sandbox.url, fetch: rec.fetch, maxRetries: 5 });
  const input = rows.map((i) => ({ intercomId: idOf(i), name: `Bulk ${i}` }));
  let rateLimitedRows = 0;
  let failed = 0;
  const started = Date.now();
  let lastTick = started;
  for await (const r of updateUsers(client, input, { concurrency: CONCURRENCY })) {
    if (r.status !== "applied") failed++;
    if (r.status === "failed" && r.result.error.kind === "rate_limited") rateLimitedRows++;
    if (Date.now() - lastTick > 10_000) {
      lastTick = Date.now();
      process.stderr.write(`  ours: ${rec.seen.length} calls after ${Math.round((lastTick - started) / 1000)}s\n`);
    }
  }
  return { elapsedMs: Date.now() - started, seen: rec.seen, failed, rateLimitedRows };
}

async function runBaseline(sandbox, rows) {
  const rec = recordingFetch();
  const sdk = new IntercomClient({ token: sandbox.token, baseUrl: sandbox.url, version: "2.14", fetch: rec.fetch });
  let next = 0;
  let failed = 0;
  let rateLimitedRows = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < rows.length) {
      const i = rows[next++];
      try {
        const contact = await sdk.contacts.update({ contact_id: idOf(i), name: `Bulk ${i}` });
        await sdk.contacts.listAttachedCompanies({ contact_id: contact.id });
        await sdk.contacts.listAttachedTags({ contact_id: contact.id });
        await sdk.contacts.listAttachedSegments({ contact_id: contact.id });
      } catch (error) {
        failed++;
        if (error?.statusCode === 429) rateLimitedRows++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { elapsedMs: Date.now() - started, seen: rec.seen, failed, rateLimitedRows };
}

async function figures(name, sandbox, rows, run) {
  const contacts = await sandbox.contacts();
  const lost = rows.filter((i) => contacts.get(idOf(i))?.name !== `Bulk ${i}`).length;
  const accepted = run.seen.filter((s) => s.status !== 429).length;
  const wire429 = run.seen.filter((s) => s.status === 429).length;
  const w = windowFigures(run.seen);
  const overall = accepted / (run.elapsedMs / 1000);
  return {
    name,
    rows: rows.length,
    elapsedS: run.elapsedMs / 1000,
    accepted,
    wire429,
    rateLimitedRows: run.rateLimitedRows,
    failedRows: run.failed,
    lost,
    callsPerSecond: overall,
    overallRatio: overall / (LIMIT / 10),
    ...w,
  };
}

const all = Array.from({ length: ROWS }, (_, k) => k + 1);
const ours = await startSandboxProcess(ROWS);
const base = await startSandboxProcess(BASELINE_ROWS);
let failed = false;
try {
  process.stderr.write(`ours: ${ROWS} rows (~${Math.round((ROWS * 4) / (LIMIT / 10))} s at the limit)\n`);
  const a = await figures("ours (updateUsers, paced)", ours, all, await runOurs(ours, all));
  const baseRows = all.slice(0, BASELINE_ROWS);
  process.stderr.write(`baseline: ${BASELINE_ROWS} rows\n`);
  const b = await figures(
    "baseline (intercom-client SDK, pool of 8)",
    base,
    baseRows,
    await runBaseline(base, baseRows),
  );
  const pct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "n/a");
  const rows = [a, b].map((f) => [
    f.name,
    f.rows,
    f.elapsedS,
    f.accepted,
    f.callsPerSecond,
    pct(f.utilisation),
    f.fullWindows,
    f.wire429,
    f.rateLimitedRows,
    f.lost,
  ]);
  const goals = {
    utilisation: a.utilisation >= GOAL_UTILISATION,
    no429ReachedRows: a.rateLimitedRows === 0 && a.failedRows === 0,
    noRowLost: a.lost === 0,
  };
  writeResults("bulk", {
    title: `Bulk update at the rate limit (${PER_MINUTE.toLocaleString("en-US")}/min = ${LIMIT} per 10 s window, ${LATENCY_MS} ms latency)`,
    table: markdownTable(
      [
        "run",
        "rows",
        "time s",
        "calls accepted",
        "calls/s",
        "full-window use / limit",
        "full windows",
        "429s on the wire",
        "429s reaching a row",
        "rows lost",
      ],
      rows,
    ),
    notes: [
      `Limit ${LIMIT} calls per 10-second window = ${(LIMIT / 10).toFixed(1)}/s. "Full-window use" = calls accepted in the windows strictly between the first and last of the run (those are cut by its start and end) / (windows x ${LIMIT}); goal for ours >= ${GOAL_UTILISATION * 100}%: ${goals.utilisation ? "met" : "NOT met"} (${pct(a.utilisation)}, lowest full window ${a.minFullWindow}/${LIMIT}).`,
      `429s reaching a row (ours): ${a.rateLimitedRows} (goal 0: ${goals.no429ReachedRows ? "met" : "NOT met"}); rows lost (ours): ${a.lost} of ${a.rows} (goal 0: ${goals.noRowLost ? "met" : "NOT met"}), checked in the sandbox's state after the run.`,
      `Ratio of 429s on the wire per accepted call: ours ${(a.wire429 / a.accepted).toFixed(4)}, baseline ${(b.wire429 / b.accepted).toFixed(4)}.`,
      `calls/s is over the whole run, partial windows included, so a short run that starts early in a window can read above ${(LIMIT / 10).toFixed(1)}/s.`,
      `Both at concurrency ${CONCURRENCY}; each row is 4 calls (PUT + 3 reads). Baseline has ${BASELINE_ROWS} rows to keep the bench short; its figures are per call and per window, so they compare.`,
      "Each sandbox runs in its own Node process (the client in this one); on a loaded 2-core machine CPU can still bound calls/s below the limit.",
    ],
    data: {
      limitPerWindow: LIMIT,
      perMinute: PER_MINUTE,
      latencyMs: LATENCY_MS,
      concurrency: CONCURRENCY,
      goals,
      ours: a,
      baseline: b,
    },
  });
  if (!goals.utilisation || !goals.no429ReachedRows || !goals.noRowLost) process.exitCode = 1;
} catch (error) {
  failed = true;
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  await ours.stop();
  await base.stop();
}
if (failed) process.exit(1);
