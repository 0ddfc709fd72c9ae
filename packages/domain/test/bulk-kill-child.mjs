// Child process for src/bulk/kill.int.test.ts: runs updateUsers from the built package against a sandbox URL, with a
// durable journal, so the test can SIGKILL it at any moment and resume. Settings come from the environment.
import { readFileSync } from "node:fs";
import { createIntercomClient } from "@intercom-kit/core";
import { openJournal, parseBulkInput, updateUsers } from "../dist/bulk/index.js";

const env = process.env;
const parsed = parseBulkInput(readFileSync(env.BULK_ROWS), { name: env.BULK_ROWS });
if (!parsed.ok) {
  process.stderr.write(`${JSON.stringify(parsed.errors)}\n`);
  process.exit(2);
}
const opened = await openJournal(env.BULK_JOURNAL, { resume: env.BULK_RESUME === "1" });
if (!opened.ok) {
  process.stderr.write(`${opened.error.message}\n`);
  process.exit(2);
}
const client = createIntercomClient({ token: env.SBX_TOKEN, baseUrl: env.SBX_URL, maxDelayMs: 50 });
const counts = { applied: 0, unchanged: 0, failed: 0, skipped: 0, resent: 0 };
for await (const r of updateUsers(client, parsed.rows, {
  journal: opened.journal,
  concurrency: Number(env.BULK_CONCURRENCY ?? 4),
})) {
  counts[r.status]++;
  if (r.resent) counts.resent++;
}
await opened.journal.close();
process.stdout.write(`${JSON.stringify(counts)}\n`);
