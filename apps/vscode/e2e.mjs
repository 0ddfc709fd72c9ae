// `pnpm test:e2e [-- vitest args]`: bundle, package the .vsix, then run the real-VS Code test with vitest.
// A wrapper rather than an `&&` chain because pnpm passes a literal "--" through to the last command, and vitest
// would take the reporter flags after it as file filters.
import { spawnSync } from "node:child_process";

const extra = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === "--"));
const steps = [
  ["node", ["build.mjs"]],
  ["vsce", ["package", "--no-dependencies", "--out", "intercom-kit-vscode.vsix"]],
  ["vitest", ["run", "--config", "vitest.e2e.config.mts", ...extra]],
];
for (const [command, args] of steps) {
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.error) {
    console.error(`${command}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}
