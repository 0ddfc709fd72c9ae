/**
 * Hints name only flags that exist: every `--flag` in the app's own strings and in the domain's sentences (hints,
 * messages, setting names it prints for the terminal) is a flag some intercom-kit command accepts.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { CLI_SETTING_NAMES, configLocation, FIELDS } from "@intercom-kit/domain";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import type { CliDeps, CliIo } from "../../src/commands/context.js";
import { buildProgram } from "../../src/program.js";

const APP_SRC = fileURLToPath(new URL("../../src/", import.meta.url));
const DOMAIN_SRC = fileURLToPath(new URL("../../../../packages/domain/src/", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Flag mentions in string literals and comments that reach people (code comments included: they are docs too). */
function flagsIn(text: string): string[] {
  return [...text.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => `--${m[1]}`);
}

function accepted(): Set<string> {
  const io: CliIo = {
    stdout: { write: () => true },
    stderr: { write: () => true },
    stdin: new PassThrough(),
    env: {},
    isTTY: false,
  };
  const deps = { fields: FIELDS, config: configLocation({}) } as unknown as CliDeps;
  const program = buildProgram(io, deps, new AbortController().signal, () => {});
  const all = new Set<string>(["--help", "--version"]);
  const walk = (command: Command) => {
    for (const option of command.options) if (option.long) all.add(option.long);
    for (const sub of command.commands) walk(sub);
  };
  walk(program);
  return all;
}

const FLAGS = accepted();
/** Flags of other tools, named where we tell people how to run those, and the placeholder `--flag` in comments. */
const OTHER_TOOLS = new Set(["--filter", "--flag"]);

describe("every --flag a person is told about exists", () => {
  it("the domain's terminal setting names are flags of this CLI", () => {
    for (const name of Object.values(CLI_SETTING_NAMES)) {
      for (const flag of flagsIn(name)) expect(FLAGS, name).toContain(flag);
    }
  });

  it.each([
    ...sources(APP_SRC).map((p) => [`app: ${relative(APP_SRC, p)}`, p]),
    ...sources(DOMAIN_SRC).map((p) => [`domain: ${relative(DOMAIN_SRC, p)}`, p]),
  ])("%s", (_name, path) => {
    const unknown = flagsIn(readFileSync(path, "utf8")).filter((f) => !FLAGS.has(f) && !OTHER_TOOLS.has(f));
    expect(unknown).toEqual([]);
  });
});
