#!/usr/bin/env node
// Takes the screenshot in the extension's README (apps/vscode/images/screenshot.png) from a real VS Code: bundles and
// packages the .vsix (apps/vscode/e2e.mjs, as the e2e test does), installs it into code-server 4.100.3 and drives
// Debian's Chromium with playwright-core through "Intercom: Start Sandbox" and "Intercom: Update User" (User ID 25,
// tick "Name, email, phone, subscription", a value for each) up to the review of the change. The steps live in
// apps/vscode/test/e2e/screenshot.ts and use the e2e harness (test/e2e/harness.ts), so this picture follows the same
// flow and selectors as the tests. Offline, on loopback.
// Prerequisites: `bash scripts/setup-e2e.sh` and a build (`pnpm build`). Usage: node scripts/vscode-screenshot.mjs [out.png]
import { spawnSync } from "node:child_process";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const APP = join(ROOT, "apps", "vscode");
const OUT = resolve(process.argv[2] ?? join(APP, "images", "screenshot.png"));
// e2e.mjs runs vsce and vitest by name, as `pnpm --filter intercom-kit-vscode test:e2e` would find them.
const PATH = [join(APP, "node_modules", ".bin"), join(ROOT, "node_modules", ".bin"), process.env.PATH].join(delimiter);
const result = spawnSync(process.execPath, ["e2e.mjs", "--config", "vitest.screenshot.config.mts"], {
  cwd: APP,
  stdio: "inherit",
  env: { ...process.env, PATH, INTERCOM_KIT_SCREENSHOT: OUT },
});
if (result.error) console.error(`vscode-screenshot: ${result.error.message}`);
process.exit(result.status ?? 1);
