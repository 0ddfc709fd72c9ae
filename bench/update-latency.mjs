// How long does one "update user" take, in round trips, against a server 50 ms away?
// Ours (@intercom-kit/domain, independent calls overlapped) against the official `intercom-client` SDK used the
// straightforward sequential way, in the same run, interleaved (the order alternates each round), same sandbox.
// Floors come from planUpdate's critical path: by Intercom ID without a company 1 round trip; by user ID 2; by user
// ID with a company upsert 2 (lookup beside the upsert, then the PUT, the attach and every read together).
// Goals: ours <= floor + 0.5 round trips (median), and ours <= 0.5x the sequential SDK.
// The sandbox runs in a child process (this file, forked with --sandbox-child), as a real server would be elsewhere:
// its CPU work does not share the measuring process's event loop.
import { fork } from "node:child_process";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createIntercomClient, planUpdate, updateUser } from "@intercom-kit/domain";
import { SEED, startSandbox } from "@intercom-kit/sandbox";
import { IntercomClient } from "intercom-client";
import { markdownTable, summarize, writeResults } from "./lib/report.mjs";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const WARMUP = 2;
const SLACK_ROUND_TRIPS = 0.5;
const GOAL_RATIO = 0.5;

const CASES = [
  {
    name: "by Intercom ID, no company",
    input: (i) => ({ intercomId: SEED.user.id, name: `Joe ${i}` }),
    async sdk(sdk, i) {
      const contact = await sdk.contacts.update({ contact_id: SEED.user.id, name: `Joe ${i}` });
      await sdk.contacts.listAttachedCompanies({ contact_id: contact.id });
      await sdk.contacts.listAttachedTags({ contact_id: contact.id });
      await sdk.contacts.listAttachedSegments({ contact_id: contact.id });
    },
  },
  {
    name: "by user ID",
    input: (i) => ({ userId: SEED.user.externalId, name: `Joe ${i}` }),
    async sdk(sdk, i) {
      const found = await sdk.contacts.showContactByExternalId({ external_id: SEED.user.externalId });
      const contact = await sdk.contacts.update({ contact_id: found.id, name: `Joe ${i}` });
      await sdk.contacts.listAttachedCompanies({ contact_id: contact.id });
      await sdk.contacts.listAttachedTags({ contact_id: contact.id });
      await sdk.contacts.listAttachedSegments({ contact_id: contact.id });
    },
  },
  {
    name: "by user ID with a company upsert",
    input: (i) => ({
      userId: SEED.plainUser.externalId,
      name: `Plain ${i}`,
      companyId: "bench-co",
      companyName: "Bench Co",
      companyMonthlySpend: 100 + i,
    }),
    async sdk(sdk, i) {
      const found = await sdk.contacts.showContactByExternalId({ external_id: SEED.plainUser.externalId });
      const contact = await sdk.contacts.update({ contact_id: found.id, name: `Plain ${i}` });
      const company = await sdk.companies.createOrUpdate({
        company_id: "bench-co",
        name: "Bench Co",
        monthly_spend: 100 + i,
      });
      await sdk.companies.attachContact({ contact_id: contact.id, id: company.id });
      await sdk.contacts.listAttachedCompanies({ contact_id: contact.id });
      await sdk.contacts.listAttachedTags({ contact_id: contact.id });
      await sdk.contacts.listAttachedSegments({ contact_id: contact.id });
    },
  },
];

if (process.argv[2] === "--sandbox-child") {
  const sandbox = await startSandbox({ latencyMs: LATENCY_MS, rateLimitPerMinute: 1_000_000 });
  process.send({ url: sandbox.url, token: sandbox.token });
  process.on("message", async () => {
    await sandbox.stop();
    process.disconnect();
  });
} else {
  await main();
}

/** Counts requests on the client side (the server is in another process). */
function countingFetch() {
  const counter = { n: 0 };
  const wrapped = (input, init) => {
    counter.n++;
    return fetch(input, init);
  };
  return { counter, fetch: wrapped };
}

async function main() {
  for (const c of CASES) c.floor = planUpdate(c.input(0)).roundTrips;

  const child = fork(fileURLToPath(import.meta.url), ["--sandbox-child"], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const sandbox = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`the sandbox process exited (${code})`)));
  });
  let failed = false;
  try {
    const oursFetch = countingFetch();
    const sdkFetch = countingFetch();
    const ours = createIntercomClient({ token: sandbox.token, baseUrl: sandbox.url, fetch: oursFetch.fetch });
    const sdk = new IntercomClient({
      token: sandbox.token,
      baseUrl: sandbox.url,
      version: "2.14",
      maxRetries: 0,
      fetch: sdkFetch.fetch,
    });

    const timeOurs = async (c, i) => {
      const before = oursFetch.counter.n;
      const t0 = performance.now();
      const result = await updateUser(ours, c.input(i));
      const ms = performance.now() - t0;
      if (!result.ok) throw new Error(`ours failed on "${c.name}": ${result.error.message}`);
      return { ms, requests: oursFetch.counter.n - before };
    };
    const timeSdk = async (c, i) => {
      const before = sdkFetch.counter.n;
      const t0 = performance.now();
      await c.sdk(sdk, i);
      return { ms: performance.now() - t0, requests: sdkFetch.counter.n - before };
    };

    const samples = CASES.map(() => ({ ours: [], sdk: [], oursRequests: 0, sdkRequests: 0 }));
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (const [k, c] of CASES.entries()) {
        const pair = round % 2 === 0 ? [timeOurs, timeSdk] : [timeSdk, timeOurs];
        const results = [];
        for (const fn of pair) results.push(await fn(c, round));
        const [o, s] = round % 2 === 0 ? results : [results[1], results[0]];
        if (round < WARMUP) continue;
        samples[k].ours.push(o.ms);
        samples[k].sdk.push(s.ms);
        samples[k].oursRequests = o.requests;
        samples[k].sdkRequests = s.requests;
      }
    }

    const rows = [];
    const data = [];
    for (const [k, c] of CASES.entries()) {
      const o = summarize(samples[k].ours);
      const s = summarize(samples[k].sdk);
      const oursTrips = o.median / LATENCY_MS;
      const sdkTrips = s.median / LATENCY_MS;
      const ratio = o.median / s.median;
      const tripsOk = oursTrips <= c.floor + SLACK_ROUND_TRIPS;
      const ratioOk = ratio <= GOAL_RATIO;
      if (!tripsOk || !ratioOk) failed = true;
      rows.push([
        c.name,
        c.floor,
        `${samples[k].oursRequests} / ${samples[k].sdkRequests}`,
        o.median,
        oursTrips,
        `${tripsOk ? "ok" : "MISSED"} (<= ${c.floor + SLACK_ROUND_TRIPS})`,
        s.median,
        sdkTrips,
        ratio,
        `${ratioOk ? "ok" : "MISSED"} (<= ${GOAL_RATIO})`,
      ]);
      data.push({
        case: c.name,
        floorRoundTrips: c.floor,
        requests: { ours: samples[k].oursRequests, sdk: samples[k].sdkRequests },
        ours: { ...o, roundTrips: oursTrips, samples: samples[k].ours },
        sdk: { ...s, roundTrips: sdkTrips, samples: samples[k].sdk },
        ratio,
        goals: { roundTrips: tripsOk, ratio: ratioOk },
      });
    }

    writeResults("update-latency", {
      title: `Update user: wall time against a sandbox with ${LATENCY_MS} ms latency per request`,
      table: markdownTable(
        [
          "case",
          "floor (RT)",
          "requests ours / SDK",
          "ours median ms",
          "ours RT",
          "goal",
          "SDK median ms",
          "SDK RT",
          "ours / SDK",
          "goal",
        ],
        rows,
      ),
      notes: [
        `Load average at the end: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(
            ", ",
          )}. Time above the floor is CPU, not waiting; on a busy machine it grows for both tools (SDK overhead per request: ${data
          .map((d) => ((d.sdk.median - d.requests.sdk * LATENCY_MS) / d.requests.sdk).toFixed(1))
          .join(" / ")} ms).`,
        `RT = median wall time / ${LATENCY_MS} ms, the round trips a person waits for. ${ROUNDS} rounds after ${WARMUP} warm-up, interleaved (order alternates each round); one sandbox in its own process.`,
        "SDK = intercom-client 7 called one request after another (find, update, company upsert, attach, list companies, tags, segments), maxRetries 0.",
        "Ours = updateUser from @intercom-kit/domain: lookup beside the company upsert, then the PUT beside the attach and the reads; floor = planUpdate(input).roundTrips.",
      ],
      data: { latencyMs: LATENCY_MS, rounds: ROUNDS, loadavg: loadavg(), cases: data },
    });
  } catch (error) {
    failed = true;
    console.error(error instanceof Error ? error.message : String(error));
  } finally {
    await new Promise((resolve) => {
      child.once("exit", resolve);
      child.send("stop");
    });
  }
  if (failed) {
    console.error("update-latency: a goal was missed or a run failed");
    process.exitCode = 1;
  }
}
