import type { FieldKey, FieldSpec, RawUpdateUserInput } from "@intercom-kit/domain";
import { type Command, Option } from "commander";

/** The placeholder after a flag in `--help`, from the field's kind. */
function valueName(field: FieldSpec): string {
  switch (field.kind) {
    case "choice": {
      const values = (field.choices ?? []).map((c) => c.value).filter((v) => v !== "");
      return values.length > 0 ? values.join("|") : "value";
    }
    case "attributes":
      return "name=value";
    case "names":
      return "name";
    case "email":
      return "email";
    case "number":
      return "number";
    case "url":
      return "url";
    case "time":
      return "time";
    default:
      return field.key.toLowerCase().endsWith("id") ? "id" : "text";
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * The commander option for one row of the field table: flag, value name and help text all come from the row, and its
 * kind decides the shape: a "flag" is a switch (`--archive`), a repeatable field collects every use (`--tag A --tag B`),
 * everything else takes one text value the domain reads.
 */
export function fieldOption(field: FieldSpec): Option {
  if (field.kind === "flag") return new Option(`--${field.flag}`, `${field.label}: ${field.hint}`);
  const repeat = field.repeatable ? " Repeatable." : "";
  // Quote an example only when a shell would need it.
  const shown = field.example && /[\s"'$&|;<>*?]/.test(field.example) ? JSON.stringify(field.example) : field.example;
  const example = field.example ? ` (e.g. --${field.flag} ${shown})` : "";
  const option = new Option(
    `--${field.flag} <${valueName(field)}>`,
    `${field.label}: ${field.hint}${repeat}${example}`,
  );
  if (field.repeatable) option.argParser(collect);
  return option;
}

/** Adds one option per field, in the table's order. */
export function addFieldOptions(command: Command, fields: readonly FieldSpec[]): Command {
  for (const field of fields) command.addOption(fieldOption(field));
  return command;
}

/** The commander attribute name of a field's option (e.g. "new-email" -> "newEmail"). */
export function optionAttribute(field: FieldSpec): string {
  return fieldOption(field).attributeName();
}

/** The raw domain input from parsed options; only flags that were given. The domain validates and parses it. */
export function optionsToRawInput(fields: readonly FieldSpec[], options: Record<string, unknown>): RawUpdateUserInput {
  const raw: Record<string, unknown> = {};
  for (const field of fields) {
    const value = options[optionAttribute(field)];
    if (value !== undefined) raw[field.key] = value;
  }
  return raw as RawUpdateUserInput;
}

/** The command-line flag of a key, for messages a shell user can act on. */
export function flagOf(fields: readonly FieldSpec[], key: FieldKey | "input"): string | null {
  const field = fields.find((f) => f.key === key);
  return field ? `--${field.flag}` : null;
}
