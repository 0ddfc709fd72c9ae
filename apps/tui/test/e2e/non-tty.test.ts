import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SANDBOX_LABEL } from "@intercom-kit/domain";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { baseEnv, CLI, ensureBuilt, type RunResult, runBinary } from "./binary.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  it("exit 0: --json prints exactly one result document that matches the sandbox's state", async () => {
    const r = await run([
      "--user-id",
      SEED.user.externalId,
      "--name",
      "Ada Lovelace",
      "--unsubscribed",
      "true",
      "--attr",
      "plan=pro",
      "--tag",
      "VIP",
      "--company-id",
      "acme-1",
      "--company-name",
      "Acme",
      "--yes",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc).sort()).toEqual(["applied", "changes", "notes", "outcome", "user"]);
    expect(doc.outcome).toBe("applied");
    const { user } = doc;
    const stored = sandbox.state.getContact(SEED.user.id) as Record<string, unknown>;
    expect(user.id).toBe(SEED.user.id);
    expect(user.name).toBe("Ada Lovelace");
    expect(stored.name).toBe("Ada Lovelace");
    expect(stored.unsubscribed_from_emails).toBe(true);
    expect((stored.custom_attributes as Record<string, unknown>).plan).toBe("pro");
    expect(user.custom_attributes.plan).toBe("pro");
    expect(sandbox.state.tagsOf(SEED.user.id).map((t) => t.name)).toContain("VIP");
    const attached = sandbox.state.companiesOf(SEED.user.id).map((c) => c.company_id);
    expect(attached).toContain("acme-1");
    expect(user.companies.companies.map((c: { company_id: string }) => c.company_id)).toEqual(attached);
    expect(user.updated_at).toBe(stored.updated_at);
  });

  it("exit 0 without --json: the domain's outcome line and notes on stderr, the labelled record on stdout", async () => {
    const r = await run([
      "--user-id",
      SEED.user.externalId,
      "--name",
      "Grace Hopper",
      "--company-id",
      "no-name-co",
      "--yes",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Name\s+Grace Hopper/);
    expect(r.stdout).toMatch(/Created at\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(r.stderr).toMatch(/^Updated Grace Hopper <joe@example\.com>: /m);
    // --company-id alone: the plan's note says the new company has no name.
    expect(r.stderr).toContain("Note: Company ID no-name-co is new: the company is created without a name");
    expect(r.stderr).not.toMatch(/sandbox/i); // a token and --base-url were given: no sandbox notice
  });

  it("exit 0 when nothing differs: one line says so, and nothing is written", async () => {
    const r = await run(["--user-id", SEED.user.externalId, "--name", "Joe Example", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "Nothing to change: Joe Example <joe@example.com> already has every value given; nothing was written.",
    );
    expect(sandbox.requests().some((q) => q.method === "PUT")).toBe(false);
  });

  it("--dry-run: looks up and checks, prints the plan with the values it would send, writes nothing", async () => {
    const before = JSON.stringify(sandbox.state.snapshot());
    const r = await run(["--user-id", "25", "--name", "Dry", "--company-id", "acme-3", "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Name\s+Joe Example -> Dry/);
    expect(r.stdout).toContain('{"name":"Dry"}');
    expect(r.stdout).toContain('{"company_id":"acme-3"}');
    expect(r.stderr).toContain("nothing was written");
    const writes = sandbox.requests().filter((q) => q.method !== "GET" && q.path !== "/contacts/search");
    expect(writes).toEqual([]);
    expect(JSON.stringify(sandbox.state.snapshot())).toBe(before);
  });

  it("--dry-run --json prints the prepared update (the plan applyUpdate would run)", async () => {
    const r = await run(["--user-id", "25", "--name", "Dry", "--dry-run", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.contactId).toBe(SEED.user.id);
    expect(plan.calls.map((c: { kind: string }) => c.kind)).toContain("update");
    expect(plan.changes).toEqual([
      expect.objectContaining({ key: "name", current: "Joe Example", next: "Dry", changed: true }),
    ]);
    expect(sandbox.requests().some((q) => q.method === "PUT")).toBe(false);
  });

  it("exit 2 for invalid input: the domain's error once, the flag to fix, no request id line; nothing is sent", async () => {
    const r = await run(["--user-id", "25", "--new-email", "not-an-email", "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr.match(/must be a valid email address/g)).toHaveLength(1);
    expect(r.stderr).toContain("Flags to fix: --new-email");
    expect(r.stderr).not.toMatch(/Request id/i);
    expect(sandbox.requests()).toHaveLength(0);
    const json = await run(["--user-id", "25", "--new-email", "not-an-email", "--yes", "--json"]);
    expect(JSON.parse(json.stdout).error).toMatchObject({ kind: "invalid_input", fieldErrors: [{ field: "email" }] });
  });

  it("exit 2 for what the pre-flight finds: another user's email (conflict), an unknown attribute, an unknown owner", async () => {
    for (const [flags, kind, text] of [
      [["--new-email", "ada.lovelace@example.com"], "conflict", "already belongs to another contact"],
      [["--attr", "plna=pro"], "invalid_input", 'did you mean "plan"'],
      [["--attr", "seats=3"], "invalid_input", "In flags: --create-attributes creates the missing custom attributes."],
      [["--owner", "nobody@example.com"], "invalid_input", "no admin of this workspace"],
    ] as const) {
      const r = await run(["--user-id", "25", ...flags, "--yes"]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(text);
      const json = await run(["--user-id", "25", ...flags, "--yes", "--json"]);
      expect(JSON.parse(json.stdout).error.kind).toBe(kind);
    }
    expect(sandbox.requests().some((q) => q.method === "PUT" || q.path === "/companies")).toBe(false);
  });

  it("exit 2 for bulk-only flags without --from, naming --from", async () => {
    const r = await run(["--user-id", "25", "--name", "X", "--resume", "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--resume needs --from");
  });

  it("exit 3 when the user is not found, said once", async () => {
    const r = await run(["--user-id", "nobody-has-this-id", "--name", "X", "--yes"]);
    expect(r.code).toBe(3);
    expect(r.stderr.match(/No user has user ID nobody-has-this-id/g)).toHaveLength(1);
    const json = await run(["--user-id", "nobody-has-this-id", "--name", "X", "--yes", "--json"]);
    expect(JSON.parse(json.stdout).error.kind).toBe("not_found");
  });

  it("exit 3 when the email matches several users (ambiguous), listing them", async () => {
    const r = await run(["--email", SEED.sharedEmail, "--name", "X", "--yes"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(SEED.sharedEmailContactIds[0]);
    expect(r.stderr).toMatch(/Hint: /);
  });

  it("exit 3 when no company has the given Intercom ID (found before any write)", async () => {
    const r = await run(["--user-id", "25", "--company-intercom-id", SEED.unknownId, "--yes"]);
    expect(r.code).toBe(3);
    expect(sandbox.requests().some((q) => q.method !== "GET" && q.path !== "/contacts/search")).toBe(false);
  });

  it("exit 4 with a wrong token", async () => {
    const r = await run(["--user-id", "25", "--name", "X", "--yes", "--json"], { token: "wrong-token" });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).error.kind).toBe("unauthorized");
    expect(r.stdout).not.toContain("wrong-token");
    expect(r.stderr).not.toContain("wrong-token");
  });

  it("exit 4 with a token that holds a space: a plain message, no request, the token never shown", async () => {
    const r = await run(["--user-id", "25", "--name", "X", "--yes"], { token: "abc def-SECRET" });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("The access token from INTERCOM_ACCESS_TOKEN contains a space or a line break");
    expect(r.stderr).not.toContain("SECRET");
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack
    expect(sandbox.requests()).toHaveLength(0);
  });

  it("exit 5 when Intercom keeps failing (503 beyond the retries), with the request id; each retry said on stderr", async () => {
    sandbox.setFaults([{ status: 503 }]);
    const r = await run(["--user-id", "25", "--name", "X", "--yes", "--json"], { timeoutMs: 60_000 });
    expect(r.code).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.kind).toBe("intercom_error");
    expect(doc.error.requestId).toEqual(expect.any(String));
    expect(r.stderr).toMatch(
      /… GET \/contacts\/find_by_external_id\/25: 503 service unavailable, retrying in [\d.]+ s \(attempt 2 of 3\)/,
    );
    expect(sandbox.requests().length).toBeGreaterThan(1); // retried
  });

  it("a 429 that passes: the wait is said on stderr (never in --json stdout), and the update is applied", async () => {
    sandbox.setFaults([{ method: "PUT", status: 429, times: 1 }]);
    const r = await run(["--user-id", "25", "--name", "After The Wait", "--yes", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/… PUT \/contacts\/\S+: 429 rate limited, retrying in/);
    expect(JSON.parse(r.stdout).user.name).toBe("After The Wait");
  });

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
    expect(r.code, r.stdout).toBe(6);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.kind).toBe("partial");
    expect(doc.error.applied.length).toBeGreaterThan(0);
    expect(doc.error.notApplied).toContain("attach");
    expect((sandbox.state.getContact(SEED.user.id) as Record<string, unknown>).name).toBe("Partly Applied");
  });

  it("exit 7 when the write's answer is lost and reading it back fails too: it may have been applied", async () => {
    sandbox.setFaults([
      { method: "PUT", path: "/contacts/:id", reset: true },
      { method: "GET", path: "/contacts/:id", reset: true },
    ]);
    const r = await run(["--user-id", "25", "--name", "Maybe Applied", "--yes"], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr).toMatch(/may have been applied|May have been done/i);
    expect(r.stderr).toMatch(/again is safe/);
    // The reset fault applies the change before cutting the answer, so the next run needs a value that still differs.
    const json = await run(["--user-id", "25", "--name", "Maybe Applied Again", "--yes", "--json"], {
      timeoutMs: 60_000,
    });
    expect(json.code).toBe(7);
    expect(JSON.parse(json.stdout).error.kind).toBe("unknown");
  });

  it("exit 130 on one Ctrl-C (SIGINT) during update --yes; what was done is said", async () => {
    sandbox.setFaults([{ method: "PUT", latencyMs: 1500 }]);
    const env = baseEnv(home, { INTERCOM_ACCESS_TOKEN: sandbox.token });
    const child = spawn(
      process.execPath,
      [CLI, "update", "--user-id", "25", "--name", "Interrupted", "--yes", "--base-url", sandbox.url],
      { env, stdio: ["pipe", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes("… Update the user's fields")) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/Cancelled/);
    // The sandbox still answers the delayed PUT after the client left; let it land before the next test's reset.
    await sleep(1600);
  });

  it("exit 130 on one Ctrl-C (SIGINT) during a bulk run; rows in flight finish and are journaled as applied", async () => {
    sandbox.setFaults([{ method: "PUT", latencyMs: 800 }]);
    const from = join(home, "bulk.csv");
    const ids = SEED.userExternalIds.slice(0, 12);
    await writeFile(from, `user-id,name\n${ids.map((id) => `${id},Bulk ${id}`).join("\n")}\n`);
    const child = spawn(
      process.execPath,
      [CLI, "update", "--from", from, "--yes", "--concurrency", "2", "--base-url", sandbox.url],
      { env: baseEnv(home, { INTERCOM_ACCESS_TOKEN: sandbox.token }), stdio: ["pipe", "pipe", "pipe"] },
    );
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    // Ctrl-C as soon as the first write is on the wire: its row must end applied, not aborted.
    const timer = setInterval(() => {
      if (!sent && sandbox.requests().some((q) => q.method === "PUT")) {
        sent = true;
        child.kill("SIGINT");
      }
    }, 50);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearInterval(timer);
    await sleep(900); // delayed requests of the stopped run land before the next test's reset
    expect(code, stderr).toBe(130);
    expect(stderr).toContain("Stopping: no new rows start");
    const journal = (await readFile(`${from}.journal.ndjson`, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { status: string; row: number });
    const started = journal.filter((e) => e.status === "started").map((e) => e.row);
    expect(started.length).toBeGreaterThan(0);
    expect(started.length).toBeLessThan(12);
    expect(
      journal
        .filter((e) => e.status === "applied")
        .map((e) => e.row)
        .sort(),
    ).toEqual([...started].sort());
  });

  it("fails fast without a terminal and without the needed flags, naming them (stdin left open)", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--user-id, --intercom-id, --email");
    expect(r.stderr).toContain("--yes");
    expect(r.ms).toBeLessThan(10_000);
    expect(sandbox.requests()).toHaveLength(0);
  });
});

describe("the command line itself (built binary)", () => {
  it("--help into a reader that leaves at once ends quietly with 0 (EPIPE is not an error)", async () => {
    const child = spawn(process.execPath, [CLI, "--help"], { env: baseEnv(home), stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // like `| head -1` having exited before the help is written
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("--help | head -1 in a shell exits 0 with nothing on stderr", () => {
    const r = spawnSync(
      "bash",
      ["-c", `"${process.execPath}" "${CLI}" --help | head -1; echo "status=\${PIPESTATUS[0]}"`],
      {
        env: baseEnv(home),
        encoding: "utf8",
      },
    );
    expect(r.stdout).toMatch(/^Usage: intercom-kit/);
    expect(r.stdout).toContain("status=0");
    expect(r.stderr).toBe("");
  });

  it("a mistyped command is named, with the command it is closest to", async () => {
    const r = await runBinary(["logn"], baseEnv(home));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'logn'");
    expect(r.stderr).toContain("(Did you mean login?)");
    expect(r.stderr).not.toContain("too many arguments");
  });

  it("exit 1 for anything else, e.g. a journal path that is a directory", async () => {
    const from = join(home, "users.csv");
    await writeFile(from, "user-id,name\n25,Journal\n");
    const r = await runBinary(
      ["update", "--from", from, "--journal", home, "--yes", "--base-url", sandbox.url],
      baseEnv(home, { INTERCOM_ACCESS_TOKEN: sandbox.token }),
    );
    expect(r.code, r.stderr).toBe(1);
  });
});

describe("back end and token handling (built binary)", () => {
  it("with no token anywhere, uses the embedded sandbox and says so on stderr with the domain's label", async () => {
    const r = await runBinary(["update", "--user-id", "25", "--name", "Local Only", "--yes", "--json"], baseEnv(home));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(SANDBOX_LABEL);
    expect(r.stderr).not.toContain("stay on this machine");
    expect(JSON.parse(r.stdout).user.name).toBe("Local Only");
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

  it("login with a wrong token exits 4 and stores nothing; one with a space is refused before any call", async () => {
    const r = await runBinary(["login", "--base-url", sandbox.url], baseEnv(home), { input: "not-the-token\n" });
    expect(r.code).toBe(4);
    expect(r.stdout + r.stderr).not.toContain("not-the-token");
    await expect(stat(join(home, "intercom-kit", "config.json"))).rejects.toThrow(/ENOENT/);
    sandbox.clearRequests();
    const spaced = await runBinary(["login", "--base-url", sandbox.url], baseEnv(home), { input: "two words\n" });
    expect(spaced.code).toBe(4);
    expect(spaced.stderr).toContain("contains a space");
    expect(sandbox.requests()).toHaveLength(0);
  });

  it("refuses a plain-http base URL that is not loopback", async () => {
    const r = await runBinary(
      ["update", "--user-id", "25", "--name", "X", "--yes", "--base-url", "http://example.com"],
      baseEnv(home, { INTERCOM_ACCESS_TOKEN: "tok" }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/http:/);
  });

  it("--api-version goes through the domain's one rule: Preview is accepted, 1.4 is refused naming the flag", async () => {
    const ok = await run(["--user-id", "25", "--name", "Preview User", "--yes", "--api-version", "preview"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(sandbox.requests().every((q) => q.version === "Preview")).toBe(true);
    const bad = await run(["--user-id", "25", "--name", "X", "--yes", "--api-version", "1.4"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--api-version: The Intercom API version must be one of");
  });

  it("`intercom-kit sandbox` takes the sandbox's own flags, runs in the foreground, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [CLI, "sandbox", "--json", "--token", "fixed-token", "--latency", "10"], {
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
      expect(token).toBe("fixed-token");
      const r = await runBinary(
        ["update", "--user-id", "25", "--name", "Foreground", "--yes", "--json", "--base-url", url],
        baseEnv(home, { INTERCOM_ACCESS_TOKEN: token }),
      );
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).user.name).toBe("Foreground");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
