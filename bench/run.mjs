// Runs bench files one after another, each in its own Node process so none warms up another:
//   node bench/run.mjs                 every bench/*.mjs except this one
//   node bench/run.mjs a.mjs b.mjs     just those
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const given = process.argv.slice(2);
const files = given.length
  ? given.map((f) => resolve(f.includes("/") ? f : join(here, f)))
  : readdirSync(here)
      .filter((f) => f.endsWith(".mjs") && f !== self)
      .sort()
      .map((f) => join(here, f));

let failed = 0;
for (const file of files) {
  process.stdout.write(`\n## ${basename(file)}\n\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [file], { stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`\n${basename(file)} FAILED (exit ${run.status ?? run.signal}) after ${seconds}s\n`);
  } else {
    process.stdout.write(`\n${basename(file)} done in ${seconds}s\n`);
  }
}
if (files.length === 0) {
  process.stderr.write("no bench files found\n");
  process.exit(1);
}
process.exit(failed ? 1 : 0);
