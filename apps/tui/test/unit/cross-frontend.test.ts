/**
 * One table of inputs (packages/domain/test/fixtures/cross-frontend.json, read by every frontend's tests) through the terminal
 * form's path, the CLI flags and a bulk cell: each gives the same input or the same error text, because each hands the
 * text to the domain as typed.
 */
import { readFileSync } from "node:fs";
import {
  CLI_SETTING_NAMES,
  chooseBackend,
  DEFAULT_API_VERSION,
  FIELDS,
  type FieldError,
  type FieldKey,
  fieldByKey,
  type ValidationResult,
  validateUpdateUserInput,
} from "@intercom-kit/domain";
import { parseBulkInput, validateRows } from "@intercom-kit/domain/bulk";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { addFieldOptions, optionsToRawInput } from "../../src/commands/field-options.js";
import { backendRequest } from "../../src/services/backend.js";
import { formToRawInput } from "../../src/services/form-input.js";

interface Case {
  name: string;
  values: Partial<Record<FieldKey, string>>;
  flags: string[];
  apiVersion?: string;
  want: { input?: Record<string, unknown>; errors?: Array<{ field: string; message: string }>; versionError?: string };
}

const table = JSON.parse(
  readFileSync(new URL("../../../../packages/domain/test/fixtures/cross-frontend.json", import.meta.url), "utf8"),
) as {
  cases: Case[];
};

type Outcome = { input: unknown } | { errors: Array<{ field: string; message: string }> };
const outcome = (r: ValidationResult | { ok: false; errors: FieldError[] }): Outcome =>
  r.ok ? { input: r.input } : { errors: r.errors.map((e) => ({ field: e.field, message: e.message })) };

/** The terminal form: the typed text of each field, identified by the field that was chosen. */
function viaForm(c: Case, apiVersion: string): Outcome {
  const identifyBy = FIELDS.find((f) => f.group === "identify" && c.values[f.key] !== undefined)?.key ?? "userId";
  return outcome(validateUpdateUserInput(formToRawInput(FIELDS, identifyBy as "userId", c.values), { apiVersion }));
}

/** The command line: the flags as the shell hands them over. */
function viaFlags(c: Case, apiVersion: string): Outcome {
  const command = addFieldOptions(new Command("t").exitOverride(), FIELDS);
  command.parse(c.flags, { from: "user" });
  return outcome(validateUpdateUserInput(optionsToRawInput(FIELDS, command.opts()), { apiVersion }));
}

/** A bulk file: one CSV row, a column per field (its flag; `attr` for the attribute text). */
function viaBulkCell(c: Case, apiVersion: string): Outcome {
  const keys = Object.keys(c.values) as FieldKey[];
  const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const csv = `${keys.map((k) => fieldByKey(k)?.flag).join(",")}\n${keys.map((k) => quote(c.values[k] ?? "")).join(",")}\n`;
  const parsed = parseBulkInput(csv, { format: "csv" });
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join("; "));
  const row = parsed.rows[0];
  if (!row) throw new Error("no row");
  const { valid, invalid } = validateRows([row]);
  if (invalid[0]) return outcome({ ok: false, errors: invalid[0].errors });
  // Bulk rows are validated without the API version; the run's prepare checks it, so check it the same way here.
  return outcome(validateUpdateUserInput(valid[0]?.input, { apiVersion }));
}

describe("one table of inputs, the same answer through every terminal path", () => {
  it.each(table.cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const requested = c.apiVersion ?? DEFAULT_API_VERSION;
    // The version comes from --api-version in every terminal path (form, flags, bulk), through the domain's check.
    const chosen = await chooseBackend(backendRequest({ apiVersion: requested, sandbox: true }), {
      tokenSources: [],
      startSandbox: () => Promise.reject(new Error("not started")),
      names: CLI_SETTING_NAMES,
    });
    if (c.want.versionError !== undefined) {
      expect(chosen.ok).toBe(false);
      if (!chosen.ok) expect(chosen.error.message).toBe(`${CLI_SETTING_NAMES.apiVersion}: ${c.want.versionError}`);
      return;
    }
    expect(chosen.ok).toBe(true);
    if (!chosen.ok) return;
    const apiVersion = chosen.choice.info.apiVersion;
    const form = viaForm(c, apiVersion);
    expect(viaFlags(c, apiVersion)).toEqual(form);
    expect(viaBulkCell(c, apiVersion)).toEqual(form);
    expect(form).toEqual(c.want.input ? { input: c.want.input } : { errors: c.want.errors });
  });
});
