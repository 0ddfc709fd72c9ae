import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { configLocation, FIELDS } from "@intercom-kit/domain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliDeps, CliIo } from "../../src/commands/context.js";
import { runCli } from "../../src/program.js";

let home: string;
let sandboxStarts: number;
let rendered: number;
let sandboxArgs: string[][];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "ik-program-"));
  sandboxStarts = 0;
  rendered = 0;
  sandboxArgs = [];
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function harness(isTTY: boolean, env: NodeJS.ProcessEnv = {}, stdoutTTY = isTTY) {
  let out = "";
  let err = "";
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t), isTTY: stdoutTTY },
    stderr: { write: (t: string) => (err += t) },
    stdin: new PassThrough(),
    env,
    isTTY,
  };
  const deps: CliDeps = {
    fields: FIELDS,
    config: configLocation({ XDG_CONFIG_HOME: home }),
    startSandbox: async () => {
      sandboxStarts += 1;
      return { url: "http://127.0.0.1:9", token: "t", close: async () => {} };
    },
    renderInteractive: async () => {
      rendered += 1;
      return 0;
    },
    promptToken: async () => ({ cancelled: "escape" }),
    confirm: async () => "no",
    runSandbox: async (args) => {
      sandboxArgs.push(args);
      return 0;
    },
  };
  const run = (...argv: string[]) => runCli(argv, io, deps, new AbortController().signal);
  return { run, out: () => out, err: () => err };
}

describe("intercom-kit --help", () => {
  it("lists every flag of the field table with its meaning, and the exit codes", async () => {
    for (const argv of [["--help"], ["update", "--help"]]) {
      const h = harness(false);
      expect(await h.run(...argv)).toBe(0);
      const help = h.out().replace(/\s+/g, " ");
      for (const field of FIELDS) {
        expect(help).toContain(`--${field.flag}`);
        expect(help).toContain(field.hint.slice(0, 30).replace(/\s+/g, " "));
      }
      for (const flag of [
        "--dry-run",
        "--json",
        "--yes",
        "--region",
        "--api-version",
        "--base-url",
        "--sandbox",
        "--from",
        "--create-attributes",
        "--timeout",
      ]) {
        expect(help).toContain(flag);
      }
      if (argv[0] === "update") {
        expect(help).toContain("6 partially applied");
        expect(help).toContain("7 unknown");
        expect(help).toContain("130 interrupted");
      }
    }
  });
});

describe("mode selection", () => {
  it("a terminal and no flags -> the interactive UI", async () => {
    const h = harness(true);
    expect(await h.run()).toBe(0);
    expect(await h.run("update")).toBe(0);
    expect(rendered).toBe(2);
  });

  it("stdin is a terminal but stdout is piped -> no UI in the pipe; the missing flags are named instead", async () => {
    const h = harness(true, {}, false);
    expect(await h.run("update")).toBe(2);
    expect(rendered).toBe(0);
    expect(h.err()).toContain("--user-id, --intercom-id, --email");
  });

  it("no terminal and no flags -> fails at once naming the missing flags, never renders or waits", async () => {
    const h = harness(false);
    expect(await h.run("update")).toBe(2);
    expect(rendered).toBe(0);
    expect(sandboxStarts).toBe(0);
    expect(h.err()).toContain("--user-id, --intercom-id, --email");
    expect(h.err()).toContain("--name");
    expect(h.err()).toContain("--yes");
  });

  it("names only what is missing", async () => {
    const h = harness(false);
    expect(await h.run("update", "--user-id", "25", "--yes")).toBe(2);
    expect(h.err()).toMatch(/Missing flag: at least one of --name/);
    expect(h.err()).not.toContain("--user-id, --intercom-id");
  });

  it("invalid values are exit 2 with the domain's message and the flag to fix, before any back end starts", async () => {
    const h = harness(false);
    expect(await h.run("update", "--user-id", "25", "--new-email", "nope", "--yes")).toBe(2);
    expect(h.err()).toContain("New email: must be a valid email address");
    expect(h.err()).toContain("--new-email");
    expect(sandboxStarts).toBe(0);
    // Said once: the message names the one problem, and no detail line repeats it.
    expect(h.err().split("must be a valid email address").length).toBe(2);
  });

  it("bulk-only flags without --from are an error naming --from", async () => {
    for (const flags of [["--resume"], ["--skip-invalid"], ["--journal", "j.ndjson"], ["--concurrency", "4"]]) {
      const h = harness(false);
      expect(await h.run("update", "--user-id", "25", "--name", "X", "--yes", ...flags)).toBe(2);
      expect(h.err()).toContain(`${flags[0]} needs --from`);
      expect(h.err()).not.toContain("Request");
    }
  });

  it("a mistyped command is named with a suggestion, not handed to update as an argument", async () => {
    const h = harness(false);
    expect(await h.run("logn")).toBe(2);
    expect(h.err()).toContain("unknown command 'logn'");
    expect(h.err()).toContain("login");
    expect(h.err()).not.toContain("too many arguments");
  });

  it("update is the default command for argv that starts with a flag", async () => {
    const h = harness(false);
    expect(await h.run("--user-id", "25", "--name", "X")).toBe(2);
    expect(h.err()).toContain("--yes");
  });

  it("intercom-kit sandbox passes every flag of the sandbox CLI through", async () => {
    const h = harness(false);
    const args = [
      "--port",
      "4010",
      "--token",
      "t",
      "--state",
      "s.json",
      "--rate-limit",
      "60",
      "--latency",
      "200",
      "--seed",
      "7",
      "--json",
    ];
    expect(await h.run("sandbox", ...args)).toBe(0);
    expect(sandboxArgs).toEqual([args]);
  });

  it("--json: a parse error is one JSON document on stdout and nothing on stderr", async () => {
    const h = harness(false);
    expect(await h.run("update", "--json", "--no-such-flag")).toBe(2);
    const doc = JSON.parse(h.out());
    expect(doc.error.kind).toBe("invalid_input");
    expect(doc.error.message).toContain("--no-such-flag");
    expect(h.err()).toBe("");
  });

  it("--from hands over to the bulk runner (a missing file is exit 2 naming it)", async () => {
    const h = harness(false);
    const code = await h.run("update", "--from", join(home, "missing.csv"), "--dry-run");
    expect(code).toBe(2);
    expect(h.err()).toContain("missing.csv");
  });

  it("--concurrency must be a small positive integer", async () => {
    const h = harness(false);
    expect(await h.run("update", "--from", "x.csv", "--concurrency", "0", "--dry-run")).toBe(2);
    expect(h.err()).toContain("--concurrency must be a whole number");
  });

  it("--from refuses field flags next to it", async () => {
    const h = harness(false);
    expect(await h.run("update", "--from", "x.csv", "--name", "X", "--dry-run")).toBe(2);
    expect(h.err()).toContain("--from cannot be combined with --name");
  });

  it("--from without a terminal needs --yes or --dry-run", async () => {
    const h = harness(false);
    expect(await h.run("update", "--from", "x.csv")).toBe(2);
    expect(h.err()).toContain("--yes");
  });
});
