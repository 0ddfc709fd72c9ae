// How long does one "update user" take, in round trips, against a server 50 ms away?
// Ours (@intercom-kit/domain: prepareUpdate then applyUpdate, i.e. updateUser, with independent calls overlapped)
// against the official `intercom-client` SDK used the straightforward sequential way, in the same run, interleaved
// (the order alternates each round), same sandbox. Each side writes its own values, so every update changes something.
// Floors, from the domain README's round-trip table (docs/decisions/0008-certain-outcomes.md):
//   by Intercom ID, nothing to check    1  (PUT beside the reads)
//   by user ID                          2  (find; then PUT beside the reads)
//   by user ID, an existing company     2  (find beside the company read; then PUT, upsert and reads together)
//   by user ID, a new company           3  (find beside the company read; then the upsert; then the attach)
// Every sample's prepared plan gives its `roundTrips` (the critical path it will take); the bench checks that it is
// the table's floor and that the measured wall time matches it.
// Goals: plan = floor; ours <= plan + 0.5 round trips (median); ours <= 0.5x the sequential SDK.
// The sandbox runs in a child process (this file, forked with --sandbox-child), as a real server would be elsewhere:
// its CPU work does not share the measuring process's event loop.
import { fork } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { applyUpdate, createIntercomClient, prepareUpdate } from "@intercom-kit/domain";
import { SEED, startSandbox } from "@intercom-kit/sandbox";
import { IntercomClient } from "intercom-client";
import { formatLoad, machineLoad, markdownTable, summarize, writeResults } from "./lib/report.mjs";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const WARMUP = 2;
const SLACK_ROUND_TRIPS = 0.5;
const GOAL_RATIO = 0.5;
const VERSION = "2.15";

/** The full record the obvious SDK way: the contact's companies, tags and segments, one after another. */
async function sdkReads(sdk, contactId) {
  await sdk.contacts.listAttachedCompanies({ contact_id: contactId });
  await sdk.contacts.listAttachedTags({ contact_id: contactId });
  await sdk.contacts.listAttachedSegments({ contact_id: contactId });
}

// `side` is "ours" or "sdk": each writes values of its own, so neither finds the other's values already there.
const EXISTING = SEED.unattachedCompany;
const spend = (side, i) => 1000 + 2 * i + (side === "sdk" ? 1 : 0);
const CASES = [
  {
    name: "by Intercom ID, nothing to check",
    floor: 1,
    input: (side, i) => ({ intercomId: SEED.user.id, name: `Joe ${side} ${i}` }),
    async sdk(sdk, i) {
      const contact = await sdk.contacts.update({ contact_id: SEED.user.id, name: `Joe sdk ${i}` });
      await sdkReads(sdk, contact.id);
    },
  },
  {
    name: "by user ID",
    floor: 2,
    input: (side, i) => ({ userId: SEED.user.externalId, name: `Joe ${side} ${i}` }),
    async sdk(sdk, i) {
      const found = await sdk.contacts.showContactByExternalId({ external_id: SEED.user.externalId });
      const contact = await sdk.contacts.update({ contact_id: found.id, name: `Joe sdk ${i}` });
      await sdkReads(sdk, contact.id);
    },
  },
  {
    name: "by user ID, an existing company",
    floor: 2,
    input: (side, i) => ({
      userId: SEED.plainUser.externalId,
      name: `Plain ${side} ${i}`,
      companyId: EXISTING.companyId,
      companyName: EXISTING.name,
      companyMonthlySpend: spend(side, i),
    }),
    async sdk(sdk, i) {
      const found = await sdk.contacts.showContactByExternalId({ external_id: SEED.plainUser.externalId });
      const contact = await sdk.contacts.update({ contact_id: found.id, name: `Plain sdk ${i}` });
      const company = await sdk.companies.createOrUpdate({
        company_id: EXISTING.companyId,
        name: EXISTING.name,
        monthly_spend: spend("sdk", i),
      });
      await sdk.companies.attachContact({ contact_id: contact.id, id: company.id });
      await sdkReads(sdk, contact.id);
    },
  },
  {
    name: "by user ID, a new company",
    floor: 3,
    input: (side, i) => ({
      userId: "31",
      name: `Other ${side} ${i}`,
      companyId: `bench-new-${side}-${i}`,
      companyName: `New Co ${side} ${i}`,
      companyMonthlySpend: 100,
    }),
    async sdk(sdk, i) {
      const found = await sdk.contacts.showContactByExternalId({ external_id: "31" });
      const contact = await sdk.contacts.update({ contact_id: found.id, name: `Other sdk ${i}` });
      const company = await sdk.companies.createOrUpdate({
        company_id: `bench-new-sdk-${i}`,
        name: `New Co sdk ${i}`,
        monthly_spend: 100,
      });
      await sdk.companies.attachContact({ contact_id: contact.id, id: company.id });
      await sdkReads(sdk, contact.id);
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
  const loadBefore = machineLoad();
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
    const ours = createIntercomClient({
      token: sandbox.token,
      baseUrl: sandbox.url,
      version: VERSION,
      fetch: oursFetch.fetch,
    });
    const sdk = new IntercomClient({
      token: sandbox.token,
      baseUrl: sandbox.url,
      version: VERSION,
      maxRetries: 0,
      fetch: sdkFetch.fetch,
    });

    // updateUser is exactly prepareUpdate then applyUpdate; timing the two in a row lets every sample keep its plan.
    const timeOurs = async (c, i) => {
      const before = oursFetch.counter.n;
      const t0 = performance.now();
      const prepared = await prepareUpdate(ours, c.input("ours", i));
      if (!prepared.ok) throw new Error(`ours failed on "${c.name}": ${prepared.error.message}`);
      const result = await applyUpdate(ours, prepared.plan);
      const ms = performance.now() - t0;
      if (!result.ok) throw new Error(`ours failed on "${c.name}": ${result.error.message}`);
      if (result.outcome !== "applied") throw new Error(`ours changed nothing on "${c.name}" (round ${i})`);
      const { plan } = prepared;
      return {
        ms,
        requests: oursFetch.counter.n - before,
        planRoundTrips: plan.roundTrips,
        planCalls: plan.lookups.length + plan.calls.length,
      };
    };
    const timeSdk = async (c, i) => {
      const before = sdkFetch.counter.n;
      const t0 = performance.now();
      await c.sdk(sdk, i);
      return { ms: performance.now() - t0, requests: sdkFetch.counter.n - before };
    };

    const samples = CASES.map(() => ({ ours: [], sdk: [], plans: [], oursRequests: [], sdkRequests: [] }));
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (const [k, c] of CASES.entries()) {
        const pair = round % 2 === 0 ? [timeOurs, timeSdk] : [timeSdk, timeOurs];
        const results = [];
        for (const fn of pair) results.push(await fn(c, round));
        const [o, s] = round % 2 === 0 ? results : [results[1], results[0]];
        if (round < WARMUP) continue;
        samples[k].ours.push(o.ms);
        samples[k].sdk.push(s.ms);
        samples[k].plans.push({ roundTrips: o.planRoundTrips, calls: o.planCalls });
        samples[k].oursRequests.push(o.requests);
        samples[k].sdkRequests.push(s.requests);
      }
    }

    const only = (values) => {
      const set = [...new Set(values)];
      return set.length === 1 ? set[0] : set.join("/");
    };
    const rows = [];
    const data = [];
    for (const [k, c] of CASES.entries()) {
      const x = samples[k];
      const o = summarize(x.ours);
      const s = summarize(x.sdk);
      const oursTrips = o.median / LATENCY_MS;
      const sdkTrips = s.median / LATENCY_MS;
      const ratio = o.median / s.median;
      const planTrips = only(x.plans.map((p) => p.roundTrips));
      const planCalls = only(x.plans.map((p) => p.calls));
      const oursRequests = only(x.oursRequests);
      const planOk = planTrips === c.floor;
      // Every request the plan listed was made, and no other.
      const callsOk = planCalls === oursRequests;
      const tripsOk = typeof planTrips === "number" && oursTrips <= planTrips + SLACK_ROUND_TRIPS;
      const ratioOk = ratio <= GOAL_RATIO;
      if (!planOk || !callsOk || !tripsOk || !ratioOk) failed = true;
      rows.push([
        c.name,
        c.floor,
        `${planTrips} ${planOk ? "ok" : "MISSED"}`,
        `${oursRequests} / ${only(x.sdkRequests)}`,
        o.median,
        oursTrips,
        `${tripsOk ? "ok" : "MISSED"} (<= ${typeof planTrips === "number" ? planTrips + SLACK_ROUND_TRIPS : "?"})`,
        s.median,
        sdkTrips,
        ratio,
        `${ratioOk ? "ok" : "MISSED"} (<= ${GOAL_RATIO})`,
      ]);
      data.push({
        case: c.name,
        floorRoundTrips: c.floor,
        plan: { roundTrips: planTrips, calls: planCalls },
        requests: { ours: oursRequests, sdk: only(x.sdkRequests) },
        ours: { ...o, roundTrips: oursTrips, samples: x.ours },
        sdk: { ...s, roundTrips: sdkTrips, samples: x.sdk },
        ratio,
        goals: { planIsFloor: planOk, planCallsMade: callsOk, roundTrips: tripsOk, ratio: ratioOk },
      });
    }
    const loadAfter = machineLoad();

    writeResults("update-latency", {
      title: `Update user: wall time against a sandbox with ${LATENCY_MS} ms latency per request`,
      table: markdownTable(
        [
          "case",
          "floor (RT)",
          "plan RT",
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
        `Machine: ${formatLoad(loadBefore)} before, ${formatLoad(loadAfter)} after. Time above the round trips is CPU, not waiting; on a busy machine it grows for both tools (SDK overhead per request: ${data
          .map((d) => ((d.sdk.median - d.requests.sdk * LATENCY_MS) / d.requests.sdk).toFixed(1))
          .join(" / ")} ms).`,
        `RT = median wall time / ${LATENCY_MS} ms, the round trips a person waits for. ${ROUNDS} rounds after ${WARMUP} warm-up, interleaved (order alternates each round); one sandbox in its own process; Intercom-Version ${VERSION} for both.`,
        "Floor = the domain README's round-trip table. Plan RT = the prepared plan's `roundTrips` (lookup plus the apply's critical path), the same in every sample; goal: it equals the floor, and ours (measured) <= plan + 0.5. Every sample made exactly the plan's calls (lookups + calls) as requests.",
        "Ours = prepareUpdate then applyUpdate (what updateUser does), full record (companies, tags and segments read beside the writes). The existing company (Wayne Holdings) is read beside the lookup; its spend differs each round, so it is upserted beside the PUT (and attached in the first warm-up round). A new company is a new company ID every round: upsert, then attach.",
        "SDK = intercom-client 7.0.3 called one request after another (find, update, company upsert, attach, list companies, tags, segments), maxRetries 0.",
      ],
      data: {
        latencyMs: LATENCY_MS,
        rounds: ROUNDS,
        load: { before: loadBefore, after: loadAfter },
        cases: data,
      },
      secrets: [sandbox.token],
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
