import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const APP_DIR = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

/** The tests run the bundle a user runs; build it when a plain `vitest run` comes before `pnpm build`. */
export function ensureBuilt(): void {
  if (!existsSync(CLI)) execFileSync(process.execPath, ["build.mjs"], { cwd: APP_DIR, stdio: "inherit" });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A clean environment: no CI (Ink would print only the last frame), no inherited token, a private config dir. */
export function baseEnv(configHome: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: configHome,
    XDG_CONFIG_HOME: configHome,
  };
  return { ...env, ...extra };
}

/**
 * Runs the built binary without a terminal. stdin is a pipe we never close unless `input` is given, which proves a
 * command does not wait for input.
 */
export function runBinary(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const started = Date.now();
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
    if (options.input !== undefined) child.stdin.end(options.input);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`intercom-kit ${args.join(" ")} did not exit within ${options.timeoutMs ?? 20_000} ms\n${stderr}`),
      );
    }, options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
