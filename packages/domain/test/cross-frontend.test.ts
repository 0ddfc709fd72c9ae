/**
 * The cross-frontend table (fixtures/cross-frontend.json): the domain's own answer for every row. The terminal's form,
 * flags and bulk cells, the VS Code steps and the agent server's tools are tested against the same rows, so no two
 * frontends can read the same input differently.
 */
import { readFileSync } from "node:fs";
import { checkApiVersion, DEFAULT_API_VERSION } from "@intercom-kit/core";
import { describe, expect, it } from "vitest";
import { validateUpdateUserInput } from "../src/index.js";

interface Case {
  name: string;
  values: Record<string, string>;
  apiVersion?: string;
  want: { input?: Record<string, unknown>; errors?: Array<{ field: string; message: string }>; versionError?: string };
}

const table = JSON.parse(readFileSync(new URL("./fixtures/cross-frontend.json", import.meta.url), "utf8")) as {
  cases: Case[];
};

describe("the cross-frontend table is the domain's own answer", () => {
  it("has rows of each kind", () => {
    expect(table.cases.some((c) => c.want.input)).toBe(true);
    expect(table.cases.some((c) => c.want.errors)).toBe(true);
    expect(table.cases.some((c) => c.want.versionError)).toBe(true);
  });

  it.each(table.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const version = checkApiVersion(c.apiVersion ?? DEFAULT_API_VERSION);
    if (c.want.versionError !== undefined) {
      expect(version).toEqual({ ok: false, message: c.want.versionError });
      return;
    }
    if (!version.ok) throw new Error(version.message);
    const result = validateUpdateUserInput(c.values, { apiVersion: version.version });
    if (c.want.input) expect(result).toEqual({ ok: true, input: c.want.input });
    else
      expect(result.ok ? [] : result.errors.map((e) => ({ field: e.field, message: e.message }))).toEqual(
        c.want.errors,
      );
  });
});
