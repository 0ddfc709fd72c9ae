import type {
  FieldError,
  FieldSpec,
  IdentifyBy,
  RawUpdateUserInput,
  UpdateUserInput,
  ValidationResult,
} from "@intercom-kit/domain";
import { Box, type Key, Text, useInput, useStdout } from "ink";
import { useMemo, useRef, useState } from "react";
import { type FormValues, formToRawInput } from "../services/form-input.js";
import { Footer } from "./Footer.js";
import { editLine, splitKeys } from "./line-edit.js";

export interface FormStepProps {
  /** The domain's whole field table; the form is generated from it. */
  fields: readonly FieldSpec[];
  identifyBy: IdentifyBy;
  values: FormValues;
  onChange: (values: FormValues) => void;
  validate: (raw: RawUpdateUserInput) => ValidationResult;
  onSubmit: (input: UpdateUserInput) => void;
  onBack: () => void;
  /** Errors from a failed attempt (e.g. Intercom rejected the email), shown until that field is edited. */
  serverErrors?: readonly FieldError[];
  /** The field to focus first (e.g. the one an error named). */
  initialFocus?: keyof UpdateUserInput;
}

const LABEL_WIDTH = 26;

/** The rows of the form: the chosen identifier first, then every change field, in the table's order. */
export function formRows(fields: readonly FieldSpec[], identifyBy: IdentifyBy): FieldSpec[] {
  const identify = fields.find((f) => f.key === identifyBy);
  return [
    ...(identify ? [identify] : []),
    ...fields.filter((f) => f.group === "user"),
    ...fields.filter((f) => f.group === "company"),
  ];
}

function choiceIndex(field: FieldSpec, value: string | undefined): number {
  const choices = field.choices ?? [];
  const at = choices.findIndex((c) => c.value === (value ?? ""));
  return Math.max(at, 0);
}

const GROUP_TITLES: Record<FieldSpec["group"], string> = {
  identify: "Find the user",
  user: "Change the user (empty = leave unchanged)",
  company: "Company (optional)",
};

export function FormStep({
  fields,
  identifyBy,
  values,
  onChange,
  validate,
  onSubmit,
  onBack,
  serverErrors = [],
  initialFocus,
}: FormStepProps) {
  const rows = useMemo(() => formRows(fields, identifyBy), [fields, identifyBy]);
  const submitIndex = rows.length;
  // On a short terminal (24 rows is common) drop the spacing so an error line does not push the form off screen.
  const { stdout } = useStdout();
  const compact = (stdout?.rows ?? 24) < 30;
  const [, setCursorTick] = useState(0);
  const [focus, setFocusState] = useState(() => {
    const at = initialFocus ? rows.findIndex((r) => r.key === initialFocus) : -1;
    return Math.max(at, 0);
  });
  // Keys can arrive several per chunk (fast typing, paste, tmux); refs see each key's effect before React re-renders.
  const focusRef = useRef(focus);
  // The form owns its values while mounted (the App only stores them), so the ref never goes stale.
  const valuesRef = useRef(values);
  const cursors = useRef<Partial<Record<string, number>>>({});
  const [touched, setTouched] = useState<ReadonlySet<string>>(
    () => new Set(Object.keys(values).filter((k) => (values[k as keyof FormValues] ?? "") !== "")),
  );
  const [submitted, setSubmitted] = useState(false);
  const [editedSinceServer, setEditedSinceServer] = useState<ReadonlySet<string>>(new Set());

  const result = useMemo(
    () => validate(formToRawInput(fields, identifyBy, values)),
    [validate, fields, identifyBy, values],
  );
  const errors = result.ok ? [] : result.errors;
  const visible = (key: string) => submitted || touched.has(key);
  const fieldErrors = (key: string): string[] => [
    ...errors.filter((e) => e.field === key && visible(key)).map((e) => e.message),
    ...serverErrors.filter((e) => e.field === key && !editedSinceServer.has(key)).map((e) => e.message),
  ];
  const inputErrors = submitted ? errors.filter((e) => e.field === "input") : [];

  const setFocus = (index: number) => {
    focusRef.current = index;
    setFocusState(index);
  };
  const move = (delta: number) => {
    const leaving = rows[focusRef.current];
    if (leaving) setTouched((t) => new Set([...t, leaving.key]));
    setFocus((focusRef.current + delta + rows.length + 1) % (rows.length + 1));
  };

  const setValue = (key: keyof UpdateUserInput, text: string) => {
    setTouched((t) => (t.has(key) ? t : new Set([...t, key])));
    setEditedSinceServer((s) => (s.has(key) ? s : new Set([...s, key])));
    valuesRef.current = { ...valuesRef.current, [key]: text };
    onChange(valuesRef.current);
  };

  const submit = () => {
    setSubmitted(true);
    // Validate what was typed up to this key, not the last render's values.
    const now = validate(formToRawInput(fields, identifyBy, valuesRef.current));
    if (now.ok) {
      onSubmit(now.input);
      return;
    }
    const first = rows.findIndex((r) => now.errors.some((e) => e.field === r.key));
    if (first >= 0) setFocus(first);
  };

  const handleKey = (input: string, key: Key) => {
    if (key.escape) {
      onBack();
      return;
    }
    if (key.tab && key.shift) move(-1);
    else if (key.tab || key.downArrow) move(1);
    else if (key.upArrow) move(-1);
    else if (key.return) {
      if (focusRef.current === submitIndex) submit();
      else move(1);
    } else if (key.ctrl && input === "s") submit();
    else {
      const field = rows[focusRef.current];
      if (!field) return;
      const current = valuesRef.current[field.key] ?? "";
      if (field.kind === "choice") {
        if (!(key.leftArrow || key.rightArrow || input === " ")) return;
        const choices = field.choices ?? [];
        if (choices.length === 0) return;
        const delta = key.leftArrow ? -1 : 1;
        const next = choices[(choiceIndex(field, current) + delta + choices.length) % choices.length];
        if (next) setValue(field.key, next.value);
        return;
      }
      const cursor = Math.min(cursors.current[field.key] ?? current.length, current.length);
      const edited = editLine({ text: current, cursor }, input, key);
      if (!edited) return;
      cursors.current[field.key] = edited.cursor;
      if (edited.text !== current) setValue(field.key, edited.text);
      else setFocusState(focusRef.current); // re-render to move the cursor
      setCursorTick((t) => t + 1);
    }
  };
  useInput((input, key) => {
    for (const event of splitKeys(input, key)) handleKey(event.input, event.key);
  });

  let lastGroup: FieldSpec["group"] | null = null;
  const focused = rows[focus];
  return (
    <Box flexDirection="column">
      {rows.map((field, i) => {
        const heading = field.group !== lastGroup ? GROUP_TITLES[field.group] : null;
        lastGroup = field.group;
        const isFocused = i === focus;
        const messages = fieldErrors(field.key);
        const value = values[field.key] ?? "";
        return (
          <Box key={field.key} flexDirection="column">
            {heading ? (
              <Box marginTop={i === 0 || compact ? 0 : 1}>
                <Text bold underline>
                  {heading}
                </Text>
              </Box>
            ) : null}
            <Box>
              <Text color={isFocused ? "cyan" : undefined}>{isFocused ? "❯ " : "  "}</Text>
              <Box width={LABEL_WIDTH}>
                <Text color={messages.length > 0 ? "red" : isFocused ? "cyan" : undefined}>{field.label}</Text>
              </Box>
              {field.kind === "choice" ? (
                <Text color={isFocused ? "cyan" : undefined}>
                  {isFocused ? "‹ " : "  "}
                  {(field.choices ?? [])[choiceIndex(field, value)]?.label ?? value}
                  {isFocused ? " ›" : ""}
                </Text>
              ) : (
                <FieldText
                  text={value}
                  focused={isFocused}
                  cursor={Math.min(cursors.current[field.key] ?? value.length, value.length)}
                  placeholder={field.example ? `e.g. ${field.example}` : ""}
                />
              )}
            </Box>
            {messages.map((m) => (
              <Text key={m} color="red">
                {"    ✗ "}
                {field.label} {m}
              </Text>
            ))}
          </Box>
        );
      })}
      <Box marginTop={compact ? 0 : 1}>
        <Text color={focus === submitIndex ? "cyan" : undefined} bold={focus === submitIndex}>
          {focus === submitIndex ? "❯ " : "  "}[ Review changes ]
        </Text>
      </Box>
      {inputErrors.map((e) => (
        <Text key={e.message} color="red">
          {"  ✗ "}
          {e.message}
        </Text>
      ))}
      {focused ? (
        <Text dimColor>
          {focused.hint}
          {focused.rules.length > 0 ? ` (${focused.rules.join("; ")})` : ""}
        </Text>
      ) : (
        <Text dimColor>Enter to review the change before anything is written.</Text>
      )}
      <Footer
        keys={[
          ["Tab/↑↓", "move"],
          ...(focused?.kind === "choice" ? ([["←→", "choose"]] as const) : []),
          ["Enter", focus === submitIndex ? "review" : "next"],
          ["Ctrl-S", "review"],
          ["Esc", "back"],
        ]}
      />
    </Box>
  );
}

/** A text field's value with a block cursor when focused (the terminal cursor stays hidden under Ink). */
function FieldText({
  text,
  focused,
  cursor,
  placeholder,
}: {
  text: string;
  focused: boolean;
  cursor: number;
  placeholder: string;
}) {
  if (!focused) return <Text>{text}</Text>;
  if (text === "") {
    return (
      <Text>
        <Text inverse> </Text>
        <Text dimColor>{placeholder}</Text>
      </Text>
    );
  }
  return (
    <Text>
      {text.slice(0, cursor)}
      <Text inverse>{text[cursor] ?? " "}</Text>
      {text.slice(cursor + 1)}
    </Text>
  );
}
