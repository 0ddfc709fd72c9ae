/** The README's flag table and exit codes are checked against the program, so they cannot drift from it. */
import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { configLocation, FIELDS } from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import type { CliDeps, CliIo } from "../../src/commands/context.js";
import { buildProgram } from "../../src/program.js";
import { EXIT } from "../../src/services/exit-codes.js";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

function updateCommand() {
  const io: CliIo = {
    stdout: { write: () => true },
    stderr: { write: () => true },
    stdin: new PassThrough(),
    env: {},
    isTTY: false,
  };
  const deps = { fields: FIELDS, config: configLocation({}) } as unknown as CliDeps;
  const program = buildProgram(io, deps, new AbortController().signal, () => {});
  const update = program.commands.find((c) => c.name() === "update");
  if (!update) throw new Error("no update command");
  return update;
}

describe("README", () => {
  it("its flag table lists every flag of `update`, and no flag `update` does not have", () => {
    const table = README.slice(README.search(/^\| flag\s+\| meaning\s+\|/m), README.indexOf("### Exit codes"));
    expect(table.length).toBeGreaterThan(100);
    const inTable = new Set([...table.matchAll(/`(?:-y, )?(--[a-z][a-z-]*)/g)].map((m) => m[1] as string));
    for (const cell of table.matchAll(/`(--[a-z][a-z-]*)[^`]*`,\s*`(--[a-z][a-z-]*)/g)) inTable.add(cell[2] as string);
    const options = updateCommand()
      .options.filter((o) => !o.hidden && o.long)
      .map((o) => o.long as string);
    expect([...inTable].filter((f) => f.startsWith("--") && !options.includes(f))).toEqual([]);
    expect(
      options.filter((o) => !table.includes(`\`${o}`) && !table.includes(` ${o}`) && !table.includes(`, ${o}`)),
    ).toEqual([]);
  });

  it("its exit-code table has every code the app returns", () => {
    const table = README.slice(README.indexOf("### Exit codes"), README.indexOf("## Other commands"));
    for (const code of Object.values(EXIT)) expect(table).toMatch(new RegExp(`^\\| ${code}\\s+\\|`, "m"));
  });
});
