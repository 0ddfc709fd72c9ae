import type { FieldKey, FieldSpec, IdentifyBy, RawUpdateUserInput } from "@intercom-kit/domain";

/** What the form holds: the text of every field, keyed by input key, exactly as typed ("true" for a ticked flag). */
export type FormValues = Partial<Record<FieldKey, string>>;

/**
 * The raw input for validation: only the chosen identifier, and only fields with text (empty means unchanged). The
 * text goes to the domain as typed: attribute text is read by its one parser, tag names split by its rule, so the form
 * cannot read `note=a, b` differently from a flag or a bulk cell.
 */
export function formToRawInput(
  fields: readonly FieldSpec[],
  identifyBy: IdentifyBy,
  values: FormValues,
): RawUpdateUserInput {
  const raw: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.group === "identify" && field.key !== identifyBy) continue;
    const text = values[field.key];
    if (text === undefined || text.trim() === "") continue;
    raw[field.key] = text;
  }
  return raw as RawUpdateUserInput;
}

/** The keys the form has text for (what `fieldApplies` asks about). */
export function givenKeys(fields: readonly FieldSpec[], identifyBy: IdentifyBy, values: FormValues): Set<FieldKey> {
  return new Set(Object.keys(formToRawInput(fields, identifyBy, values)) as FieldKey[]);
}
