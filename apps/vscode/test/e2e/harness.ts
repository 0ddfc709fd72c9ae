/**
 * One code-server (VS Code 1.100.3) per e2e file, driven by Debian's Chromium through playwright-core, offline on
 * loopback, with the packaged extension installed and a sandbox started by the test as "Intercom" (the baseUrl
 * setting). See /docs/decisions/0003-vscode-e2e-code-server.md.
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
import { type Sandbox, startSandbox } from "@intercom-kit/sandbox";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
export const APP = join(here, "..", "..");
/** e2e.mjs hands over the .vsix it just packaged (and its SHA-256); by hand, the one in the app folder. */
const VSIX = process.env.INTERCOM_KIT_VSIX || join(APP, "intercom-kit-vscode.vsix");
const VSIX_SHA256 = process.env.INTERCOM_KIT_VSIX_SHA256 ?? "";
const CACHE = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
const CODE_SERVER =
  process.env.CODE_SERVER_BIN ||
  join(CACHE, "intercom-kit", "code-server-4.100.3", "node_modules", ".bin", "code-server");
const CHROMIUM = process.env.CHROMIUM_BIN || "/usr/bin/chromium";

/** Titles and choices come from the domain's field table, as the extension's steps do. */
export const field = (key: string) => {
  const f = FIELDS.find((x) => x.key === key);
  if (!f) throw new Error(`no field ${key} in the domain's table`);
  return f;
};
export const step = (key: string) => `Intercom: Update User: ${field(key).label}`;
export const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
export const choice = (key: string, value: string) => {
  const c = field(key).choices?.find((x) => x.value === value);
  if (!c) throw new Error(`no choice ${value} for ${key}`);
  return exactly(c.label);
};

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

export interface CodeServer {
  page: Page;
  sandbox: Sandbox;
  userData: string;
  /** Keeps the user data and log in apps/vscode/.e2e/ when the file ends. */
  failed(): void;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** The browser window (default 1400 x 900), and its device pixels per CSS pixel (default 1). */
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
  /** The opened folder: its name and files (default "workspace" with hello-intercom.txt; the first is waited for). */
  workspace?: { name: string; files: Record<string, string> };
}

/**
 * Starts a sandbox, installs the packaged extension into a fresh code-server, opens the workbench in Chromium.
 * `settings` go to the user settings over the defaults; the e2e tests and the README's screenshot
 * (scripts/vscode-screenshot.mjs) both start here.
 */
export async function startCodeServer(
  settings: Record<string, unknown> = {},
  options: CodeServerOptions = {},
): Promise<CodeServer> {
  const folder = options.workspace ?? { name: "workspace", files: { "hello-intercom.txt": "e2e workspace\n" } };
  const firstFile = Object.keys(folder.files)[0];
  if (!firstFile) throw new Error("the workspace needs at least one file (the explorer shows it when ready)");
  if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run "pnpm --filter intercom-kit-vscode test:e2e"`);
  if (VSIX_SHA256) expect(createHash("sha256").update(readFileSync(VSIX)).digest("hex")).toBe(VSIX_SHA256);
  if (!existsSync(CODE_SERVER))
    throw new Error(`code-server not found at ${CODE_SERVER}: run "bash scripts/setup-e2e.sh"`);
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run "bash scripts/setup-e2e.sh"`);

  const sandbox = await startSandbox();
  const tmp = await mkdtemp(join(tmpdir(), "intercom-kit-e2e-"));
  const userData = join(tmp, "user-data");
  const extensions = join(tmp, "extensions");
  const workspace = join(tmp, folder.name);
  await mkdir(join(userData, "User"), { recursive: true });
  await mkdir(extensions, { recursive: true });
  await mkdir(workspace, { recursive: true });
  for (const [name, text] of Object.entries(folder.files)) await writeFile(join(workspace, name), text);
  await writeFile(
    join(userData, "User", "settings.json"),
    JSON.stringify(
      {
        "workbench.startupEditor": "none",
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
        "intercomKit.baseUrl": sandbox.url, // loopback http: allowed, and no token in settings
        ...settings,
      },
      null,
      2,
    ),
  );
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
  // The installed extension is the packaged one: this version, with the icon the .vsix carries.
  const manifest = JSON.parse(readFileSync(join(APP, "package.json"), "utf8")) as { version: string; icon?: string };
  const installed = `intercom-kit.intercom-kit-vscode-${manifest.version}`;
  expect(readdirSync(extensions)).toContain(installed);
  if (manifest.icon) expect(existsSync(join(extensions, installed, manifest.icon))).toBe(true);

  const port = await freePort();
  const log = openSync(join(tmp, "code-server.log"), "a");
  const server: ChildProcess = spawn(
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
  let keep = false;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => {});
    await stopGroup(server);
    await sandbox.stop();
    if (keep) {
      const kept = join(APP, ".e2e", `${Date.now().toString(36)}${process.pid.toString(36)}`);
      await cp(tmp, kept, { recursive: true }).catch(() => {});
      console.error(`e2e failed: code-server log and user data kept in ${kept}`);
    }
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, server, 30_000);
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
    const page = await browser.newPage({
      viewport: options.viewport ?? { width: 1400, height: 900 },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
    });
    await page.goto(url);
    await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 60_000 });
    await page
      .locator(".explorer-folders-view .monaco-list-row", { hasText: firstFile })
      .waitFor({ state: "visible", timeout: 60_000 });
    return {
      page,
      sandbox,
      userData,
      failed: () => {
        keep = true;
      },
      stop,
    };
  } catch (error) {
    keep = true;
    await stop();
    throw error;
  }
}

async function waitForHealth(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}`);
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
async function stopGroup(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null) return;
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

/** The visible text of a locator (Playwright's innerText, which lint mistakes for the DOM property). */
// biome-ignore lint/performance/useDomNodeTextContent: Playwright Locator.innerText() returns only visible text
export const visibleText = (locator: Locator) => locator.innerText();

/** The quick input widget and what it shows. */
export function widgets(page: Page) {
  const quickInput = () => page.locator(".quick-input-widget");
  const inputBox = () => page.locator(".quick-input-widget .quick-input-box input");
  const title = () => page.locator(".quick-input-widget .quick-input-title");
  const message = () => page.locator(".quick-input-widget .quick-input-message");
  const rows = () => page.locator(".quick-input-widget .quick-input-list .monaco-list-row");
  const row = (label: RegExp | string) =>
    page
      .locator(".quick-input-list .monaco-list-row", { has: page.locator(".label-name", { hasText: label }) })
      .first();

  /** Opens the palette and runs a command; retries while the extension's commands are not registered yet. */
  async function runCommand(name: string): Promise<void> {
    for (let attempt = 1; attempt <= 15; attempt++) {
      await page.keyboard.press("F1");
      await inputBox().waitFor({ state: "visible", timeout: 10_000 });
      await inputBox().fill(`>${name}`);
      const found = page.locator(".quick-input-list .monaco-list-row", { hasText: name }).first();
      try {
        await found.waitFor({ state: "visible", timeout: 3000 });
        await page.keyboard.press("Enter");
        return;
      } catch {
        await page.keyboard.press("Escape");
        await page.waitForTimeout(1000);
      }
    }
    throw new Error(`"${name}" never appeared in the command palette`);
  }

  /** Waits for the step whose title contains `stepTitle` (and the step counter, e.g. "4/5"). */
  async function expectStep(stepTitle: string, counter?: string): Promise<void> {
    await title().filter({ hasText: stepTitle }).waitFor({ state: "visible", timeout: 15_000 });
    if (counter) await expect.poll(() => visibleText(quickInput()), { timeout: 5000 }).toContain(counter);
  }

  async function answerInput(stepTitle: string, value: string, counter?: string): Promise<void> {
    await expectStep(stepTitle, counter);
    await inputBox().fill(value);
    await page.keyboard.press("Enter");
  }

  async function answerPick(stepTitle: string, label: RegExp, counter?: string): Promise<void> {
    await expectStep(stepTitle, counter);
    await row(label).click();
  }

  const toast = (text: string | RegExp) => page.locator(".notifications-toasts .notification-toast", { hasText: text });

  /** The visible lines of the active editor (Monaco renders spaces as no-break spaces). */
  async function editorText(): Promise<string> {
    const text = await visibleText(page.locator(".editor-instance .view-lines").first());
    return text.replace(/\u00a0/g, " ");
  }

  return {
    quickInput,
    inputBox,
    title,
    message,
    rows,
    row,
    runCommand,
    expectStep,
    answerInput,
    answerPick,
    toast,
    editorText,
  };
}

/** Every log file VS Code wrote, as text (the output channel lands under logs/<ts>/exthost*). */
export function allLogs(userData: string): string {
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
