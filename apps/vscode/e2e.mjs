// `pnpm test:e2e [-- vitest args]`: bundle, package the .vsix, then run the real-VS Code test with vitest.
// A wrapper rather than an `&&` chain because pnpm passes a literal "--" through to the last command, and vitest
// would take the reporter flags after it as file filters.
// The .vsix goes to a fresh temporary folder, and the test gets its path and SHA-256: it installs exactly the file
// that `vsce package` produced in this run (never a stale one from an earlier run), and checks it before installing.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const extra = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === "--"));
const dir = mkdtempSync(join(tmpdir(), "intercom-kit-vsix-"));
const vsix = join(dir, "intercom-kit-vscode.vsix");
const run = (command, args, env = process.env) => {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.error) {
    console.error(`${command}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
};
let code = run("node", ["build.mjs"]);
if (code === 0) code = run("vsce", ["package", "--no-dependencies", "--out", vsix]);
if (code === 0) {
  const sha256 = createHash("sha256").update(readFileSync(vsix)).digest("hex");
  // `--config` chooses another vitest config (the README's screenshot uses vitest.screenshot.config.mts).
  const config = extra.includes("--config") ? [] : ["--config", "vitest.e2e.config.mts"];
  code = run("vitest", ["run", ...config, ...extra], {
    ...process.env,
    INTERCOM_KIT_VSIX: vsix,
    INTERCOM_KIT_VSIX_SHA256: sha256,
  });
}
rmSync(dir, { recursive: true, force: true });
process.exit(code);
