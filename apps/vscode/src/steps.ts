/**
 * The "Update User" step machine, generated from the domain's field table. Plain TypeScript: no `vscode` here, so
 * the order, skipping, Back, validation and the input it builds are tested without an editor.
 */
import type {
  FieldChoice,
  FieldError,
  FieldSpec,
  IdentifyBy,
  RawUpdateUserInput,
  UpdateUserInput,
  ValidationResult,
} from "@intercom-kit/domain";
import { choiceItems, identifyItems, placeholderFor, promptFor } from "./format.js";

export type FieldKey = keyof UpdateUserInput;
export type Validate = (raw: unknown) => ValidationResult;

/** What the person has answered so far. Text is kept as typed, also for steps now skipped, so Back loses nothing. */
export interface WizardState {
  identifyBy?: IdentifyBy;
  values: Partial<Record<FieldKey, string>>;
}

export interface PickItem {
  value: string;
  label: string;
  detail?: string;
}

export type WizardStep =
  | { kind: "identify"; id: "identifyBy"; title: string; items: PickItem[] }
  | {
      kind: "text";
      id: FieldKey;
      field: FieldSpec;
      title: string;
      prompt: string;
      placeholder: string;
      /** The identifier must be given; every other text step may stay empty (= unchanged). */
      required: boolean;
    }
  | { kind: "choice"; id: FieldKey; field: FieldSpec; title: string; items: PickItem[] };

/** The person's answer to one step. `back` carries what was typed so it is there again on return. */
export type Answer = { action: "next"; value: string } | { action: "back"; value?: string } | { action: "cancel" };

export interface StepPosition {
  /** 1-based, counting the review as the last step. */
  step: number;
  totalSteps: number;
}

export type ReviewAnswer = "confirm" | "back" | "cancel";

export interface WizardUi {
  ask(
    step: WizardStep,
    position: StepPosition,
    value: string,
    check: (text: string) => string | undefined,
  ): Promise<Answer>;
  /** Shows the validated input (or every error) with the planned change; confirm only when `validation.ok`. */
  review(validation: ValidationResult, position: StepPosition): Promise<ReviewAnswer>;
}

export type WizardOutcome =
  | { status: "confirmed"; input: UpdateUserInput; state: WizardState }
  | { status: "cancelled" };

const TITLE = "Intercom: Update User";

function hasText(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "";
}

/** Steps that make no sense given earlier answers are skipped (and their text left out of the input). */
function skipped(key: FieldKey, state: WizardState): boolean {
  const v = state.values;
  if (key === "companyId") return hasText(v.intercomCompanyId);
  if (key === "companyName" || key === "companyMonthlySpend")
    return hasText(v.intercomCompanyId) || !hasText(v.companyId);
  return false;
}

/** The steps to ask, in order, for the answers so far (the review step is not in this list). */
export function wizardSteps(fields: readonly FieldSpec[], state: WizardState): WizardStep[] {
  const identify = fields.filter((f) => f.group === "identify");
  const steps: WizardStep[] = [
    { kind: "identify", id: "identifyBy", title: `${TITLE}: find the user by`, items: identifyItems(identify) },
  ];
  const chosen = identify.find((f) => f.key === state.identifyBy);
  if (chosen) {
    steps.push({
      kind: "text",
      id: chosen.key,
      field: chosen,
      title: `${TITLE}: ${chosen.label}`,
      prompt: promptFor(chosen, true),
      placeholder: placeholderFor(chosen),
      required: true,
    });
  }
  for (const field of fields) {
    if (field.group === "identify" || skipped(field.key, state)) continue;
    if (field.kind === "choice") {
      steps.push({
        kind: "choice",
        id: field.key,
        field,
        title: `${TITLE}: ${field.label}`,
        items: choiceItems(field.choices ?? ([] as FieldChoice[])),
      });
    } else {
      steps.push({
        kind: "text",
        id: field.key,
        field,
        title: `${TITLE}: ${field.label}`,
        prompt: promptFor(field, false),
        placeholder: placeholderFor(field),
        required: false,
      });
    }
  }
  return steps;
}

/**
 * Turns the custom attributes box into what the domain validates: a JSON object as is, otherwise
 * `name=value` pairs separated by commas (a comma splits only when a `name=` follows it, so values may hold commas).
 */
export function attributesFromText(text: string): string | string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) return trimmed;
  return trimmed
    .split(/,(?=\s*[^\s=,"']+\s*=)/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/** The raw input for the domain: only the chosen identifier and the non-empty answers of steps still shown. */
export function rawInputOf(
  fields: readonly FieldSpec[],
  state: WizardState,
): RawUpdateUserInput & Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const step of wizardSteps(fields, state)) {
    if (step.kind === "identify") continue;
    const text = state.values[step.id];
    if (text === undefined || text.trim() === "") continue;
    raw[step.id] = step.field.kind === "attributes" ? attributesFromText(text) : text;
  }
  return raw;
}

/**
 * The inline message for one step's text, or undefined when it is acceptable. Empty is fine except for the
 * identifier. The domain validates the whole input with this answer in place; only errors about this field count,
 * so a problem elsewhere never blocks this box.
 */
export function checkStep(
  fields: readonly FieldSpec[],
  state: WizardState,
  step: WizardStep,
  text: string,
  validate: Validate,
): string | undefined {
  if (step.kind === "identify") return undefined;
  if (text.trim() === "") return step.kind === "text" && step.required ? `Enter the ${step.field.label}` : undefined;
  const probe = rawInputOf(fields, { ...state, values: { ...state.values, [step.id]: text } });
  const result = validate(probe);
  if (result.ok) return undefined;
  const mine = result.errors.filter((e: FieldError) => e.field === step.id);
  if (mine.length === 0) return undefined;
  return mine.map((e) => `${e.label} ${e.message}`).join("; ");
}

/**
 * Runs the steps until the person confirms the review or cancels. Back keeps every answer; Escape (cancel) ends
 * with nothing done. The step list is recomputed after each answer, so skipping follows the answers.
 */
export async function runWizard(
  fields: readonly FieldSpec[],
  validate: Validate,
  ui: WizardUi,
  initial: WizardState = { values: {} },
): Promise<WizardOutcome> {
  let state: WizardState = { ...initial, values: { ...initial.values } };
  let index = 0;
  for (;;) {
    const steps = wizardSteps(fields, state);
    const totalSteps = steps.length + 1;
    if (index >= steps.length) {
      const validation = validate(rawInputOf(fields, state));
      const answer = await ui.review(validation, { step: totalSteps, totalSteps });
      if (answer === "cancel") return { status: "cancelled" };
      if (answer === "back") {
        index = steps.length - 1;
        continue;
      }
      if (validation.ok) return { status: "confirmed", input: validation.input, state };
      continue; // a review that cannot confirm asks again
    }
    const step = steps[index] as WizardStep;
    const current = step.kind === "identify" ? (state.identifyBy ?? "") : (state.values[step.id] ?? "");
    const check = (text: string) => checkStep(fields, state, step, text, validate);
    const answer = await ui.ask(step, { step: index + 1, totalSteps }, current, check);
    if (answer.action === "cancel") return { status: "cancelled" };
    if (answer.action === "back") {
      if (answer.value !== undefined) state = withAnswer(state, step, answer.value);
      index = Math.max(0, index - 1);
      continue;
    }
    if (step.kind !== "identify" && check(answer.value) !== undefined) continue; // the UI let a bad value through
    state = withAnswer(state, step, answer.value);
    index += 1;
  }
}

function withAnswer(state: WizardState, step: WizardStep, value: string): WizardState {
  if (step.kind === "identify") {
    const identifyBy = value === "" ? undefined : (value as IdentifyBy);
    return { ...state, identifyBy, values: { ...state.values } };
  }
  return { ...state, values: { ...state.values, [step.id]: value } };
}
