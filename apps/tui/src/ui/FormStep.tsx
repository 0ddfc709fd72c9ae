import {
  FIELD_GROUPS,
  type FieldError,
  type FieldGroup,
  type FieldKey,
  type FieldSpec,
  fieldApplies,
  type IdentifyBy,
  type RawUpdateUserInput,
  type UpdateUserInput,
  type ValidationResult,
} from "@intercom-kit/domain";
import type { Key } from "ink";
import { useContext, useMemo, useRef, useState } from "react";
import { type FormValues, formToRawInput, givenKeys } from "../services/form-input.js";
import { useHoldKeys, useKeys } from "./keys.js";
import { editLine } from "./line-edit.js";
import { type Line, Screen, ScreenContext } from "./screen.js";
import { useTerminalSize } from "./use-terminal-size.js";
import type { Segment } from "./wrap-segments.js";

export interface FormStepProps {
  /** The domain's whole field table; the form is generated from it. */
  fields: readonly FieldSpec[];
  identifyBy: IdentifyBy;
  /** The Intercom-Version in use: fields newer than it are not asked. */
  apiVersion: string;
  /** The groups the person chose to change. */
  groups: ReadonlySet<FieldGroup>;
  values: FormValues;
  onChange: (values: FormValues) => void;
  validate: (raw: RawUpdateUserInput) => ValidationResult;
  onSubmit: (input: UpdateUserInput) => void;
  onBack: () => void;
  /** Problems the pre-flight found (an unknown attribute, a taken email), shown until that field is edited. */
  marks?: readonly FieldError[];
  /** The field to focus first (e.g. the one a problem named, or the one focused before the review). */
  initialFocus?: FieldKey | "submit";
  /** Told where the focus is, so coming back from the review returns to it. */
  onFocus?: (focus: FieldKey | "submit") => void;
}

type Focus = FieldKey | "submit";

/**
 * The rows of the form: the chosen identifier, then the fields of the chosen groups that apply to what is given so far
 * (the domain's `fieldApplies`: Company name once there is a Company ID, Restore from archive with an Intercom ID,
 * Email verified with a new email on API 2.16).
 * A field that holds text is always shown, so nothing is sent that is not on screen.
 */
export function formRows(
  fields: readonly FieldSpec[],
  identifyBy: IdentifyBy,
  groups: ReadonlySet<FieldGroup>,
  values: FormValues,
  apiVersion?: string,
): FieldSpec[] {
  const given = givenKeys(fields, identifyBy, values);
  const identify = fields.find((f) => f.key === identifyBy);
  const hasText = (f: FieldSpec) => (values[f.key] ?? "").trim() !== "";
  const rest = fields.filter(
    (f) =>
      f.group !== "identify" &&
      f.kind !== "hidden" &&
      ((groups.has(f.group) && fieldApplies(f, given, apiVersion ? { apiVersion } : {})) || hasText(f)),
  );
  // In the order the groups are offered, then the table's order within a group.
  const order = (g: FieldGroup) => FIELD_GROUPS.findIndex((x) => x.group === g);
  rest.sort((a, b) => order(a.group) - order(b.group));
  return [...(identify ? [identify] : []), ...rest];
}

const TOGGLES: ReadonlySet<FieldSpec["kind"]> = new Set(["choice", "flag"]);

/** The values a choice or flag field cycles through, with what each shows. */
function cycle(field: FieldSpec): Array<{ value: string; label: string }> {
  if (field.kind === "flag") {
    return [
      { value: "", label: "[ ] no" },
      { value: "true", label: "[x] yes" },
    ];
  }
  return field.choices ?? [];
}

export function FormStep({
  fields,
  identifyBy,
  apiVersion,
  groups,
  values,
  onChange,
  validate,
  onSubmit,
  onBack,
  marks = [],
  initialFocus,
  onFocus,
}: FormStepProps) {
  const { columns } = useTerminalSize();
  const { noColor } = useContext(ScreenContext);
  const hold = useHoldKeys();
  // Keys can arrive several per chunk (fast typing, paste, tmux); refs see each key's effect before React re-renders.
  const valuesRef = useRef(values);
  const [shownValues, setShownValues] = useState(values);
  const rows = useMemo(
    () => formRows(fields, identifyBy, groups, shownValues),
    [fields, identifyBy, groups, shownValues],
  );
  const focusRef = useRef<Focus>(
    initialFocus && rows.some((r) => r.key === initialFocus) ? initialFocus : (rows[0]?.key ?? "submit"),
  );
  const [focus, setFocusState] = useState<Focus>(focusRef.current);
  const cursors = useRef<Partial<Record<string, number>>>({});
  const [, setTick] = useState(0);
  const [touched, setTouched] = useState<ReadonlySet<string>>(
    () => new Set(Object.keys(values).filter((k) => (values[k as FieldKey] ?? "") !== "")),
  );
  const [submitted, setSubmitted] = useState(false);
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());

  const result = useMemo(
    () => validate(formToRawInput(fields, identifyBy, shownValues)),
    [validate, fields, identifyBy, shownValues],
  );
  const errors = result.ok ? [] : result.errors;
  const messagesOf = (key: FieldKey): string[] => [
    ...errors.filter((e) => e.field === key && (submitted || touched.has(key))).map((e) => e.message),
    ...marks.filter((e) => e.field === key && !edited.has(key)).map((e) => e.message),
  ];
  const inputErrors = submitted ? errors.filter((e) => e.field === "input") : [];

  const setFocus = (next: Focus) => {
    focusRef.current = next;
    setFocusState(next);
    onFocus?.(next);
  };
  const order = (): Focus[] => [
    ...formRows(fields, identifyBy, groups, valuesRef.current, apiVersion).map((r) => r.key),
    "submit",
  ];
  const move = (delta: number) => {
    const list = order();
    const leaving = focusRef.current;
    if (leaving !== "submit") setTouched((t) => (t.has(leaving) ? t : new Set([...t, leaving])));
    const at = Math.max(0, list.indexOf(leaving));
    setFocus(list[(at + delta + list.length) % list.length] as Focus);
  };
  const setValue = (key: FieldKey, text: string) => {
    setTouched((t) => (t.has(key) ? t : new Set([...t, key])));
    setEdited((s) => (s.has(key) ? s : new Set([...s, key])));
    valuesRef.current = { ...valuesRef.current, [key]: text };
    setShownValues(valuesRef.current);
    onChange(valuesRef.current);
  };
  const submit = () => {
    setSubmitted(true);
    // Validate what was typed up to this key, not the last render's values.
    const now = validate(formToRawInput(fields, identifyBy, valuesRef.current));
    if (now.ok) {
      hold();
      onSubmit(now.input);
      return;
    }
    const first = order().find((k) => now.errors.some((e) => e.field === k));
    if (first) setFocus(first);
  };

  const handleKey = (input: string, key: Key) => {
    if (key.escape) {
      hold();
      onBack();
      return;
    }
    if (key.tab && key.shift) move(-1);
    else if (key.tab || key.downArrow) move(1);
    else if (key.upArrow) move(-1);
    else if (key.return) {
      if (focusRef.current === "submit") submit();
      else move(1);
    } else if (key.ctrl && input === "s") submit();
    else {
      const focused = focusRef.current;
      const field = fields.find((f) => f.key === focused);
      if (!field) return;
      const current = valuesRef.current[field.key] ?? "";
      if (TOGGLES.has(field.kind)) {
        if (!(key.leftArrow || key.rightArrow || input === " ")) return;
        const options = cycle(field);
        if (options.length === 0) return;
        const at = Math.max(
          0,
          options.findIndex((o) => o.value === current),
        );
        const next = options[(at + (key.leftArrow ? -1 : 1) + options.length) % options.length];
        if (next) setValue(field.key, next.value);
        return;
      }
      const cursor = Math.min(cursors.current[field.key] ?? current.length, current.length);
      const changed = editLine({ text: current, cursor }, input, key);
      if (!changed) return;
      cursors.current[field.key] = changed.cursor;
      if (changed.text !== current) setValue(field.key, changed.text);
      setTick((t) => t + 1); // the cursor moved
    }
  };
  useKeys(handleKey);

  const labelWidth = Math.min(26, Math.max(...rows.map((r) => r.label.length)) + 2);
  const valueWidth = Math.max(8, columns - 2 - labelWidth - 1);
  const body: Line[] = [];
  let followLine = 0;
  let lastGroup: FieldGroup | null = null;
  for (const field of rows) {
    if (field.group !== lastGroup) {
      const title = FIELD_GROUPS.find((g) => g.group === field.group)?.label ?? field.group;
      body.push([
        { text: field.group === "identify" ? title : `${title} (empty = unchanged)`, bold: true, underline: true },
      ]);
      lastGroup = field.group;
    }
    const isFocused = focus === field.key;
    if (isFocused) followLine = body.length;
    const messages = messagesOf(field.key);
    const value = shownValues[field.key] ?? "";
    body.push([
      { text: isFocused ? "❯ " : "  ", color: "cyan" },
      {
        text: field.label.padEnd(labelWidth),
        ...(messages.length > 0 ? { color: "red" } : isFocused ? { color: "cyan" } : {}),
      },
      ...valueSegments(field, value, isFocused, cursors.current[field.key] ?? value.length, valueWidth, noColor),
    ]);
    for (const m of messages) body.push([{ text: `    ✗ ${field.label} ${m}`, color: "red" }]);
  }
  if (focus === "submit") followLine = body.length;
  body.push([
    { text: focus === "submit" ? "❯ " : "  ", color: "cyan" },
    { text: "[ Review changes ]", bold: focus === "submit", ...(focus === "submit" ? { color: "cyan" } : {}) },
  ]);
  for (const e of inputErrors) body.push([{ text: `  ✗ ${e.message}`, color: "red" }]);

  const focusedField = rows.find((r) => r.key === focus);
  const hint = focusedField
    ? `${focusedField.hint}${focusedField.rules.length > 0 ? ` (${focusedField.rules.join("; ")})` : ""}`
    : "Enter: look the user up and check everything, before anything is written.";
  const toggles = focusedField !== undefined && TOGGLES.has(focusedField.kind);
  return (
    <Screen
      body={body}
      follow={followLine}
      status={[[{ text: hint, dim: true }]]}
      keys={[
        ["Tab/↑↓", "move"],
        ...(toggles ? ([["←→/Space", "choose"]] as const) : []),
        ["Enter", focus === "submit" ? "check" : "next"],
        ["Ctrl-S", "check"],
        ["Esc", "back"],
      ]}
    />
  );
}

/** A field's value as styled runs: the choice, or the text with a cursor, scrolled sideways to fit `width`. */
function valueSegments(
  field: FieldSpec,
  value: string,
  focused: boolean,
  cursorAt: number,
  width: number,
  noColor: boolean,
): Segment[] {
  const style = focused ? { color: "cyan" } : {};
  if (TOGGLES.has(field.kind)) {
    const shown = cycle(field).find((o) => o.value === value)?.label ?? value;
    return [{ text: focused ? `‹ ${shown} ›` : shown, ...style }];
  }
  if (!focused) return [{ text: value }];
  // Without colours an inverse cell is invisible, so the cursor is a character of its own.
  const cursorCell = (char: string): Segment[] =>
    noColor ? [{ text: "▌" }, ...(char === " " ? [] : [{ text: char }])] : [{ text: char, inverse: true }];
  if (value === "") {
    return [...cursorCell(" "), { text: field.example ? `e.g. ${field.example}` : "", dim: true }];
  }
  const cursor = Math.min(cursorAt, value.length);
  // Keep the cursor in view: show the end of a long value while typing at its end.
  const room = Math.max(4, width - 2);
  const start = cursor >= room ? cursor - room + 1 : 0;
  const visible = value.slice(start, start + room);
  const at = cursor - start;
  return [
    ...(start > 0 ? [{ text: "…", dim: true }] : []),
    { text: visible.slice(0, at) },
    ...cursorCell(visible[at] ?? " "),
    { text: visible.slice(at + 1) },
  ];
}
