/**
 * runBulkCommand in-process against the sandbox over real HTTP: files, stdin, journal, exit codes, output.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { type BackendChoice, type BackendInfo, createIntercomClient } from "@intercom-kit/domain";
import { type ContactRecord, createSeedData, type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type BulkIo, type BulkRun, runBulk } from "./run.js";

const N = 30;
const idOf = (i: number) => `c0ffee00${i.toString(16).padStart(16, "0")}`;

function data() {
  const d = createSeedData();
  const template = d.contacts.find((c) => c.id === SEED.plainUser.id) as ContactRecord;
  for (let i = 1; i <= N; i++) {
    d.contacts.push({
      ...structuredClone(template),
      id: idOf(i),
      external_id: `cli-${i}`,
      email: `cli${i}@example.com`,
      name: null,
      company_ids: [],
    });
  }
  return d;
}

let sb: Sandbox;
let dir: string;
beforeAll(async () => {
  sb = await startSandbox({ data: data() });
});
afterAll(async () => {
  await sb?.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ik-bulk-cli-"));
  sb.clearRequests();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

class Sink {
  text = "";
  isTTY = false;
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    return true;
  }
}

let starts = 0;
function choice(): BackendChoice {
  const info: BackendInfo = {
    kind: "sandbox",
    label: "Sandbox (test)",
    baseUrl: sb.url,
    apiVersion: "2.15",
    tokenSource: null,
  };
  return {
    info,
    warnings: [],
    start: async () => {
      starts += 1;
      return {
        ok: true,
        backend: {
          info,
          warnings: [],
          createClient: (o) => createIntercomClient({ token: sb.token, baseUrl: sb.url, maxDelayMs: 5, ...o }),
          close: async () => {},
        },
      };
    },
  };
}

async function run(over: Partial<BulkRun>, ioOver: Partial<BulkIo> = {}) {
  const stdout = new Sink();
  const stderr = new Sink();
  const options: BulkRun = {
    from: "",
    resume: false,
    dryRun: false,
    json: false,
    yes: true,
    backend: choice(),
    signal: new AbortController().signal,
    ...over,
  };
  const code = await runBulk(options, {
    stdout,
    stderr,
    isTTY: false,
    stdin: Readable.from([]),
    confirm: async () => "no",
    ...ioOver,
  });
  for (const s of [stdout.text, stderr.text]) expect(s).not.toContain(sb.token);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const nameOf = (i: number) => sb.state.getContact(idOf(i))?.name;

describe("intercom-kit update --from", () => {
  it("applies a CSV, prints one JSON line per row and a summary, exit 0", async () => {
    const from = await file("users.csv", `intercom-id,name\r\n${idOf(1)},"Ada, L."\r\n${idOf(2)},Bob\r\n`);
    const r = await run({ from, json: true });
    expect(r.code, r.stderr).toBe(0);
    expect([nameOf(1), nameOf(2)]).toEqual(["Ada, L.", "Bob"]);
    const lines = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(
      lines
        .filter((l) => l.type === "row")
        .map((l) => [l.row, l.status, l.user.name])
        .sort(),
    ).toEqual([
      [1, "applied", "Ada, L."],
      [2, "applied", "Bob"],
    ]);
    expect(lines.at(-1)).toMatchObject({ type: "summary", applied: 2, failed: 0, exitCode: 0 });
    expect(r.stderr).toMatch(/applied\s+2/);
    expect(r.stderr).toContain(`Journal: ${from}.journal.ndjson`);
  });

  it("refuses the file when a row is invalid: names row, line and field, sends nothing, exit 2", async () => {
    const from = await file("bad.csv", `intercom-id,new-email\n${idOf(3)},ok@example.com\n${idOf(4)},not-an-email\n`);
    const r = await run({ from });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("1 of 2 rows is invalid");
    expect(r.stderr).toContain("row 2 (line 3): New email: must be a valid email address");
    expect(r.stderr).toContain("--skip-invalid");
    expect(sb.requests()).toHaveLength(0);
  });

  it("--skip-invalid applies the valid rows and still exits 2 (the file needs fixing)", async () => {
    const from = await file("mixed.csv", `intercom-id,name\n${idOf(5)},Five\n${idOf(6)},\n`);
    const r = await run({ from, skipInvalid: true });
    expect(r.code).toBe(2);
    expect(nameOf(5)).toBe("Five");
    expect(r.stderr).toMatch(/skipped\s+1\s+1 invalid/);
  });

  it("names an unknown column", async () => {
    const from = await file("cols.csv", `intercom-id,nickname\n${idOf(7)},x\n`);
    const r = await run({ from });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown column "nickname"');
  });

  it("an existing journal needs --resume; resuming sends only what is not applied", async () => {
    const from = await file(
      "resume.ndjson",
      `{"intercom-id":"${idOf(8)}","name":"Eight"}\n{"intercom-id":"${idOf(9)}","name":"Nine"}\n`,
    );
    expect((await run({ from })).code).toBe(0);
    const again = await run({ from });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("--resume");
    sb.clearRequests();
    const resumed = await run({ from, resume: true });
    expect(resumed.code).toBe(0);
    expect(sb.requests()).toHaveLength(0);
    expect(resumed.stderr).toMatch(/2 rows already applied will be skipped/);
    expect(resumed.stderr).toMatch(/applied\s+2\s+\(2 by an earlier run\)/);
  });

  it("reads standard input with --from - and requires --journal for it", async () => {
    const text = `{"intercom-id":"${idOf(10)}","name":"Ten"}\n`;
    const missing = await run({ from: "-" }, { stdin: Readable.from([text]) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--journal");
    const journal = join(dir, "stdin.journal.ndjson");
    const r = await run({ from: "-", journal }, { stdin: Readable.from([Buffer.from(text)]) });
    expect(r.code, r.stderr).toBe(0);
    expect(nameOf(10)).toBe("Ten");
    expect(await readFile(journal, "utf8")).toContain('"status":"applied"');
  });

  it("--dry-run sends nothing, starts no back end, and says what the file would do (the domain's summary)", async () => {
    const from = await file(
      "dry.csv",
      `intercom-id,name,company-id,company-name\n${idOf(11)},A,co1,Co\n${idOf(12)},B,co1,Co\n${idOf(13)},C,co2,Co2\n`,
    );
    starts = 0;
    const r = await run({ from, dryRun: true, json: true });
    expect(r.code).toBe(0);
    expect(sb.requests()).toHaveLength(0);
    expect(starts).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ type: "plan", dryRun: true, rows: 3, companies: ["co1", "co2"] });
    const text = await run({ from, dryRun: true });
    expect(text.stdout).toContain("3 rows (3 valid) for 3 users");
    expect(text.stdout).toContain("2 companies by Company ID");
  });

  it("a one-row file says 1 row, not 1 rows", async () => {
    const from = await file("one.csv", `intercom-id,name\n${idOf(30)},One\n`);
    const r = await run({ from, dryRun: true });
    expect(r.stdout).toContain("1 row (1 valid) for 1 user");
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\b1 rows\b|\b1 users\b/);
  });

  it("a row whose user already has every value is unchanged: success, nothing written", async () => {
    const from = await file("same.csv", `user-id,name\n${SEED.user.externalId},Joe Example\n`);
    const r = await run({ from, json: true });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.split("\n")[0] as string)).toMatchObject({ status: "unchanged", outcome: "unchanged" });
    expect(r.stderr).toMatch(/unchanged\s+1/);
    expect(sb.requests().some((q) => q.method === "PUT")).toBe(false);
  });

  it("failures that are all not found or ambiguous exit 3", async () => {
    const from = await file(
      "nf-amb.csv",
      `intercom-id,email,name\n${SEED.unknownId},,Ghost\n,${SEED.sharedEmail},Twins\n`,
    );
    const r = await run({ from });
    expect(r.stderr).toMatch(/not_found 1/);
    expect(r.stderr).toMatch(/ambiguous 1/);
    expect(r.code).toBe(3);
  });

  it("failed rows are listed and set the exit code of their kind (3 = not found)", async () => {
    const from = await file("nf.csv", `intercom-id,name\n${SEED.unknownId},Ghost\n${idOf(14)},Real\n`);
    const r = await run({ from });
    expect(r.code).toBe(3);
    expect(nameOf(14)).toBe("Real");
    expect(r.stderr).toMatch(/failed\s+1\s+not_found 1/);
    expect(r.stderr).toContain("row 1 (line 2): not_found:");
    expect(r.stderr).toContain("--resume");
  });

  it("Ctrl-C stops dispatching, rows in flight finish and are journaled as applied, exit 130, says how to resume", async () => {
    sb.setFaults([{ latencyMs: 60 }]);
    const lines = ["intercom-id,name", ...Array.from({ length: 12 }, (_, k) => `${idOf(16 + k)},Stopped ${k}`)];
    const from = await file("stop.csv", `${lines.join("\n")}\n`);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    try {
      const r = await run({ from, signal: controller.signal, concurrency: 2 });
      expect(r.code).toBe(130);
      expect(r.stderr).toContain("Stopping: no new rows start");
      expect(r.stderr).toContain("Bulk update interrupted");
      expect(r.stderr).toMatch(/not sent: interrupted/);
      expect(r.stderr).toContain("--resume");
      const journal = (await readFile(`${from}.journal.ndjson`, "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      const started = journal.filter((e) => e.status === "started").length;
      const applied = journal.filter((e) => e.status === "applied").length;
      expect(started).toBeGreaterThan(0);
      expect(started).toBeLessThan(12);
      // Every row that was sent ended as what it was: applied, never "aborted".
      expect(applied).toBe(started);
      expect(journal.filter((e) => e.status === "failed")).toEqual([]);
      for (const e of journal.filter((x) => x.status === "applied")) {
        expect(nameOf(16 + e.row - 1)).toBe(`Stopped ${e.row - 1}`);
      }
    } finally {
      sb.setFaults([]);
    }
  });

  it("retries and rate-limit waits are said on stderr, never silent", async () => {
    sb.setFaults([{ method: "PUT", status: 429, times: 1 }]);
    try {
      const from = await file("wait.csv", `intercom-id,name\n${idOf(28)},Waited\n`);
      const r = await run({ from });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/bulk: PUT \/contacts\/\S+: 429 rate limited, retrying in/);
    } finally {
      sb.setFaults([]);
    }
  });

  it("asks before sending in a terminal, and sends nothing on no", async () => {
    const from = await file("ask.csv", `intercom-id,name\n${idOf(15)},Asked\n`);
    const questions: string[] = [];
    const r = await run(
      { from, yes: false },
      {
        isTTY: true,
        confirm: async (q) => {
          questions.push(q);
          return "no";
        },
      },
    );
    expect(r.code).toBe(1);
    expect(questions[0]).toMatch(/^Update 1 user from .*ask\.csv on Sandbox \(test\)\? \[y\/N\] $/);
    expect(sb.requests()).toHaveLength(0);
  });

  it("Ctrl-C at the y/N prompt sends nothing and exits 130", async () => {
    const from = await file("ask2.csv", `intercom-id,name\n${idOf(29)},Asked\n`);
    const r = await run({ from, yes: false }, { isTTY: true, confirm: async () => "interrupted" });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain("Interrupted: nothing was sent.");
    expect(sb.requests()).toHaveLength(0);
  });
});
