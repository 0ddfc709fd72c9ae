// Adds up the vitest JSON reports of every package and prints one closing line, "N passed, N failed, N skipped".
// Exits non-zero when any test failed, when a package expected to report did not, or when nothing ran at all.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const roots = ["packages", "apps"];
const reports = [".vitest-report.json", ".vitest-e2e-report.json"];
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const root of roots) {
  for (const name of readdirSync(root)) {
    const dir = join(root, name);
    if (!existsSync(join(dir, "package.json"))) continue;
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (!pkg.scripts?.test) continue;
    const found = reports.filter((file) => existsSync(join(dir, file)));
    if (found.length === 0) missing.push(dir);
    for (const file of found) {
      const report = JSON.parse(readFileSync(join(dir, file), "utf8"));
      const p = report.numPassedTests ?? 0;
      // A suite that crashed before its tests ran has no failed test but success: false; count it as one failure.
      const f = Math.max(report.numFailedTests ?? 0, report.success === false ? 1 : 0);
      const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
      console.log(`${dir}/${file}: ${p} passed, ${f} failed, ${s} skipped`);
      passed += p;
      failed += f;
      skipped += s;
    }
  }
}
for (const dir of missing) console.log(`${dir}: no test report was written`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 || missing.length > 0 ? 1 : 0);
