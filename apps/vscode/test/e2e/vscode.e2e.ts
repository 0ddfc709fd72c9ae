/**
 * The packaged extension inside a real VS Code (code-server 4.100.3, driven by Debian's Chromium through
 * playwright-core), offline on loopback. See /docs/decisions/0003-vscode-e2e-code-server.md.
 * Prerequisites: `bash scripts/setup-e2e.sh` (or CODE_SERVER_BIN and CHROMIUM_BIN pointing at your own).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { FIELDS } from "@intercom-kit/domain";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const APP = join(here, "..", "..");
// Set by e2e.mjs: the .vsix that `vsce package` produced in this very run, and its SHA-256.
const VSIX = process.env.INTERCOM_KIT_VSIX ?? "";
const VSIX_SHA256 = process.env.INTERCOM_KIT_VSIX_SHA256 ?? "";
const CACHE = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
const CODE_SERVER =
  process.env.CODE_SERVER_BIN ||
  join(CACHE, "intercom-kit", "code-server-4.100.3", "node_modules", ".bin", "code-server");
const CHROMIUM = process.env.CHROMIUM_BIN || "/usr/bin/chromium";
const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;

/** Titles and choices come from the domain's field table, as the extension's steps do. */
const field = (key: string) => {
  const f = FIELDS.find((x) => x.key === key);
  if (!f) throw new Error(`no field ${key} in the domain's table`);
  return f;
};
const step = (key: string) => `Intercom: Update User: ${field(key).label}`;
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
const choice = (key: string, value: string) => {
  const c = field(key).choices?.find((x) => x.value === value);
  if (!c) throw new Error(`no choice ${value} for ${key}`);
  return exactly(c.label);
};

let sandbox: Sandbox;
let tmp: string;
let serverProcess: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let userData: string;
let failed = false;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (serverProcess?.exitCode !== null && serverProcess?.exitCode !== undefined) {
      throw new Error(`code-server exited with ${serverProcess.exitCode}; see ${join(tmp, "code-server.log")}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms (${last})`);
}

/** Stops code-server and every process it started (it runs in its own process group). */
async function stopServer(): Promise<void> {
  const child = serverProcess;
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // already gone
    }
  };
  kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), 5000);
    timer.unref();
  });
  if ((await Promise.race([exited, timeout])) === "timeout") {
    kill("SIGKILL");
    await exited;
  }
  clearTimeout(timer);
  kill("SIGKILL"); // stragglers of the group (watchers, extension hosts), if any
}

const quickInput = () => page.locator(".quick-input-widget");
const inputBox = () => page.locator(".quick-input-widget .quick-input-box input");
const title = () => page.locator(".quick-input-widget .quick-input-title");
/** The visible text of a locator (Playwright's innerText, which lint mistakes for the DOM property). */
// biome-ignore lint/performance/useDomNodeTextContent: Playwright Locator.innerText() returns only visible text
const visibleText = (locator: ReturnType<Page["locator"]>) => locator.innerText();

/** Opens the palette and runs a command; retries while the extension's commands are not registered yet. */
async function runCommand(name: string): Promise<void> {
  for (let attempt = 1; attempt <= 15; attempt++) {
    await page.keyboard.press("F1");
    await inputBox().waitFor({ state: "visible", timeout: 10_000 });
    await inputBox().fill(`>${name}`);
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

/** Waits for the step whose title contains `stepTitle` (and the step counter), then types and accepts. */
async function answerInput(stepTitle: string, value: string, counter?: string): Promise<void> {
  await expectStep(stepTitle, counter);
  await inputBox().fill(value);
  await page.keyboard.press("Enter");
}

async function answerPick(stepTitle: string, label: RegExp, counter?: string): Promise<void> {
  await expectStep(stepTitle, counter);
  const row = page.locator(".quick-input-list .monaco-list-row", {
    has: page.locator(".label-name", { hasText: label }),
  });
  await row.first().click();
}

async function expectStep(stepTitle: string, counter?: string): Promise<void> {
  await title().filter({ hasText: stepTitle }).waitFor({ state: "visible", timeout: 15_000 });
  if (counter) await expect.poll(() => visibleText(quickInput()), { timeout: 5000 }).toContain(counter);
}

/** The visible lines of the active editor (Monaco renders spaces as no-break spaces). */
async function editorText(): Promise<string> {
  const text = await visibleText(page.locator(".editor-instance .view-lines").first());
  return text.replace(/\u00a0/g, " ");
}

function toast(text: string | RegExp) {
  return page.locator(".notifications-toasts .notification-toast", { hasText: text });
}

/** Every log file VS Code wrote, as text (the output channel lands under logs/<ts>/exthost*). */
function allLogs(): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".log")) out.push(`${path}\n${readFileSync(path, "utf8")}`);
    }
  };
  walk(join(userData, "logs"));
  return out.join("\n");
}

beforeAll(async () => {
  if (!VSIX || !VSIX_SHA256 || !existsSync(VSIX))
    throw new Error(`no freshly packaged .vsix: run "pnpm --filter intercom-kit-vscode test:e2e" (it packages first)`);
  expect(createHash("sha256").update(readFileSync(VSIX)).digest("hex")).toBe(VSIX_SHA256);
  if (!existsSync(CODE_SERVER)) {
    throw new Error(`code-server not found at ${CODE_SERVER}: run "bash scripts/setup-e2e.sh" or set CODE_SERVER_BIN`);
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: run "bash scripts/setup-e2e.sh" or set CHROMIUM_BIN`);

  sandbox = await startSandbox();
  tmp = await mkdtemp(join(tmpdir(), "intercom-kit-e2e-"));
  userData = join(tmp, "user-data");
  const extensions = join(tmp, "extensions");
  const workspace = join(tmp, "workspace");
  await mkdir(join(userData, "User"), { recursive: true });
  await mkdir(extensions, { recursive: true });
  await mkdir(workspace, { recursive: true });
  await writeFile(join(workspace, "hello-intercom.txt"), "e2e workspace\n");
  const settings = {
    "workbench.startupEditor": "none",
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "workbench.enableExperiments": false,
    "security.workspace.trust.enabled": false,
    "git.enabled": false,
    "remote.autoForwardPorts": false,
    "remote.restoreForwardedPorts": false,
    "intercomKit.baseUrl": sandbox.url, // loopback http: allowed, and no token in settings
  };
  await writeFile(join(userData, "User", "settings.json"), JSON.stringify(settings, null, 2));

  const env = {
    ...process.env,
    EXTENSIONS_GALLERY: "{}",
    XDG_CONFIG_HOME: join(tmp, "config"),
    XDG_DATA_HOME: join(tmp, "data"),
  };
  await promisify(execFile)(
    CODE_SERVER,
    ["--user-data-dir", userData, "--extensions-dir", extensions, "--install-extension", VSIX],
    { env, timeout: 60_000 },
  );
  // The installed extension is the packaged one: this run's version, with the icon the .vsix carries.
  const manifest = JSON.parse(readFileSync(join(APP, "package.json"), "utf8")) as { version: string; icon: string };
  const installed = join(extensions, `intercom-kit.intercom-kit-vscode-${manifest.version}`);
  expect(readdirSync(extensions)).toContain(`intercom-kit.intercom-kit-vscode-${manifest.version}`);
  expect(existsSync(join(installed, manifest.icon))).toBe(true);

  const port = await freePort();
  const log = openSync(join(tmp, "code-server.log"), "a");
  serverProcess = spawn(
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
  await waitForHealth(url, 30_000);

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
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 60_000 });
  await page
    .locator(".explorer-folders-view .monaco-list-row", { hasText: "hello-intercom.txt" })
    .waitFor({ state: "visible", timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  await stopServer();
  await sandbox?.stop();
  if (!tmp) return;
  if (failed) {
    const keep = join(APP, ".e2e", run);
    await cp(tmp, keep, { recursive: true }).catch(() => {});
    console.error(`e2e failed: code-server log and user data kept in ${keep}`);
  }
  await rm(tmp, { recursive: true, force: true });
});

describe("Intercom Kit inside VS Code (code-server)", () => {
  const name = `E2E User ${run}`;
  const unknown = `no-such-user-${run}`;

  it("sets the access token through the command, into secret storage", async () => {
    try {
      await runCommand("Intercom: Set Access Token");
      await answerInput("Intercom: Set Access Token", sandbox.token);
      await toast("Intercom access token saved").waitFor({ state: "visible", timeout: 15_000 });
      const settings = readFileSync(join(userData, "User", "settings.json"), "utf8");
      expect(settings).not.toContain(sandbox.token);
    } catch (error) {
      failed = true;
      throw error;
    }
  });

  it("updates a user from the palette: steps, review, progress, notification and the JSON result", async () => {
    try {
      sandbox.clearRequests();
      await runCommand("Intercom: Update User");
      await answerPick("find the user by", exactly(field("userId").label), "1/9");
      await answerInput(step("userId"), SEED.user.externalId, "2/10");
      await answerInput(step("name"), name, "3/10");
      await answerInput(step("email"), "");
      await answerInput(step("phone"), "");
      await answerPick(step("unsubscribedFromEmails"), choice("unsubscribedFromEmails", "false"), "6/10");
      await answerInput(step("intercomCompanyId"), "");
      await answerInput(step("companyId"), "");
      await answerInput(step("customAttributes"), "", "9/10");
      await expectStep("review the change to", "10/10");
      await expect.poll(() => visibleText(quickInput()), { timeout: 10_000 }).toContain(`${SEED.user.name} → ${name}`);
      await answerPick("review the change to", /Update the user/);

      await toast(`Updated ${name}`).waitFor({ state: "visible", timeout: 30_000 });
      const stored = sandbox.state.findByExternalId(SEED.user.externalId) as {
        name: string;
        unsubscribed_from_emails: boolean;
      };
      expect(stored.name).toBe(name);
      expect(stored.unsubscribed_from_emails).toBe(false);
      expect(sandbox.requests().some((r) => r.method === "PUT" && r.version === "2.15")).toBe(true);

      // The result: a read-only JSON editor named after the user, holding the new name.
      await page
        .locator(".tabs-container .tab", { hasText: /^intercom-user-.*\.json/ })
        .first()
        .waitFor({ state: "visible", timeout: 15_000 });
      await expect.poll(editorText, { timeout: 10_000 }).toContain(`"name": "${name}"`);
      await expect.poll(editorText, { timeout: 5000 }).toContain(`"user_id": "${SEED.user.externalId}"`);
    } catch (error) {
      failed = true;
      throw error;
    }
  });

  it("Back keeps answers; an unknown user shows the error notification with Show details, and writes nothing", async () => {
    try {
      sandbox.clearRequests();
      await page.keyboard.press("Escape");
      await runCommand("Intercom: Update User");
      await answerPick("find the user by", exactly(field("userId").label));
      await answerInput(step("userId"), unknown);
      // Back keeps what was typed, both on the step left and on the step returned to.
      await expectStep(step("name"));
      await inputBox().fill(`Nobody ${run}`);
      await page.locator(".quick-input-widget .codicon-quick-input-back").first().click();
      await expectStep(step("userId"));
      await expect.poll(() => inputBox().inputValue(), { timeout: 5000 }).toBe(unknown);
      await page.keyboard.press("Enter");
      await expectStep(step("name"));
      await expect.poll(() => inputBox().inputValue(), { timeout: 5000 }).toBe(`Nobody ${run}`);
      await page.keyboard.press("Enter");
      await answerInput(step("email"), "");
      await answerInput(step("phone"), "");
      await answerPick(step("unsubscribedFromEmails"), choice("unsubscribedFromEmails", ""));
      await answerInput(step("intercomCompanyId"), "");
      await answerInput(step("companyId"), "");
      await answerInput(step("customAttributes"), "");

      const error = toast(unknown);
      await error.waitFor({ state: "visible", timeout: 30_000 });
      await expect(error.locator(".monaco-button", { hasText: "Show details" }).count()).resolves.toBe(1);
      expect(sandbox.requests().filter((r) => r.method === "PUT" || r.path.endsWith("/companies"))).toEqual([]);
      await error.locator(".monaco-button", { hasText: "Show details" }).click();
      // Show details opens the Intercom Kit log in the panel.
      await expect
        .poll(async () => (await visibleText(page.locator(".part.panel"))).replace(/\u00a0/g, " "), { timeout: 15_000 })
        .toContain("failed: not_found");
      await expect.poll(allLogs, { timeout: 15_000 }).toContain("failed: not_found");
      expect(allLogs()).toMatch(/GET \/contacts\/find_by_external_id\/\S+ → 404/);
      expect(allLogs()).not.toContain(sandbox.token);
    } catch (error) {
      failed = true;
      throw error;
    }
  });
});
