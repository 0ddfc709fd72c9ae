/**
 * Adding a field Intercom's PUT /contacts takes as it is needs one row in FIELDS: this adds one to a copy of the
 * table and shows validation, the plan's body and the diff pick it up with no other change.
 */
import type { Contact } from "@intercom-kit/core";
import { describe, expect, it } from "vitest";
import { FIELDS, fieldApplies, fieldByFlag, labelOf } from "../src/fields.js";
import { contactBody, planUpdate } from "../src/plan.js";
import type { FieldKey, FieldSpec } from "../src/types.js";
import { validateUpdateUserInput } from "../src/validate.js";

const language: FieldSpec = {
  key: "languageOverride" as FieldKey,
  label: "Language",
  hint: "The language Intercom uses with the user.",
  kind: "text",
  group: "account",
  flag: "language",
  rules: ["a language code such as fr"],
  example: "fr",
  contactProperty: "language_override",
};
const fields: readonly FieldSpec[] = [...FIELDS, language];

describe("a field added to the table", () => {
  it("is validated by its kind, named by its label and found by its flag", () => {
    expect(validateUpdateUserInput({ userId: "25", languageOverride: " fr " }, { fields })).toEqual({
      ok: true,
      input: { userId: "25", languageOverride: "fr" },
    });
    const bad = validateUpdateUserInput({ userId: "25", languageOverride: { no: 1 } }, { fields });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors).toEqual([
        { field: "languageOverride", label: "Language", message: "must be text, not an object" },
      ]);
    expect(labelOf("languageOverride" as FieldKey, fields)).toBe("Language");
    expect(fieldByFlag("--language", fields)?.key).toBe("languageOverride");
    expect(fieldApplies(language, new Set<FieldKey>(["userId"]))).toBe(true);
  });

  it("counts as a change on its own", () => {
    expect(validateUpdateUserInput({ userId: "25" }, { fields }).ok).toBe(false);
    expect(validateUpdateUserInput({ userId: "25", languageOverride: "fr" }, { fields }).ok).toBe(true);
  });

  it("goes into the PUT body, only when it differs", () => {
    const input = { userId: "25", languageOverride: "fr" } as never;
    const plan = planUpdate(input, { fields });
    expect(plan.calls.find((c) => c.kind === "update")?.body).toEqual({ language_override: "fr" });
    const same = { id: "c1", language_override: "fr" } as unknown as Contact;
    expect(contactBody(input, { contact: same, apiVersion: "2.15", fields })).toEqual({});
    const other = { id: "c1", language_override: "de" } as unknown as Contact;
    expect(contactBody(input, { contact: other, apiVersion: "2.15", fields })).toEqual({ language_override: "fr" });
  });

  it("is unknown to the real table (the copy did not leak)", () => {
    expect(validateUpdateUserInput({ userId: "25", languageOverride: "fr" }).ok).toBe(false);
  });
});
