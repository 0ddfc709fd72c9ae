import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { FIELDS } from "@intercom-kit/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliDeps, CliIo } from "../../src/commands/context.js";
import { runCli } from "../../src/program.js";
import { configLocation } from "../../src/services/token-store.js";

// The scripts are produced by the real program (as `intercom-kit completion <shell>` prints them) and then loaded
// into real shells. Like the tmux tests, a missing shell fails the test instead of skipping it:
// scripts/setup-e2e.sh installs bash, zsh and fish.

let dir: string;

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    stdin: new PassThrough(),
    env: {},
    isTTY: false,
  };
  const unused = () => {
    throw new Error("completion must not start anything");
  };
  const deps: CliDeps = {
    fields: FIELDS,
    config: configLocation({ XDG_CONFIG_HOME: dir }),
    startSandbox: unused,
    renderInteractive: unused,
    promptToken: unused,
    confirm: unused,
    runSandbox: unused,
  };
  const code = await runCli(argv, io, deps, new AbortController().signal);
  return { code, out, err };
}

function requireShell(shell: string): void {
  const probe = spawnSync(shell, ["-c", "exit 0"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${shell} is required for the completion tests but could not be run (${probe.error?.message ?? `exit ${probe.status}`}). Install it (apt-get install -y ${shell}, as scripts/setup-e2e.sh does); this test fails rather than skips.`,
    );
  }
}

let bashFile: string;
const fieldFlags = FIELDS.map((f) => `--${f.flag}`);
const choiceValues = (flag: string) => {
  const field = FIELDS.find((f) => f.flag === flag);
  if (!field?.choices) throw new Error(`no choice field --${flag} in the domain's table`);
  return field.choices.map((c) => c.value).filter((v) => v !== "");
};

/** Asks the sourced bash function for completions of `words` (the last one is being completed). */
function bashComplete(words: string[], cwd = dir): string[] {
  const driver = `
source "$1"; shift
COMP_WORDS=("$@")
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
COMP_LINE="$*"
COMP_POINT=\${#COMP_LINE}
COMPREPLY=()
_intercom_kit
printf '%s\\n' "\${COMPREPLY[@]}"
echo "<end rc=$?>"`;
  const run = spawnSync("bash", ["--norc", "--noprofile", "-c", driver, "bash", bashFile, ...words], {
    cwd,
    encoding: "utf8",
  });
  expect(run.stderr).toBe("");
  // The marker proves the function ran to the end (an empty answer is otherwise indistinguishable from no run).
  expect(run.stdout).toMatch(/<end rc=0>\n$/);
  return run.stdout
    .replace(/<end rc=0>\n$/, "")
    .split("\n")
    .filter((line) => line !== "");
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ik-completion-"));
  requireShell("bash");
  const { code, out } = await cli("completion", "bash");
  expect(code).toBe(0);
  bashFile = join(dir, "intercom-kit.bash");
  await writeFile(bashFile, out);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("intercom-kit completion", () => {
  it("an unknown or missing shell is exit 2 with the shells it knows, and prints no script", async () => {
    for (const argv of [["completion", "tcsh"], ["completion"]]) {
      const { code, out, err } = await cli(...argv);
      expect(code).toBe(2);
      expect(out).toBe("");
      expect(err).toMatch(argv[1] ? /'tcsh' is invalid.*bash, zsh, fish/ : /missing required argument 'shell'/);
    }
  });

  it("is listed in --help", async () => {
    const { out } = await cli("--help");
    expect(out).toMatch(/completion <shell>/);
  });
});

describe("the bash script, in a real bash", () => {
  it("completes every flag of the field table after `intercom-kit update --`, and the run flags; no hidden ones", () => {
    const got = bashComplete(["intercom-kit", "update", "--"]);
    for (const flag of [...fieldFlags, "--dry-run", "--json", "--yes", "--region", "--base-url", "--from", "--help"])
      expect(got).toContain(flag);
    expect(got).not.toContain("--render-once");
    expect(got.every((w) => w.startsWith("--"))).toBe(true);
  });

  it("completes a prefix, and the default command's flags before any command", () => {
    expect(bashComplete(["intercom-kit", "update", "--uns"])).toEqual(["--unsubscribed"]);
    const top = bashComplete(["intercom-kit", "--"]);
    for (const flag of [...fieldFlags, "--version", "--yes"]) expect(top).toContain(flag);
  });

  it("completes the values of choice flags, from the domain's choices and commander's", () => {
    expect(bashComplete(["intercom-kit", "update", "--unsubscribed", ""]).sort()).toEqual(
      choiceValues("unsubscribed").sort(),
    );
    expect(bashComplete(["intercom-kit", "--unsubscribed", "f"])).toEqual(["false"]);
    expect(bashComplete(["intercom-kit", "update", "--region", ""]).sort()).toEqual(["au", "eu", "us"]);
    expect(bashComplete(["intercom-kit", "update", "--region", "e"])).toEqual(["eu"]);
    // "--region=e": bash hands the function "--region", "=", "e".
    expect(bashComplete(["intercom-kit", "update", "--region", "=", "e"])).toEqual(["eu"]);
    expect(bashComplete(["intercom-kit", "login", "--region", "a"])).toEqual(["au"]);
  });

  it("offers nothing for free text, file names for files, and the commands and their own flags", async () => {
    expect(bashComplete(["intercom-kit", "update", "--name", ""])).toEqual([]);
    await writeFile(join(dir, "users-for-completion.csv"), "user-id,name\n");
    expect(bashComplete(["intercom-kit", "update", "--from", "users-for"])).toEqual(["users-for-completion.csv"]);
    expect(bashComplete(["intercom-kit", ""])).toEqual(["update", "login", "logout", "sandbox", "completion", "help"]);
    expect(bashComplete(["intercom-kit", "completion", ""])).toEqual(["bash", "zsh", "fish"]);
    // A value that looks like a command is still a value.
    expect(bashComplete(["intercom-kit", "--name", "login", "--reg"])).toEqual(["--region"]);
    const sandbox = bashComplete(["intercom-kit", "sandbox", "--"]);
    expect(sandbox.sort()).toEqual(["--help", "--json", "--port", "--state"]);
  });
});

describe("the zsh and fish scripts", () => {
  it("zsh: parses (zsh -n) and registers itself with compdef after compinit", async () => {
    requireShell("zsh");
    const { code, out } = await cli("completion", "zsh");
    expect(code).toBe(0);
    const file = join(dir, "_intercom-kit");
    await writeFile(file, out);
    const parse = spawnSync("zsh", ["-n", file], { encoding: "utf8" });
    expect(parse.stderr).toBe("");
    expect(parse.status).toBe(0);
    const load = spawnSync(
      "zsh",
      [
        "-f",
        "-c",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a zsh parameter expansion, not a JS template
        'autoload -U compinit && compinit -u -D && source "$1" && print -r -- "${_comps[intercom-kit]}"',
        "zsh",
        file,
      ],
      { encoding: "utf8", env: { ...process.env, HOME: dir, ZDOTDIR: dir } },
    );
    expect(load.stderr).toBe("");
    expect(load.stdout.trim()).toBe("_intercom_kit");
    for (const flag of fieldFlags) expect(out).toContain(`${flag}`);
  });

  it("fish: parses (fish -n) and completes flags and values (complete -C)", async () => {
    requireShell("fish");
    const { code, out } = await cli("completion", "fish");
    expect(code).toBe(0);
    const file = join(dir, "intercom-kit.fish");
    await writeFile(file, out);
    const parse = spawnSync("fish", ["--no-config", "-n", file], { encoding: "utf8" });
    expect(parse.stderr).toBe("");
    expect(parse.status).toBe(0);
    const ask = (line: string) => {
      const run = spawnSync("fish", ["--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, file, line], {
        encoding: "utf8",
        env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir },
      });
      expect(run.stderr).toBe("");
      return run.stdout
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.split("\t")[0]);
    };
    const flags = ask("intercom-kit update --");
    for (const flag of [...fieldFlags, "--dry-run", "--region"]) expect(flags).toContain(flag);
    expect(ask("intercom-kit update --unsubscribed ").sort()).toEqual(choiceValues("unsubscribed").sort());
    expect(ask("intercom-kit completion ").sort()).toEqual(["bash", "fish", "zsh"]);
    expect(ask("intercom-kit sandbox --").sort()).toEqual(["--help", "--json", "--port", "--state"]);
  });
});
