// Bulk update at the rate limit, identifying users by user ID: how many rows per minute, without a 429 reaching a row
// and without losing one? Two scenarios, each run side by side (at the same time) against two sandboxes with the same
// limit (10,000/min = 1,667 per 10-second window) and the same latency:
//   (a) every row changes (a new name): ours = find + PUT = 2 calls a row; ceiling 5,000 rows/min. Goal >= 90%.
//   (b) no row changes (the same name again): ours = find only = 1 call a row; ceiling 10,000 rows/min. Goal >= 90%.
//   ours     updateUsers from @intercom-kit/domain/bulk, concurrency 8, the client's shared pacing (X-RateLimit-*)
//   SDK      the official intercom-client SDK used the obvious way, 8 rows at a time (a promise pool):
//            showContactByExternalId, then contacts.update with the row's values (in (b) too: it cannot know that
//            nothing changed); its own retries (it waits for X-RateLimit-Reset on a 429); no pacing before a 429
// Both sides get the same number of seconds of work (rows = that side's ceiling x BENCH_SECONDS), start together at
// the start of a rate-limit window, and are judged on the windows strictly inside their run (the first and last are
// cut by its start and end). Counting is done by a recording fetch given to both clients: every response's status,
// method and X-RateLimit-Reset (the window it was counted in). Rows lost are checked in each sandbox's state.
// Each sandbox and each client runs in its own Node process (this file, forked with --sandbox-child or
// --client-child), so on a loaded 2-core machine no process needs more than a small share of a core; the figures
// include each process's CPU use and event-loop load, to show whether CPU was the bound.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createIntercomClient } from "@intercom-kit/domain";
import { updateUsers } from "@intercom-kit/domain/bulk";
import { createSeedData, perWindow, SEED, startSandbox, WINDOW_SECONDS } from "@intercom-kit/sandbox";
import { IntercomClient } from "intercom-client";
import { formatLoad, machineLoad, markdownTable, writeResults } from "./lib/report.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const PER_MINUTE = Number(process.env.BENCH_LIMIT_PER_MINUTE ?? 10_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
// Both clients get the same retry budget, the one our CLI uses for bulk runs (the SDK's default is 2).
const MAX_RETRIES = Number(process.env.BENCH_MAX_RETRIES ?? 5);
const ONLY = (process.env.BENCH_SCENARIOS ?? "a,b").split(",").map((s) => s.trim());
const GOAL_OF_CEILING = 0.9;
const WARMUP_CALLS = 200;
const LIMIT = perWindow(PER_MINUTE);
const WINDOW_MS = WINDOW_SECONDS * 1000;

const SCENARIOS = [
  {
    key: "a",
    title: "(a) every row changes",
    // What each side needs per row by design: ours find + PUT; the SDK find + PUT.
    callsPerRow: { ours: 2, sdk: 2 },
    stored: () => null,
    value: (i) => `New ${i}`,
    expect: "applied",
  },
  {
    key: "b",
    title: "(b) no row changes",
    // Ours: the lookup shows nothing differs, so nothing is written. The SDK still sends the PUT.
    callsPerRow: { ours: 1, sdk: 2 },
    stored: (i) => `Same ${i}`,
    value: (i) => `Same ${i}`,
    expect: "unchanged",
  },
].filter((s) => ONLY.includes(s.key));

/** Rows a side needs to stay busy for SECONDS at its ceiling (its calls per row at the limit). */
const rowsFor = (callsPerRow) => Math.round(((PER_MINUTE / callsPerRow) * SECONDS) / 60);
const externalId = (key, i) => `bulk-${key}-${i}`;

// ---------------------------------------------------------------------------------------------------------------
// The sandbox process

async function sandboxChild() {
  const spec = JSON.parse(process.env.BENCH_SANDBOX_SPEC ?? "[]");
  const data = createSeedData();
  const template = data.contacts.find((c) => c.id === SEED.plainUser.id);
  let n = 0;
  for (const { key, rows } of spec) {
    const scenario = SCENARIOS.find((s) => s.key === key);
    for (let i = 1; i <= rows; i++) {
      n++;
      data.contacts.push({
        ...structuredClone(template),
        id: `be7c${key === "a" ? "a" : "b"}${n.toString(16).padStart(19, "0")}`,
        external_id: externalId(key, i),
        email: `bulk-${key}-${i}@example.com`,
        name: scenario.stored(i),
        company_ids: [],
        tags: [],
        segment_ids: [],
      });
    }
  }
  const token = process.env.BENCH_SANDBOX_TOKEN;
  const sandbox = await startSandbox({ data, token, rateLimitPerMinute: PER_MINUTE, latencyMs: LATENCY_MS });
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  process.on("message", async (m) => {
    if (m === "usage") {
      process.send({ cpu: process.cpuUsage(cpu0), elu: performance.eventLoopUtilization(elu0) });
    } else if (m === "stop") {
      await sandbox.stop();
      process.disconnect();
    }
  });
  process.send({ url: sandbox.url });
}

/** A sandbox in its own process. The token goes by environment and stays in this process: it is never printed. */
async function startSandboxProcess(spec) {
  const token = `sbx_${randomBytes(24).toString("base64url")}`;
  const child = fork(fileURLToPath(import.meta.url), ["--sandbox-child"], {
    env: { ...process.env, BENCH_SANDBOX_TOKEN: token, BENCH_SANDBOX_SPEC: JSON.stringify(spec) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const { url } = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`the sandbox process exited (${code}) before listening`)));
  });
  const ask = () =>
    new Promise((resolve) => {
      child.once("message", resolve);
      child.send("usage");
    });
  return {
    url,
    token,
    /** CPU time (ms) and event-loop utilisation of the sandbox process since it started listening. */
    async usage() {
      const u = await ask();
      return { cpuMs: (u.cpu.user + u.cpu.system) / 1000, elu: u.elu };
    },
    /** The stored contacts by external_id, read through the sandbox's admin route (no rate limit). */
    async contactsByExternalId() {
      const res = await fetch(`${url}/__sandbox/state`, { headers: { Authorization: `Bearer ${token}` } });
      return new Map((await res.json()).contacts.map((c) => [c.external_id, c]));
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.send("stop");
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

/** The window a moment falls in, named as the sandbox names it: its X-RateLimit-Reset (Unix seconds). */
const windowOf = (ms) => (Math.floor(ms / WINDOW_MS) + 1) * WINDOW_SECONDS;

/** A fetch that records every response's status, method and rate-limit window, for both clients alike. */
function recordingFetch() {
  const seen = [];
  const f = async (input, init) => {
    const res = await fetch(input, init);
    const reset = Number(res.headers.get("x-ratelimit-reset"));
    seen.push({ status: res.status, method: init?.method ?? "GET", reset: Number.isFinite(reset) ? reset : null });
    return res;
  };
  return { fetch: f, seen };
}

function progressTicker(label, seen, started) {
  const timer = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`  ${label}: ${seen.length} calls after ${s}s\n`);
  }, 10_000);
  return () => clearInterval(timer);
}

async function runOurs(scenario, sandbox, rows) {
  const rec = recordingFetch();
  const client = createIntercomClient({
    token: sandbox.token,
    baseUrl: sandbox.url,
    fetch: rec.fetch,
    maxRetries: MAX_RETRIES,
  });
  const input = rows.map((i) => ({ userId: externalId(scenario.key, i), name: scenario.value(i) }));
  const done = [];
  let rateLimitedRows = 0;
  const started = Date.now();
  const stopTicker = progressTicker(`${scenario.key} ours`, rec.seen, started);
  try {
    for await (const r of updateUsers(client, input, { concurrency: CONCURRENCY })) {
      // Plain inputs are numbered from 1 in the order given: row k is rows[k - 1].
      const i = rows[r.row - 1];
      const ok = r.status === scenario.expect;
      if (r.status === "failed" && r.result.error.kind === "rate_limited") rateLimitedRows++;
      done.push({ i, ok, at: Date.now(), status: r.status, kind: r.status === "failed" ? r.result.error.kind : null });
    }
  } finally {
    stopTicker();
  }
  return { started, ended: Date.now(), seen: rec.seen, done, rateLimitedRows };
}

async function runSdk(scenario, sandbox, rows) {
  const rec = recordingFetch();
  const sdk = new IntercomClient({
    token: sandbox.token,
    baseUrl: sandbox.url,
    version: "2.15",
    maxRetries: MAX_RETRIES,
    fetch: rec.fetch,
  });
  const done = [];
  let rateLimitedRows = 0;
  let next = 0;
  const started = Date.now();
  const stopTicker = progressTicker(`${scenario.key} SDK `, rec.seen, started);
  const worker = async () => {
    while (next < rows.length) {
      const i = rows[next++];
      try {
        const found = await sdk.contacts.showContactByExternalId({ external_id: externalId(scenario.key, i) });
        await sdk.contacts.update({ contact_id: found.id, name: scenario.value(i) });
        done.push({ i, ok: true, at: Date.now(), status: "sent", kind: null });
      } catch (error) {
        if (error?.statusCode === 429) rateLimitedRows++;
        done.push({ i, ok: false, at: Date.now(), status: "failed", kind: String(error?.statusCode ?? "error") });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    stopTicker();
  }
  return { started, ended: Date.now(), seen: rec.seen, done, rateLimitedRows };
}

/** Figures for one side of one scenario. */
async function figures(scenario, side, sandbox, rows, run) {
  const stored = await sandbox.contactsByExternalId();
  const want = new Map(rows.map((i) => [i, scenario.value(i)]));
  const reported = new Map(run.done.map((d) => [d.i, d]));
  // Lost: not reported done, or its value is not what the sandbox holds afterwards.
  const lost = rows.filter(
    (i) => !reported.get(i)?.ok || stored.get(externalId(scenario.key, i))?.name !== want.get(i),
  );
  const accepted = run.seen.filter((s) => s.status !== 429);
  const wire429 = run.seen.length - accepted.length;
  const writes = accepted.filter((s) => s.method !== "GET").length;

  // Windows strictly inside the run: the first and last are cut by its start and end.
  const callsByWindow = new Map();
  for (const s of accepted) if (s.reset !== null) callsByWindow.set(s.reset, (callsByWindow.get(s.reset) ?? 0) + 1);
  const keys = [...callsByWindow.keys()].sort((a, b) => a - b);
  const full = keys.slice(1, -1);
  const fullSet = new Set(full);
  const rowsInFull = run.done.filter((d) => d.ok && fullSet.has(windowOf(d.at))).length;
  const callsInFull = full.reduce((n, k) => n + callsByWindow.get(k), 0);
  const fullSeconds = full.length * WINDOW_SECONDS;
  const elapsedS = (run.ended - run.started) / 1000;
  const okRows = run.done.filter((d) => d.ok).length;
  const failedByKind = {};
  for (const d of run.done) if (!d.ok) failedByKind[d.kind ?? d.status] = (failedByKind[d.kind ?? d.status] ?? 0) + 1;
  return {
    scenario: scenario.key,
    side,
    rows: rows.length,
    okRows,
    elapsedS,
    calls: run.seen.length,
    accepted: accepted.length,
    writes,
    callsPerRow: accepted.length / rows.length,
    wire429,
    rateLimitedRows: run.rateLimitedRows,
    failedRows: run.done.length - okRows,
    failedByKind,
    lost: lost.length,
    fullWindows: full.length,
    rowsPerMinute: fullSeconds > 0 ? (rowsInFull / fullSeconds) * 60 : Number.NaN,
    rowsPerMinuteEndToEnd: (okRows / elapsedS) * 60,
    utilisation: full.length > 0 ? callsInFull / (full.length * LIMIT) : Number.NaN,
    minFullWindow: full.length > 0 ? Math.min(...full.map((k) => callsByWindow.get(k))) : null,
    windows: keys.map((k) => ({ reset: k, accepted: callsByWindow.get(k) })),
  };
}

/**
 * Warms a sandbox process up (its JIT, its sockets) with the calls a run makes, on seeded users that are not rows,
 * so the first scenario does not start against a cold server while the second gets a warm one. Spent before the
 * aligned start, in an earlier window.
 */
async function warmUp(sandbox) {
  const headers = {
    Authorization: `Bearer ${sandbox.token}`,
    "Intercom-Version": "2.15",
    "Content-Type": "application/json",
  };
  let left = WARMUP_CALLS;
  const worker = async () => {
    while (left-- > 0) {
      const found = await fetch(`${sandbox.url}/contacts/find_by_external_id/${SEED.plainUser.externalId}`, {
        headers,
      });
      const { id } = await found.json();
      const put = await fetch(`${sandbox.url}/contacts/${id}`, {
        method: "PUT",
        headers,
        body: JSON.stringify({ name: `Warm ${left}` }),
      });
      await put.text();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** Waits for the next rate-limit window to start (plus a little), so both sides begin on a fresh, whole window. */
async function alignToWindow() {
  const ms = WINDOW_MS - (Date.now() % WINDOW_MS) + 50;
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One side of one scenario in its own process, so neither client's CPU slows the other (or the measuring) on a
 * loaded machine. It loads, says it is ready, runs on "go" and sends back what it recorded.
 */
async function startClientProcess(side, scenario, sandbox, rows) {
  const child = fork(fileURLToPath(import.meta.url), ["--client-child"], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const next = () =>
    new Promise((resolve, reject) => {
      const onExit = (code) => reject(new Error(`the ${side} client process exited (${code})`));
      child.once("exit", onExit);
      child.once("message", (m) => {
        child.off("exit", onExit);
        resolve(m);
      });
    });
  const ready = next();
  // The token goes over the IPC channel, never on a command line or in output.
  child.send({ side, key: scenario.key, url: sandbox.url, token: sandbox.token, rows });
  await ready;
  return {
    async run() {
      const result = next();
      child.send("go");
      const r = await result;
      // Only now may it exit: a large message can still be in the pipe when a process that sent it exits.
      child.send("bye");
      await exited;
      return r;
    },
  };
}

async function clientChild() {
  const job = await new Promise((resolve) => process.once("message", resolve));
  const scenario = SCENARIOS.find((s) => s.key === job.key);
  const rows = Array.from({ length: job.rows }, (_, k) => k + 1);
  const sandbox = { url: job.url, token: job.token };
  const go = new Promise((resolve) => process.once("message", resolve));
  process.send({ ready: true });
  await go;
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const run = job.side === "ours" ? await runOurs(scenario, sandbox, rows) : await runSdk(scenario, sandbox, rows);
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  const bye = new Promise((resolve) => process.once("message", resolve));
  process.send({ ...run, cpuMs: (cpu.user + cpu.system) / 1000, elu: elu.utilization });
  await bye;
  process.disconnect();
}

async function runScenario(scenario, sandboxes) {
  const rowsOurs = Array.from({ length: rowsFor(scenario.callsPerRow.ours) }, (_, k) => k + 1);
  const rowsSdk = Array.from({ length: rowsFor(scenario.callsPerRow.sdk) }, (_, k) => k + 1);
  const clients = {
    ours: await startClientProcess("ours", scenario, sandboxes.ours, rowsOurs.length),
    sdk: await startClientProcess("sdk", scenario, sandboxes.sdk, rowsSdk.length),
  };
  await alignToWindow();
  const load = { before: machineLoad() };
  const usage0 = { ours: await sandboxes.ours.usage(), sdk: await sandboxes.sdk.usage() };
  const t0 = performance.now();
  process.stderr.write(
    `${scenario.title}: ours ${rowsOurs.length} rows, SDK ${rowsSdk.length} rows (~${SECONDS} s each at the limit), side by side\n`,
  );
  const [ours, sdk] = await Promise.all([clients.ours.run(), clients.sdk.run()]);
  const wallMs = performance.now() - t0;
  const usage1 = { ours: await sandboxes.ours.usage(), sdk: await sandboxes.sdk.usage() };
  load.after = machineLoad();
  const share = (ms) => ms / wallMs;
  const cpuShare = {
    clientOurs: share(ours.cpuMs),
    clientSdk: share(sdk.cpuMs),
    eventLoopOurs: ours.elu,
    eventLoopSdk: sdk.elu,
    sandboxOurs: share(usage1.ours.cpuMs - usage0.ours.cpuMs),
    sandboxSdk: share(usage1.sdk.cpuMs - usage0.sdk.cpuMs),
  };
  return {
    scenario,
    load,
    cpuShare,
    ours: await figures(scenario, "ours", sandboxes.ours, rowsOurs, ours),
    sdk: await figures(scenario, "sdk", sandboxes.sdk, rowsSdk, sdk),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const pct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "n/a");
const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "n/a");

function judge(r) {
  const ceiling = PER_MINUTE / r.scenario.callsPerRow.ours;
  const ofCeiling = r.ours.rowsPerMinute / ceiling;
  return {
    ceiling,
    ofCeiling,
    vsSdk: r.ours.rowsPerMinute / r.sdk.rowsPerMinute,
    goals: {
      rowsPerMinute: ofCeiling >= GOAL_OF_CEILING,
      no429ReachedRows: r.ours.rateLimitedRows === 0,
      noRowLost: r.ours.lost === 0 && r.ours.failedRows === 0,
    },
  };
}

async function main() {
  const spec = (side) => SCENARIOS.map((s) => ({ key: s.key, rows: rowsFor(s.callsPerRow[side]) }));
  const loadAtStart = machineLoad();
  const sandboxes = { ours: await startSandboxProcess(spec("ours")), sdk: await startSandboxProcess(spec("sdk")) };
  let failed = false;
  try {
    await Promise.all([warmUp(sandboxes.ours), warmUp(sandboxes.sdk)]);
    const results = [];
    for (const scenario of SCENARIOS) results.push(await runScenario(scenario, sandboxes));
    const loadAtEnd = machineLoad();

    const table = [];
    const judged = results.map((r) => ({ r, j: judge(r) }));
    for (const { r, j } of judged) {
      for (const f of [r.ours, r.sdk]) {
        const ours = f.side === "ours";
        table.push([
          r.scenario.title,
          ours ? "ours (updateUsers)" : "SDK (find + PUT)",
          f.rows,
          f.callsPerRow.toFixed(2),
          f.writes,
          int(f.rowsPerMinute),
          int(f.rowsPerMinuteEndToEnd),
          `${pct(f.rowsPerMinute / j.ceiling)} of ${int(j.ceiling)}`,
          ours ? `${j.vsSdk.toFixed(2)}x` : "1x",
          pct(f.utilisation),
          f.fullWindows,
          f.wire429,
          f.rateLimitedRows,
          f.lost,
        ]);
      }
    }
    const goalLines = judged.map(
      ({ r, j }) =>
        `${r.scenario.title}: ours ${int(r.ours.rowsPerMinute)} rows/min = ${pct(j.ofCeiling)} of the ${r.scenario.callsPerRow.ours}-call ceiling (${int(j.ceiling)} rows/min); goal >= ${pct(GOAL_OF_CEILING)} (${int(GOAL_OF_CEILING * j.ceiling)}): ${j.goals.rowsPerMinute ? "met" : "NOT met"}, by ${int(r.ours.rowsPerMinute - GOAL_OF_CEILING * j.ceiling)} rows/min. 429s reaching a row: ${r.ours.rateLimitedRows} (goal 0: ${j.goals.no429ReachedRows ? "met" : "NOT met"}); rows lost or failed: ${r.ours.lost} / ${r.ours.failedRows} of ${r.ours.rows} (goal 0: ${j.goals.noRowLost ? "met" : "NOT met"}). Ours / SDK: ${j.vsSdk.toFixed(2)}x.`,
    );
    const loadLines = results.map(
      (r) =>
        `${r.scenario.title}: ${formatLoad(r.load.before)} before, ${formatLoad(r.load.after)} after; CPU over the run, as a share of one core: our client ${pct(r.cpuShare.clientOurs)} (event loop busy ${pct(r.cpuShare.eventLoopOurs)}), the SDK's ${pct(r.cpuShare.clientSdk)} (${pct(r.cpuShare.eventLoopSdk)}), our sandbox ${pct(r.cpuShare.sandboxOurs)}, the SDK's sandbox ${pct(r.cpuShare.sandboxSdk)}. An event loop busy well beyond its CPU share was waiting for a core.`,
    );
    const goals = Object.fromEntries(judged.map(({ r, j }) => [r.scenario.key, j.goals]));
    writeResults("bulk", {
      title: `Bulk update by user ID at the rate limit (${PER_MINUTE.toLocaleString("en-US")}/min = ${LIMIT} per 10 s window, ${LATENCY_MS} ms latency)`,
      table: markdownTable(
        [
          "scenario",
          "run",
          "rows",
          "calls/row",
          "writes",
          "rows/min",
          "rows/min end to end",
          "/ ceiling",
          "ours / SDK",
          "full-window use / limit",
          "full windows",
          "429s on the wire",
          "429s reaching a row",
          "rows lost",
        ],
        table,
      ),
      notes: [
        ...goalLines,
        `rows/min = rows finished inside the full windows (those strictly between the first and last window of the run, which its start and end cut) / their length. "End to end" = rows / the whole run (first row alone, last window partial), for reference. Ceiling = ${PER_MINUTE.toLocaleString("en-US")} calls/min / the calls a row needs by design (ours: 2 when the row changes, 1 when it does not); the sandbox admits ${LIMIT} per window = ${(LIMIT * 6).toLocaleString("en-US")}/min.`,
        `calls/row = calls accepted / rows (429s excluded); writes = accepted calls other than GET (PUTs). Full-window use = calls accepted in the full windows / (windows x ${LIMIT}).`,
        `Side by side: in each scenario both sides start together at the start of a window, each in its own process against its own sandbox process (same limit, ${LATENCY_MS} ms latency), concurrency ${CONCURRENCY}, maxRetries ${MAX_RETRIES} for both; each has rows for ~${SECONDS} s at its own ceiling (BENCH_SECONDS). SDK = intercom-client 7.0.3, Intercom-Version 2.15, showContactByExternalId then contacts.update per row. Before the first scenario both sandboxes are warmed up with ${WARMUP_CALLS * 2} calls on a seeded user that is not a row, in an earlier window.`,
        `Rows lost = rows not reported done, or whose name in the sandbox's state afterwards is not the row's; in (b) ours must report "unchanged" and write nothing.`,
        `Machine: ${formatLoad(loadAtStart)} at the start, ${formatLoad(loadAtEnd)} at the end (other engineers share it).`,
        ...loadLines,
        ...results.map(
          (r) =>
            `${r.scenario.title}, calls accepted per window (first and last are cut): ours ${r.ours.windows.map((w) => w.accepted).join(" ")}; SDK ${r.sdk.windows.map((w) => w.accepted).join(" ")}.`,
        ),
      ],
      data: {
        limitPerWindow: LIMIT,
        perMinute: PER_MINUTE,
        latencyMs: LATENCY_MS,
        concurrency: CONCURRENCY,
        maxRetries: MAX_RETRIES,
        seconds: SECONDS,
        load: { start: loadAtStart, end: loadAtEnd },
        goals,
        scenarios: judged.map(({ r, j }) => ({
          key: r.scenario.key,
          title: r.scenario.title,
          callsPerRowByDesign: r.scenario.callsPerRow,
          ceilingRowsPerMinute: j.ceiling,
          oursOfCeiling: j.ofCeiling,
          oursVsSdk: j.vsSdk,
          goals: j.goals,
          load: r.load,
          cpuShare: r.cpuShare,
          ours: r.ours,
          sdk: r.sdk,
        })),
      },
      secrets: [sandboxes.ours.token, sandboxes.sdk.token],
    });
    if (Object.values(goals).some((g) => !g.rowsPerMinute || !g.no429ReachedRows || !g.noRowLost)) {
      process.exitCode = 1;
    }
  } catch (error) {
    failed = true;
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    await sandboxes.ours.stop();
    await sandboxes.sdk.stop();
  }
  if (failed) process.exit(1);
}

// Last, so every constant above is initialised before either role runs.
if (process.argv[2] === "--sandbox-child") await sandboxChild();
else if (process.argv[2] === "--client-child") await clientChild();
else await main();
