#!/usr/bin/env node
// Takes the screenshot in the extension's README (apps/vscode/images/screenshot.png) from a real VS Code:
// packages the .vsix, installs it into code-server 4.100.3, and drives Debian's Chromium with playwright-core
// through "Intercom: Start Sandbox" and "Intercom: Update User" up to the review of the change. Offline, on loopback.
// Prerequisites: `bash scripts/setup-e2e.sh` and a build (`pnpm build`). Usage: node scripts/vscode-screenshot.mjs [out.png]
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const APP = join(ROOT, "apps", "vscode");
const OUT = process.argv[2] ?? join(APP, "images", "screenshot.png");
const requireFromApp = createRequire(join(APP, "package.json"));
const { chromium } = requireFromApp("playwright-core");
const CACHE = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
const CODE_SERVER =
  process.env.CODE_SERVER_BIN ||
  join(CACHE, "intercom-kit", "code-server-4.100.3", "node_modules", ".bin", "code-server");
const CHROMIUM = process.env.CHROMIUM_BIN || "/usr/bin/chromium";
for (const [what, path] of [
  ["code-server", CODE_SERVER],
  ["Chromium", CHROMIUM],
]) {
  if (!existsSync(path)) throw new Error(`${what} not found at ${path}: run "bash scripts/setup-e2e.sh"`);
}

const tmp = mkdtempSync(join(tmpdir(), "intercom-kit-screenshot-"));
const vsix = join(tmp, "intercom-kit-vscode.vsix");
let server;
let browser;
try {
  execFileSync(join(APP, "node_modules", ".bin", "vsce"), ["package", "--no-dependencies", "--out", vsix], {
    cwd: APP,
    stdio: "ignore",
  });
  const userData = join(tmp, "user-data");
  const extensions = join(tmp, "extensions");
  const workspace = join(tmp, "acme-support");
  mkdirSync(join(userData, "User"), { recursive: true });
  mkdirSync(extensions);
  mkdirSync(workspace);
  writeFileSync(join(workspace, "users.csv"), "user-id,name,unsubscribed\n25,Ada Lovelace,false\n");
  writeFileSync(join(workspace, "notes.md"), "# Support notes\n");
  writeFileSync(
    join(userData, "User", "settings.json"),
    JSON.stringify({
      "workbench.startupEditor": "none",
      "workbench.colorTheme": "Default Dark Modern",
      "telemetry.telemetryLevel": "off",
      "update.mode": "none",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "extensions.ignoreRecommendations": true,
      "workbench.enableExperiments": false,
      "workbench.tips.enabled": false,
      "security.workspace.trust.enabled": false,
      "git.enabled": false,
      "remote.autoForwardPorts": false,
      "remote.restoreForwardedPorts": false,
      "window.commandCenter": false,
      "chat.commandCenter.enabled": false,
    }),
  );
  const env = {
    ...process.env,
    EXTENSIONS_GALLERY: "{}",
    XDG_CONFIG_HOME: join(tmp, "config"),
    XDG_DATA_HOME: join(tmp, "data"),
  };
  execFileSync(
    CODE_SERVER,
    ["--user-data-dir", userData, "--extensions-dir", extensions, "--install-extension", vsix],
    {
      env,
      stdio: "ignore",
    },
  );
  const port = await new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port: p } = s.address();
      s.close(() => resolve(p));
    });
  });
  const log = openSync(join(tmp, "code-server.log"), "a");
  server = spawn(
    CODE_SERVER,
    [
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--auth",
      "none",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      "--ignore-last-opened",
      "--user-data-dir",
      userData,
      "--extensions-dir",
      extensions,
      workspace,
    ],
    { env, detached: true, stdio: ["ignore", log, log] },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (i > 150) throw new Error("code-server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  await page.goto(url);
  await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 60_000 });
  await page
    .locator(".explorer-folders-view .monaco-list-row", { hasText: "users.csv" })
    .waitFor({ state: "visible", timeout: 60_000 });
  const input = () => page.locator(".quick-input-widget .quick-input-box input");
  const title = (text) => page.locator(".quick-input-widget .quick-input-title").filter({ hasText: text });

  async function runCommand(name) {
    for (let attempt = 1; attempt <= 15; attempt++) {
      await page.keyboard.press("F1");
      await input().waitFor({ state: "visible", timeout: 10_000 });
      await input().fill(`>${name}`);
      const row = page.locator(".quick-input-list .monaco-list-row", { hasText: name }).first();
      try {
        await row.waitFor({ state: "visible", timeout: 3000 });
        await page.keyboard.press("Enter");
        return;
      } catch {
        await page.keyboard.press("Escape");
        await page.waitForTimeout(1000);
      }
    }
    throw new Error(`"${name}" never appeared in the command palette`);
  }
  async function answer(stepTitle, value) {
    await title(stepTitle).waitFor({ state: "visible", timeout: 15_000 });
    await input().fill(value);
    await page.keyboard.press("Enter");
  }
  async function pick(stepTitle, label) {
    await title(stepTitle).waitFor({ state: "visible", timeout: 15_000 });
    await page
      .locator(".quick-input-list .monaco-list-row", { has: page.locator(".label-name", { hasText: label }) })
      .first()
      .click();
  }

  await runCommand("Intercom: Start Sandbox");
  await page
    .locator(".notifications-toasts .notification-toast", { hasText: /sandbox/i })
    .first()
    .waitFor({ state: "visible", timeout: 30_000 });
  await runCommand("Notifications: Clear All Notifications");

  await runCommand("Intercom: Update User");
  await pick("find the user by", /^User ID$/);
  await answer("Intercom: Update User: User ID", "25");
  await answer("Intercom: Update User: Name", "Ada Lovelace");
  await answer("Intercom: Update User: New email", "ada@example.com");
  await answer("Intercom: Update User: Phone", "");
  await pick("Intercom: Update User: Unsubscribed from emails", /^Subscribed/);
  await answer("Intercom: Update User: Intercom ID of company", "");
  await answer("Intercom: Update User: Company ID", "");
  await answer("Intercom: Update User: Custom attributes", "");
  await title("review the change to").waitFor({ state: "visible", timeout: 30_000 });
  await page.locator(".quick-input-widget", { hasText: "Ada Lovelace" }).waitFor({ state: "visible", timeout: 15_000 });
  await page.waitForTimeout(500);
  mkdirSync(dirname(OUT), { recursive: true });
  await page.screenshot({ path: OUT });
  console.log(`wrote ${OUT}`);
} catch (error) {
  console.error(`screenshot failed; code-server log and user data kept in ${tmp}`);
  throw error;
} finally {
  await browser?.close().catch(() => {});
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
    await new Promise((r) => setTimeout(r, 1500));
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {}
  }
  if (!process.exitCode) rmSync(tmp, { recursive: true, force: true });
}
