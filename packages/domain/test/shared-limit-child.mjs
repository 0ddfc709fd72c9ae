// Child process for test/shared-limit.int.test.ts: one of several processes sharing one app's rate limit. It updates
// its own users (a new name each, by user ID) with the built package's bulk runner and the client's defaults
// (maxRetries 2, maxRateLimitWaitMs 60 s), starting at START_AT so every process starts together, and prints one
// JSON line: what happened to each row, and what its client saw. Settings come from the environment.

import { updateUsers } from "../dist/bulk/index.js";
import { createIntercomClient } from "../dist/index.js";

const env = process.env;
const first = Number(env.FIRST);
const count = Number(env.COUNT);
const rows = Array.from({ length: count }, (_, k) => ({ userId: `bulk-${first + k}`, name: `Shared ${first + k}` }));
const client = createIntercomClient({ token: env.SBX_TOKEN, baseUrl: env.SBX_URL });

const wait = Number(env.START_AT) - Date.now();
if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
const startedAt = Date.now();
const out = { applied: 0, unchanged: 0, failed: 0, skipped: 0, kinds: {}, startedAt, endedAt: 0, stats: null };
for await (const r of updateUsers(client, rows, { concurrency: Number(env.CONCURRENCY ?? 8) })) {
  out[r.status]++;
  if (r.status === "failed") out.kinds[r.result.error.kind] = (out.kinds[r.result.error.kind] ?? 0) + 1;
}
out.endedAt = Date.now();
out.stats = client.stats();
process.stdout.write(`${JSON.stringify(out)}\n`);
