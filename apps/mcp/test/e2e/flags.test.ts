import { beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { ensureBuilt, runBinary, tempHome } from "./harness.js";

beforeAll(() => {
  ensureBuilt();
});

async function run(args: string[], extra: Record<string, string> = {}) {
  const home = await tempHome();
  try {
    return await runBinary(args, {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home.dir,
      XDG_CONFIG_HOME: home.dir,
      ...extra,
    });
  } finally {
    await home.remove();
  }
}

describe("flags that never start serving", () => {
  it("--help prints the usage, with the one-line client configuration", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('{"mcpServers": {"intercom-kit": {"command": "intercom-kit-mcp"}}}');
    for (const flag of ["--region", "--base-url", "--api-version", "--timeout", "--sandbox", "--plan-ttl"]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it("--version prints the package's version", async () => {
    const r = await run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(packageJson.version);
  });

  it.each([
    [["--bogus"], "Unknown option '--bogus'"],
    [["--timeout", "soon"], '--timeout must be a positive number of seconds, not "soon"'],
    [["--plan-ttl", "0"], '--plan-ttl must be a positive number of seconds, not "0"'],
    [["--region"], "Option '--region <value>' argument missing"],
    [["stray"], "Unexpected argument 'stray'"],
    [["--region", "mars"], '--region must be one of us, eu, au, not "mars"'],
    [["--api-version", "9.9"], "--api-version"],
    [["--sandbox", "--region", "eu"], "--sandbox cannot be combined with --base-url or --region"],
    [["--base-url", "http://127.0.0.1:9"], "--base-url needs an access token, and none is configured"],
  ])("%j: a clear message on stderr, exit 2, nothing on stdout", async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  it("a plain-http base URL off this machine is refused, without showing the token", async () => {
    const r = await run(["--base-url", "http://api.example.com"], { INTERCOM_ACCESS_TOKEN: "tok_secret_123" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--base-url:");
    expect(r.stderr).not.toContain("tok_secret_123");
    expect(r.stdout).toBe("");
  });
});
