import type { FieldSpec, RawUpdateUserInput, UpdateUserInput } from "@intercom-kit/domain";
import { type Command, Option } from "commander";

function valueName(field: FieldSpec): string {
  switch (field.kind) {
    case "choice": {
      const values = (field.choices ?? []).map((c) => c.value).filter((v) => v !== "");
      return values.length > 0 ? values.join("|") : "value";
    }
    case "attributes":
      return "name=value";
    case "email":
      return "email";
    case "number":
      return "number";
    default:
      return field.key.toLowerCase().endsWith("id") ? "id" : "text";
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The commander option for one row of the field table: flag, value name and help text all come from the row. */
export function fieldOption(field: FieldSpec): Option {
  const repeat = field.kind === "attributes" ? " Repeatable." : "";
  // Quote an example only when a shell would need it.
  const shown = field.example && /[\s"'$&|;<>*?]/.test(field.example) ? JSON.stringify(field.example) : field.example;
  const example = field.example ? ` (e.g. --${field.flag} ${shown})` : "";
  const option = new Option(
    `--${field.flag} <${valueName(field)}>`,
    `${field.label}: ${field.hint}${repeat}${example}`,
  );
  if (field.kind === "attributes") option.argParser(collect);
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

/** The raw domain input from parsed options; only flags that were given. */
export function optionsToRawInput(fields: readonly FieldSpec[], options: Record<string, unknown>): RawUpdateUserInput {
  const raw: Record<string, unknown> = {};
  for (const field of fields) {
    const value = options[optionAttribute(field)];
    if (value !== undefined) raw[field.key] = value;
  }
  return raw as RawUpdateUserInput;
}

/** `--flag` names of the given keys, for messages a shell user can act on. */
export function flagOf(fields: readonly FieldSpec[], key: keyof UpdateUserInput | "input"): string | null {
  const field = fields.find((f) => f.key === key);
  return field ? `--${field.flag}` : null;
}
