import type { FieldSpec, IdentifyBy, RawUpdateUserInput, UpdateUserInput } from "@intercom-kit/domain";

/** What the form holds: the text of every field, keyed by input key, exactly as typed. */
export type FormValues = Partial<Record<keyof UpdateUserInput, string>>;

/**
 * Splits the form's one-line attribute text (`plan=pro, seats=3`) into `name=value` pairs.
 * Commas inside quotes stay in the value, so `note="a, b"` is one pair.
 */
export function splitAttributeText(text: string): string[] {
  const pairs: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === "," || ch === "\n") {
      if (current.trim() !== "") pairs.push(current.trim());
      current = "";
    } else {
      current += ch;
    }
  }
  if (current.trim() !== "") pairs.push(current.trim());
  return pairs;
}

/**
 * The raw input for validation: only the chosen identifier, and only fields with text (empty means unchanged).
 * Validation and normalisation stay in the domain.
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
    raw[field.key] = field.kind === "attributes" ? splitAttributeText(text) : text;
  }
  return raw as RawUpdateUserInput;
}
