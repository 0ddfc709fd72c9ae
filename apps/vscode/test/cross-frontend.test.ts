/**
 * The cross-frontend table (packages/domain/test/fixtures/cross-frontend.json, the one table every frontend reads): what a
 * person types into the VS Code steps gives the domain's input, or the domain's error text, or (for a field whose
 * step the table's rules skip) is never asked, so it cannot go wrong. Versions go through the apiVersion setting.
 */
import { readFileSync } from "node:fs";
import { FIELDS, type FieldKey, type IdentifyBy, validateUpdateUserInput } from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import { SETTING_NAMES } from "../src/config.js";
import { askedFields, checkStep, rawInputOf, type WizardState, type WizardStep } from "../src/steps.js";
import { connect } from "../src/target.js";

interface Case {
  name: string;
  values: Record<string, string>;
  apiVersion?: string;
  want: { input?: Record<string, unknown>; errors?: Array<{ field: string; message: string }>; versionError?: string };
}

const table = JSON.parse(
  readFileSync(new URL("../../../packages/domain/test/fixtures/cross-frontend.json", import.meta.url), "utf8"),
) as {
  cases: Case[];
};
const IDENTIFY: readonly string[] = ["userId", "intercomId", "lookupEmail"];

/** The steps' state after a person typed `values` into them, having chosen those fields to change. */
function stateOf(c: Case): WizardState {
  const identifyBy = Object.keys(c.values).find((k) => IDENTIFY.includes(k)) as IdentifyBy;
  const chosen = Object.keys(c.values).filter((k) => !IDENTIFY.includes(k)) as FieldKey[];
  return { identifyBy, values: c.values as WizardState["values"], chosen };
}

describe("the cross-frontend table, as the VS Code steps read it", () => {
  it("has the cases every frontend shares", () => {
    expect(table.cases.length).toBeGreaterThanOrEqual(15);
    expect(table.cases.map((c) => c.values.customAttributes).filter(Boolean)).toEqual(
      expect.arrayContaining(["note=a, b", '{"plan":"pro"}', 'plan={"a":1}']),
    );
  });

  it("the steps never ask the fields of these error cases (the table's rules skip them); the rest are checked inline", () => {
    const skippedCases = table.cases
      .filter((c) => c.want.errors)
      .filter((c) => {
        const state = stateOf(c);
        const shown = askedFields(FIELDS, state, c.apiVersion ?? "2.15");
        return (state.chosen ?? []).some((k) => !shown.includes(k));
      })
      .map((c) => c.name);
    expect(skippedCases).toEqual([
      "company name without Company ID",
      "Intercom ID of company with a company name",
      "both company ids",
      "email verified without a new email",
      "email verified on API 2.15",
    ]);
  });

  for (const c of table.cases) {
    const version = c.apiVersion ?? "2.15";
    it(c.name, async () => {
      if (c.want.versionError !== undefined) {
        // The version is a setting in VS Code; the domain's rule words the error after the setting's name.
        const chosen = await connect({ settings: { apiVersion: c.apiVersion }, slot: {}, readToken: async () => "t" });
        if (chosen.ok || chosen.reason !== "error") throw new Error(`${c.name}: expected the version to be refused`);
        expect(chosen.error.message).toBe(`${SETTING_NAMES.apiVersion}: ${c.want.versionError}`);
        return;
      }
      if (c.apiVersion !== undefined) {
        const chosen = await connect({ settings: { apiVersion: c.apiVersion }, slot: {}, readToken: async () => "t" });
        expect(chosen.ok && chosen.backend.info.apiVersion).toBe(c.apiVersion);
      }
      const state = stateOf(c);
      const raw = rawInputOf(FIELDS, state, version);
      const result = validateUpdateUserInput(raw, { apiVersion: version });
      if (c.want.input) {
        expect(result).toEqual({ ok: true, input: c.want.input });
        return;
      }
      const shown = askedFields(FIELDS, state, version);
      const skipped = (state.chosen ?? []).filter((k) => !shown.includes(k));
      for (const want of c.want.errors ?? []) {
        const field = FIELDS.find((f) => f.key === want.field);
        if (!field) throw new Error(`no field ${want.field}`);
        if (skipped.length > 0) {
          // The steps never ask a field the table's rules refuse here (it needs an empty field, is excluded by one
          // given before it, or is newer than the API version), so this input cannot be typed into them.
          const related = [want.field, ...(field.requires ?? []), ...(field.excludes ?? [])];
          expect(
            skipped.some((k) => related.includes(k)),
            `${c.name}: skipped ${skipped.join(", ")}`,
          ).toBe(true);
          expect(Object.keys(raw).some((k) => skipped.includes(k as FieldKey))).toBe(false);
          continue;
        }
        const step: WizardStep = { kind: "text", id: field.key, field, required: IDENTIFY.includes(field.key) };
        // Inline, in the box: the domain's words for this field, as its field error lines say them.
        expect(checkStep(FIELDS, state, step, c.values[want.field] ?? "", validateUpdateUserInput, version)).toBe(
          `${field.label}: ${want.message}`,
        );
        expect(!result.ok && result.errors).toContainEqual({
          field: want.field,
          label: field.label,
          message: want.message,
        });
      }
    });
  }
});
