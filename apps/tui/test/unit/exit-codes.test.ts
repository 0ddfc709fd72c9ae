import type { ErrorKind } from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import { EXIT_CODES_HELP, exitCodeFor } from "../../src/services/exit-codes.js";

const TABLE: Array<[ErrorKind, number]> = [
  ["invalid_input", 2],
  ["conflict", 2],
  ["not_found", 3],
  ["ambiguous", 3],
  ["unauthorized", 4],
  ["forbidden", 4],
  ["rate_limited", 5],
  ["intercom_error", 5],
  ["network", 5],
  ["timeout", 5],
  ["partial", 6],
  ["unknown", 7],
  ["stale", 1],
  ["aborted", 130],
];

describe("exit codes", () => {
  it.each(TABLE)("%s -> %i", (kind, code) => {
    expect(exitCodeFor(kind)).toBe(code);
  });

  it("maps an unknown kind to 1", () => {
    expect(exitCodeFor("something_new")).toBe(1);
  });

  it("covers every error kind the domain has (a new kind fails here until it has a code)", () => {
    expect(TABLE.map(([kind]) => kind).sort()).toEqual(
      [
        "invalid_input",
        "conflict",
        "not_found",
        "ambiguous",
        "unauthorized",
        "forbidden",
        "rate_limited",
        "intercom_error",
        "network",
        "timeout",
        "partial",
        "unknown",
        "stale",
        "aborted",
      ].sort(),
    );
  });

  it("documents every code it can return", () => {
    for (const code of new Set([0, 1, 130, ...TABLE.map(([, c]) => c)])) {
      expect(EXIT_CODES_HELP).toMatch(new RegExp(`^\\s*${code}\\s`, "m"));
    }
  });
});
