import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { baseEnv, CLI, ensureBuilt, type RunResult, runBinary } from "./binary.js";

let sandbox: Sandbox;
let home: string;

beforeAll(async () => {
  ensureBuilt();
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(async () => {
  sandbox.reset();
  sandbox.setFaults([]);
  home = await mkdtemp(join(tmpdir(), "ik-e2e-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** The token goes in the environment (never argv); the sandbox URL is a flag. */
function run(args: string[], opts: { token?: string; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const env = baseEnv(home, { INTERCOM_ACCESS_TOKEN: opts.token ?? sandbox.token });
  return runBinary(["update", ...args, "--base-url", sandbox.url], env, opts).then((r) => {
    // Whatever happened, the token must not have been printed.
    expect(r.stdout).not.toContain(sandbox.token);
    expect(r.stderr).not.toContain(sandbox.token);
    return r;
  });
}

describe("intercom-kit update without a terminal (built binary, real sandbox)", () => {
  it("--json prints exactly one JSON document that matches the sandbox's state", async () => {
    const r = await run([
      "--user-id",
      SEED.user.externalId,
      "--name",
      "Ada Lovelace",
      "--unsubscribed",
      "true",
      "--attr",
      "plan=pro",
      "--company-id",
      "acme-1",
      "--company-name",
      "Acme",
      "--yes",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const user = JSON.parse(r.stdout);
    const stored = sandbox.state.getContact(SEED.user.id) as Record<string, unknown>;
    expect(user.id).toBe(SEED.user.id);
    expect(user.name).toBe("Ada Lovelace");
    expect(stored.name).toBe("Ada Lovelace");
    expect(user.unsubscribed_from_emails).toBe(true);
    expect(stored.unsubscribed_from_emails).toBe(true);
    expect((stored.custom_attributes as Record<string, unknown>).plan).toBe("pro");
    expect(user.custom_attributes.plan).toBe("pro");
    const attached = sandbox.state.companiesOf(SEED.user.id).map((c) => c.company_id);
    expect(attached).toContain("acme-1");
    expect(user.companies.companies.map((c: { company_id: string }) => c.company_id)).toEqual(attached);
    expect(user.updated_at).toBe(stored.updated_at);
  });

  it("without --json: the record as labelled text on stdout, progress on stderr", async () => {
    const r = await run(["--user-id", SEED.user.externalId, "--name", "Grace Hopper", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Name\s+Grace Hopper/);
    expect(r.stdout).toMatch(/Created at\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(r.stderr).toMatch(/Done: /);
    expect(r.stderr).not.toMatch(/sandbox/i); // a token and --base-url were given: no sandbox notice
  });

  it("exit 2 for invalid input, with a JSON error naming the flag; nothing is sent", async () => {
    const r = await run(["--user-id", "25", "--new-email", "not-an-email", "--yes", "--json"]);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.kind).toBe("invalid_input");
    expect(doc.error.message).toContain("--new-email");
    expect(sandbox.requests()).toHaveLength(0);
  });

  it("exit 3 when the user is not found", async () => {
    const r = await run(["--user-id", "nobody-has-this-id", "--name", "X", "--yes", "--json"]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.kind).toBe("not_found");
  });

  it("exit 3 when the email matches several users (ambiguous), listing them", async () => {
    const r = await run(["--email", SEED.sharedEmail, "--name", "X", "--yes"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(SEED.sharedEmailContactIds[0]);
    expect(r.stderr).toMatch(/Hint: /);
  });

  it("exit 4 with a wrong token", async () => {
    const r = await run(["--user-id", "25", "--name", "X", "--yes", "--json"], { token: "wrong-token" });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).error.kind).toBe("unauthorized");
    expect(r.stdout).not.toContain("wrong-token");
    expect(r.stderr).not.toContain("wrong-token");
  });

  it("exit 5 when Intercom keeps failing (503 beyond the retries), with the request id", async () => {
    sandbox.setFaults([{ status: 503 }]);
    const r = await run(["--user-id", "25", "--name", "X", "--yes", "--json"], { timeoutMs: 60_000 });
    expect(r.code).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(["intercom_error", "network", "rate_limited"]).toContain(doc.error.kind);
    expect(doc.error.requestId).toEqual(expect.any(String));
    expect(sandbox.requests().length).toBeGreaterThan(1); // retried
  });

  it("exit 5 when rate limited beyond the retries", async () => {
    sandbox.setFaults([{ status: 429 }]);
    const r = await run(["--user-id", "25", "--name", "X", "--yes", "--json"], { timeoutMs: 90_000 });
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout).error.kind).toBe("rate_limited");
  }, 120_000);

  it("exit 6 when the contact was updated but attaching the company failed (partial)", async () => {
    sandbox.setFaults([{ method: "POST", path: "/contacts/:id/companies", status: 500 }]);
    const r = await run(
      [
        "--user-id",
        "25",
        "--name",
        "Partly Applied",
        "--company-id",
        "acme-2",
        "--company-name",
        "Acme",
        "--yes",
        "--json",
      ],
      { timeoutMs: 60_000 },
    );
    expect(r.code).toBe(6);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.kind).toBe("partial");
    expect(doc.error.applied.length).toBeGreaterThan(0);
    expect(doc.error.notApplied).toContain("attach");
    expect((sandbox.state.getContact(SEED.user.id) as Record<string, unknown>).name).toBe("Partly Applied");
  });

  it("fails fast without a terminal and without the needed flags, naming them (stdin left open)", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--user-id, --intercom-id, --email");
    expect(r.stderr).toContain("--yes");
    expect(r.ms).toBeLessThan(10_000);
    expect(sandbox.requests()).toHaveLength(0);
  });

  it("--dry-run prints the plan and sends nothing: same state, no request", async () => {
    const before = JSON.stringify(sandbox.state.snapshot());
    const r = await run(["--user-id", "25", "--name", "Dry", "--company-id", "acme-3", "--dry-run", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.dryRun).toBe(true);
    expect(doc.plan.calls.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(["update", "company", "attach"]),
    );
    expect(sandbox.requests()).toHaveLength(0);
    expect(JSON.stringify(sandbox.state.snapshot())).toBe(before);
  });
});

describe("back end and token handling (built binary)", () => {
  it("with no token anywhere, uses the embedded sandbox and says so on stderr", async () => {
    const r = await runBinary(["update", "--user-id", "25", "--name", "Local Only", "--yes", "--json"], baseEnv(home));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("embedded sandbox (changes stay on this machine)");
    expect(JSON.parse(r.stdout).name).toBe("Local Only");
    expect(sandbox.requests()).toHaveLength(0); // not our sandbox: the embedded one
  });

  it("login reads a piped token, checks it, stores it 0600; update then uses it; logout removes it", async () => {
    const login = await runBinary(["login", "--base-url", sandbox.url], baseEnv(home), { input: `${sandbox.token}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout + login.stderr).not.toContain(sandbox.token);
    const file = join(home, "intercom-kit", "config.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, "intercom-kit"))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ token: sandbox.token, baseUrl: sandbox.url });
    // One cheap authenticated call: a search with per_page 1.
    expect(sandbox.requests().map((q) => `${q.method} ${q.path}`)).toEqual(["POST /contacts/search"]);

    const update = await runBinary(["update", "--user-id", "25", "--name", "Stored Token", "--yes"], baseEnv(home));
    expect(update.code, update.stderr).toBe(0);
    expect((sandbox.state.getContact(SEED.user.id) as Record<string, unknown>).name).toBe("Stored Token");

    const logout = await runBinary(["logout"], baseEnv(home));
    expect(logout.code).toBe(0);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it("login with a wrong token exits 4 and stores nothing", async () => {
    const r = await runBinary(["login", "--base-url", sandbox.url], baseEnv(home), { input: "not-the-token\n" });
    expect(r.code).toBe(4);
    expect(r.stdout + r.stderr).not.toContain("not-the-token");
    await expect(stat(join(home, "intercom-kit", "config.json"))).rejects.toThrow(/ENOENT/);
  });

  it("refuses a plain-http base URL that is not loopback", async () => {
    const r = await runBinary(
      ["update", "--user-id", "25", "--name", "X", "--yes", "--base-url", "http://example.com"],
      baseEnv(home, { INTERCOM_ACCESS_TOKEN: "tok" }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/http:/);
  });

  it("`intercom-kit sandbox` runs one in the foreground that the CLI can use, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [CLI, "sandbox", "--json"], {
      env: baseEnv(home),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buf = "";
        child.stdout.on("data", (d: Buffer) => {
          buf += d.toString();
          if (buf.includes("\n")) resolve(buf.split("\n")[0] as string);
        });
        setTimeout(() => reject(new Error(`no sandbox line: ${buf}`)), 15_000);
      });
      const { url, token } = JSON.parse(line) as { url: string; token: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await runBinary(
        ["update", "--user-id", "25", "--name", "Foreground", "--yes", "--json", "--base-url", url],
        baseEnv(home, { INTERCOM_ACCESS_TOKEN: token }),
      );
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).name).toBe("Foreground");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
