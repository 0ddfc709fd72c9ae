import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runSandboxCli, SEED } from "../src/index.js";

const CLI = join(__dirname, "..", "dist", "cli.js");
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), "sbx-cli-"));
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function startCli(args: string[]) {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: build the package first (pnpm --filter @intercom-kit/sandbox build)`);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => {
    stdout += d;
  });
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const waitFor = async (re: RegExp, ms = 10_000): Promise<RegExpMatchArray> => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const m = stdout.match(re);
      if (m) return m;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ${re} in output:\n${stdout}\n${stderr}`);
  };
  return { child, exited, waitFor, out: () => stdout, err: () => stderr };
}

async function portClosed(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch {
    return true;
  }
}

describe("the CLI (dist/cli.js)", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "prints URL and token, serves, and exits 0 on %s with the port closed",
    async (sig) => {
      const cli = startCli(["--port", "0"]);
      const url = (await cli.waitFor(/URL:\s+(http:\/\/127\.0\.0\.1:\d+)/))[1]!;
      const token = (await cli.waitFor(/Token:\s+(\S+)/))[1]!;
      const r = await fetch(`${url}/contacts/find_by_external_id/25`, {
        headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
      });
      expect(r.status).toBe(200);
      expect((await r.json()).id).toBe(SEED.user.id);
      cli.child.kill(sig);
      expect(await cli.exited).toEqual({ code: 0, signal: null });
      expect(cli.out()).toContain("Sandbox stopped.");
      expect(await portClosed(url)).toBe(true);
    },
  );

  it("takes --token, --rate-limit, --state and --json", async () => {
    const state = join(dir, "state.json");
    const cli = startCli(["--json", "--token", "cli-token", "--rate-limit", "6", "--state", state, "--seed", "5"]);
    const line = (await cli.waitFor(/^(\{.*\})\n/m))[1]!;
    const { url, token } = JSON.parse(line);
    expect(token).toBe("cli-token");
    const get = () => fetch(`${url}/contacts/${SEED.user.id}`, { headers: { Authorization: "Bearer cli-token" } });
    const first = await get();
    expect(first.headers.get("x-ratelimit-limit")).toBe("1");
    expect(existsSync(state)).toBe(true);
    cli.child.kill("SIGINT");
    expect((await cli.exited).code).toBe(0);
  });

  it("adds --latency to every request", async () => {
    const cli = startCli(["--json", "--latency", "150"]);
    const { url, token } = JSON.parse((await cli.waitFor(/^(\{.*\})\n/m))[1]!);
    const t0 = Date.now();
    await fetch(`${url}/contacts/${SEED.user.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    cli.child.kill("SIGTERM");
    expect((await cli.exited).code).toBe(0);
  });

  it.each([
    [["--port", "abc"], /--port must be an integer/],
    [["--rate-limit", "0"], /--rate-limit must be an integer between 1/],
    [["--bogus"], /Unknown option '--bogus'/],
  ])("exits 2 on bad flags %j, naming the flag", async (args, msg) => {
    const cli = startCli(args);
    expect((await cli.exited).code).toBe(2);
    expect(cli.err()).toMatch(msg);
  });
});

describe("runSandboxCli (in process, as `intercom-kit sandbox` calls it)", () => {
  it("runs until the signal aborts, and returns 0", async () => {
    const out: string[] = [];
    const ac = new AbortController();
    let url = "";
    const done = runSandboxCli(["--token", "in-proc"], {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => out.push(s) },
      signal: ac.signal,
      handleSignals: false,
      onReady: (sb) => {
        url = sb.url;
      },
    });
    while (!url) await new Promise((r) => setTimeout(r, 10));
    const r = await fetch(`${url}/contacts/${SEED.user.id}`, { headers: { Authorization: "Bearer in-proc" } });
    expect(r.status).toBe(200);
    ac.abort();
    expect(await done).toBe(0);
    expect(out.join("")).toContain(`URL:   ${url}`);
    expect(await portClosed(url)).toBe(true);
  });

  it("prints help and returns 0", async () => {
    const out: string[] = [];
    const code = await runSandboxCli(["--help"], {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: () => 0 },
    });
    expect(code).toBe(0);
    expect(out.join("")).toMatch(/--rate-limit N/);
  });

  it("returns 1 when the port is taken", async () => {
    const ac = new AbortController();
    let port = 0;
    const first = runSandboxCli([], {
      stdout: { write: () => 0 },
      stderr: { write: () => 0 },
      signal: ac.signal,
      handleSignals: false,
      onReady: (sb) => {
        port = sb.port;
      },
    });
    while (!port) await new Promise((r) => setTimeout(r, 10));
    const err: string[] = [];
    const code = await runSandboxCli(["--port", String(port)], {
      stdout: { write: () => 0 },
      stderr: { write: (s: string) => err.push(s) },
      handleSignals: false,
    });
    expect(code).toBe(1);
    expect(err.join("")).toMatch(/Could not start the sandbox: .*EADDRINUSE/);
    ac.abort();
    expect(await first).toBe(0);
  });
});
