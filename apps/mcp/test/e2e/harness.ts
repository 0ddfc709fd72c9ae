import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Sandbox } from "@intercom-kit/sandbox";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

export const APP_DIR = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const RECORD = fileURLToPath(new URL("../fixtures/record-stdout.mjs", import.meta.url));

/** The tests run the bundle a client runs; build it when a plain `vitest run` comes before `pnpm build`. */
export function ensureBuilt(): void {
  if (!existsSync(CLI)) execFileSync(process.execPath, ["build.mjs"], { cwd: APP_DIR, stdio: "inherit" });
}

/** A private, empty config directory: no login file, no inherited token. */
export async function tempHome(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "ik-mcp-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface Running {
  client: Client;
  transport: StdioClientTransport;
  /** Everything the server wrote to stderr so far. */
  stderr: () => string;
  call: (name: string, args: Record<string, unknown>) => Promise<ToolCall>;
  close: () => Promise<void>;
}

export interface ToolCall {
  result: CallToolResult;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: structured content is checked field by field in the tests.
  data: any;
}

export interface StartOptions {
  home: string;
  /** Point the server at this sandbox (its URL as --base-url, its token in INTERCOM_ACCESS_TOKEN). */
  sandbox?: Sandbox;
  args?: string[];
  env?: Record<string, string>;
  /** Copy every byte of the server's stdout to this file. */
  recordStdoutTo?: string;
}

/** Starts the built server as a child process and connects the SDK's own client to it over stdio. */
export async function startServer(options: StartOptions): Promise<Running> {
  const args = [...(options.sandbox ? ["--base-url", options.sandbox.url] : []), ...(options.args ?? [])];
  const env: Record<string, string> = {
    HOME: options.home,
    XDG_CONFIG_HOME: options.home,
    ...(options.sandbox ? { INTERCOM_ACCESS_TOKEN: options.sandbox.token } : {}),
    ...options.env,
  };
  const command = options.recordStdoutTo
    ? [RECORD, options.recordStdoutTo, process.execPath, CLI, ...args]
    : [CLI, ...args];
  const transport = new StdioClientTransport({ command: process.execPath, args: command, env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "intercom-kit-mcp-test", version: "0.0.0" });
  await client.connect(transport);
  const call = async (name: string, toolArgs: Record<string, unknown>): Promise<ToolCall> => {
    const result = (await client.callTool({ name, arguments: toolArgs })) as CallToolResult;
    const first = result.content[0];
    return { result, text: first?.type === "text" ? first.text : "", data: result.structuredContent };
  };
  return {
    client,
    transport,
    stderr: () => stderr,
    call,
    close: async () => {
      const pid = transport.pid;
      await client.close();
      if (pid !== null) await waitForExit(pid);
    },
  };
}

/** Resolves once no process has `pid` (the server must not outlive its session). */
export async function waitForExit(pid: number, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`process ${pid} is still running`);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary to completion (for flags that never start serving). */
export function runBinary(args: string[], env: Record<string, string>, timeoutMs = 20_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`intercom-kit-mcp ${args.join(" ")} did not exit within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The routes the sandbox served, as `METHOD /route`. */
export function routes(sandbox: Sandbox): string[] {
  return sandbox.requests().map((r) => `${r.method} ${r.route ?? r.path}`);
}
