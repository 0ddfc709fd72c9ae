/**
 * The "Update User" step machine, generated from the domain's field table. Plain TypeScript: no `vscode` here, so
 * the order, skipping, Back, the lookup after the identify step, the choice of what to change and the review are
 * tested without an editor.
 *
 * The sequence is: how to find the user, the identifier (then the user is looked up), what to change (groups of
 * FIELD_GROUPS, or single fields), one step per chosen field, the review. Every position is counted whether it is
 * shown or skipped, so "Step 5 of 8" stays the same as the person goes back and forth.
 */
import {
  type Candidate,
  type Contact,
  currentFieldText,
  FIELD_GROUPS,
  type FieldError,
  type FieldGroup,
  type FieldKey,
  type FieldSpec,
  fieldApplies,
  fieldErrorLines,
  type IdentifyBy,
  type LookupResult,
  type PreparedUpdate,
  type PrepareResult,
  type UpdateUserError,
  type UpdateUserInput,
  type UpdateUserOutput,
  type ValidationResult,
} from "@intercom-kit/domain";

export type Validate = (raw: unknown, options?: { requireChange?: boolean; apiVersion?: string }) => ValidationResult;

/** What the person has answered so far. Text is kept as typed, also for steps now skipped, so Back loses nothing. */
export interface WizardState {
  identifyBy?: IdentifyBy;
  values: Partial<Record<FieldKey, string>>;
  /** The fields chosen on the "what to change" step (undefined until then). */
  chosen?: readonly FieldKey[];
  /** The Intercom ID of the user picked among several sharing the current email. */
  picked?: string;
}

/** The user as the lookup after the identify step found them. */
export interface Found {
  user: UpdateUserOutput;
  contact: Contact;
  notes: string[];
}

export interface PickItem {
  value: string;
  label: string;
  detail?: string;
  /** The user's current value. */
  current?: boolean;
}

/** One entry of the "what to change" pick: a whole group, or one field of it. */
export interface ChangeChoice {
  id: string;
  kind: "group" | "field";
  group: FieldGroup;
  label: string;
  detail: string;
  /** For kind "field". */
  key?: FieldKey;
  /** For kind "group": its fields' keys. */
  keys?: FieldKey[];
}

export type WizardStep =
  | { kind: "identify"; id: "identifyBy"; items: PickItem[] }
  | {
      kind: "text";
      id: FieldKey;
      field: FieldSpec;
      /** The identifier must be given; every other text step may stay empty (= unchanged). */
      required: boolean;
      /** The user's value now: text, null = not set, undefined = not known (or not looked up yet). */
      current?: string | null;
    }
  | { kind: "choice"; id: FieldKey; field: FieldSpec; items: PickItem[]; current?: string | null };

/** A step that asks for a field (not the identify pick). */
export type FieldStep = Exclude<WizardStep, { kind: "identify" }>;

/** The person's answer to one step. `back` carries what was typed so it is there again on return. */
export type Answer = { action: "next"; value: string } | { action: "back"; value?: string } | { action: "cancel" };
export type ChoiceAnswer = { action: "next"; keys: FieldKey[] } | { action: "back" } | { action: "cancel" };
export type CandidateAnswer = { action: "next"; id: string } | { action: "back" } | { action: "cancel" };

export interface StepPosition {
  /** 1-based, counting every position of the sequence (skipped ones too) and the review as the last. */
  step: number;
  totalSteps: number;
}

/** What the review shows: answers the domain refuses, what the pre-flight found, or the prepared update. */
export type ReviewInput =
  | { kind: "invalid"; errors: FieldError[] }
  | { kind: "problems"; error: UpdateUserError; creatable: boolean }
  | { kind: "ready"; plan: PreparedUpdate };

/** `create`: prepare again creating the missing custom attributes (offered only when that solves every problem). */
export type ReviewAnswer = "confirm" | "back" | "cancel" | "create";

export interface WizardUi {
  /** An input box or a pick for one step; `failure` is why the identifier is asked again (the lookup failed). */
  ask(
    step: WizardStep,
    position: StepPosition,
    value: string,
    check: (text: string) => string | undefined,
    failure?: UpdateUserError,
  ): Promise<Answer>;
  /** The multi-select of what to change (with the user found); `empty` when it was accepted with nothing ticked. */
  chooseChanges(
    choices: ChangeChoice[],
    position: StepPosition,
    chosen: readonly FieldKey[],
    found: Found | undefined,
    empty: boolean,
  ): Promise<ChoiceAnswer>;
  /** Several users share the current email: which one? */
  pickCandidate(
    candidates: Candidate[],
    position: StepPosition,
    error: UpdateUserError,
    active?: string,
  ): Promise<CandidateAnswer>;
  review(input: ReviewInput, position: StepPosition, found: Found | undefined): Promise<ReviewAnswer>;
}

/** The calls the machine makes; the service runs them under a cancellable progress. */
export interface WizardServices {
  validate: Validate;
  apiVersion: string;
  lookup(identify: Partial<Record<IdentifyBy, string>>): Promise<LookupResult>;
  prepare(
    input: UpdateUserInput,
    options: { contact?: Contact; createMissingAttributes: boolean },
  ): Promise<PrepareResult>;
}

export type WizardOutcome =
  | { status: "confirmed"; plan: PreparedUpdate; state: WizardState; found: Found | undefined }
  | { status: "cancelled"; state: WizardState };

/** Kinds of a sequence position. */
type Entry =
  | { kind: "identifyBy" }
  | { kind: "identifier" }
  | { kind: "changes" }
  | { kind: "field"; field: FieldSpec }
  | { kind: "review" };

function hasText(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "";
}

/** Fields the API version has (Email verified needs 2.16), by the domain's rule. */
function available(field: FieldSpec, apiVersion: string): boolean {
  return fieldApplies(field, new Set(field.requires ?? []), { apiVersion });
}

/**
 * The entries of the "what to change" pick: each group, then its fields (a group of one field is that field);
 * identify is always asked, so not offered.
 */
export function changeChoices(fields: readonly FieldSpec[], apiVersion: string): ChangeChoice[] {
  const out: ChangeChoice[] = [];
  for (const group of FIELD_GROUPS) {
    if (group.group === "identify") continue;
    const members = fields.filter((f) => f.group === group.group && available(f, apiVersion));
    if (members.length === 0) continue;
    out.push({
      id: `group:${group.group}`,
      kind: "group",
      group: group.group,
      label: group.label,
      detail: group.hint,
      keys: members.map((f) => f.key),
    });
    if (members.length === 1) continue;
    for (const f of members) {
      out.push({ id: `field:${f.key}`, kind: "field", group: group.group, label: f.label, detail: f.hint, key: f.key });
    }
  }
  return out;
}

/**
 * Keeps a group and its fields in step after the person ticks or unticks something: ticking a group ticks all its
 * fields, unticking it unticks them; a group is ticked exactly when all its fields are.
 */
export function normalizeChoice(
  choices: readonly ChangeChoice[],
  before: ReadonlySet<string>,
  after: ReadonlySet<string>,
): Set<string> {
  const next = new Set(after);
  const groups = choices.filter(
    (g) => g.kind === "group" && choices.some((c) => c.kind === "field" && c.group === g.group),
  );
  for (const g of groups) {
    const fieldIds = (g.keys ?? []).map((k) => `field:${k}`);
    if (after.has(g.id) && !before.has(g.id)) for (const id of fieldIds) next.add(id);
    else if (!after.has(g.id) && before.has(g.id)) for (const id of fieldIds) next.delete(id);
  }
  for (const g of groups) {
    const all = (g.keys ?? []).every((k) => next.has(`field:${k}`));
    if (all) next.add(g.id);
    else next.delete(g.id);
  }
  return next;
}

/** The ids to show ticked for the fields chosen. */
export function choiceIds(choices: readonly ChangeChoice[], chosen: readonly FieldKey[]): Set<string> {
  const ids = new Set<string>();
  for (const c of choices) {
    const keys = c.kind === "field" ? [c.key as FieldKey] : (c.keys ?? []);
    if (keys.every((k) => chosen.includes(k))) ids.add(c.id);
  }
  return ids;
}

/** The field keys of ticked entries (a ticked group of one field is that field), in table order. */
export function chosenKeys(choices: readonly ChangeChoice[], ids: ReadonlySet<string>): FieldKey[] {
  const keys = new Set<FieldKey>();
  for (const c of choices) {
    if (!ids.has(c.id)) continue;
    if (c.kind === "field") keys.add(c.key as FieldKey);
    else for (const k of c.keys ?? []) keys.add(k);
  }
  return choices
    .flatMap((c) => (c.kind === "field" ? [c.key as FieldKey] : (c.keys ?? [])))
    .filter((k, i, all) => keys.has(k) && all.indexOf(k) === i);
}

/** The fields asked for a choice: the chosen ones and the fields they need (Company name needs Company ID). */
export function plannedFields(fields: readonly FieldSpec[], state: WizardState, apiVersion: string): FieldSpec[] {
  const keys = new Set<FieldKey>(state.chosen ?? []);
  let grew = true;
  while (grew) {
    grew = false;
    for (const f of fields) {
      if (!keys.has(f.key)) continue;
      for (const r of f.requires ?? []) {
        const needed = fields.find((x) => x.key === r);
        if (needed && needed.group !== "identify" && !keys.has(r)) {
          keys.add(r);
          grew = true;
        }
      }
    }
  }
  return fields.filter((f) => f.group !== "identify" && keys.has(f.key) && available(f, apiVersion));
}

function sequence(fields: readonly FieldSpec[], state: WizardState, apiVersion: string): Entry[] {
  return [
    { kind: "identifyBy" },
    { kind: "identifier" },
    { kind: "changes" },
    ...plannedFields(fields, state, apiVersion).map((field): Entry => ({ kind: "field", field })),
    { kind: "review" },
  ];
}

/** The identify key the input uses: the picked user's Intercom ID, or the identifier as typed. */
function identifyOf(state: WizardState): Partial<Record<IdentifyBy, string>> {
  if (state.picked !== undefined) return { intercomId: state.picked };
  if (!state.identifyBy) return {};
  const text = state.values[state.identifyBy];
  return hasText(text) ? { [state.identifyBy]: text } : {};
}

function identityKey(state: WizardState): string {
  return JSON.stringify(identifyOf(state));
}

/**
 * Which entries are asked, given the answers in table order: a field needing an empty one, or excluded by one given
 * before it, is skipped (the domain's `fieldApplies`); its text is kept, not used.
 */
function applicable(entries: readonly Entry[], state: WizardState, apiVersion: string): boolean[] {
  const given = new Set<FieldKey>(Object.keys(identifyOf(state)) as FieldKey[]);
  return entries.map((e) => {
    if (e.kind !== "field") return true;
    const asks = fieldApplies(e.field, given, { apiVersion });
    if (asks && hasText(state.values[e.field.key])) given.add(e.field.key);
    return asks;
  });
}

/** The fields whose steps are asked for these answers, in order (the others are skipped by the table's rules). */
export function askedFields(fields: readonly FieldSpec[], state: WizardState, apiVersion: string): FieldKey[] {
  const entries = sequence(fields, state, apiVersion);
  const asked = applicable(entries, state, apiVersion);
  return entries.flatMap((e, i) => (e.kind === "field" && asked[i] ? [e.field.key] : []));
}

/** The raw input for the domain: the identifier and the non-empty answers of the steps still asked. */
export function rawInputOf(
  fields: readonly FieldSpec[],
  state: WizardState,
  apiVersion: string,
): Record<string, string> {
  const raw: Record<string, string> = { ...identifyOf(state) } as Record<string, string>;
  const entries = sequence(fields, state, apiVersion);
  const asked = applicable(entries, state, apiVersion);
  entries.forEach((e, i) => {
    if (e.kind !== "field" || !asked[i]) return;
    const text = state.values[e.field.key];
    if (hasText(text)) raw[e.field.key] = text as string;
  });
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
  apiVersion: string,
): string | undefined {
  if (step.kind === "identify") return undefined;
  if (text.trim() === "") return step.kind === "text" && step.required ? `Enter the ${step.field.label}` : undefined;
  const probe =
    step.field.group === "identify"
      ? { [step.id]: text }
      : rawInputOf(fields, { ...state, values: { ...state.values, [step.id]: text } }, apiVersion);
  const result = validate(probe, { requireChange: false, apiVersion });
  if (result.ok) return undefined;
  const mine = result.errors.filter((e: FieldError) => e.field === step.id);
  if (mine.length === 0) return undefined;
  return fieldErrorLines(mine).join("; ");
}

function fieldStep(field: FieldSpec, found: Found | undefined): FieldStep {
  const current = found ? currentFieldText(field, found) : undefined;
  if (field.kind === "choice") {
    const now =
      found && field.contactProperty ? (found.contact as Record<string, unknown>)[field.contactProperty] : undefined;
    const items = (field.choices ?? []).map((c) => ({
      value: c.value,
      label: c.label,
      ...(c.value !== "" && now !== undefined && now !== null && String(now) === c.value ? { current: true } : {}),
    }));
    return { kind: "choice", id: field.key, field, items, current };
  }
  if (field.kind === "flag") {
    // A flag is yes or no; "no" leaves the user as they are, so it comes first.
    const items = [
      { value: "", label: "No" },
      { value: "true", label: `Yes: ${field.label}` },
    ];
    return { kind: "choice", id: field.key, field, items, current };
  }
  return { kind: "text", id: field.key, field, required: false, current };
}

function identifySteps(fields: readonly FieldSpec[], state: WizardState): { by: WizardStep; value?: FieldStep } {
  const identify = fields.filter((f) => f.group === "identify");
  const by: WizardStep = {
    kind: "identify",
    id: "identifyBy",
    items: identify.map((f) => ({ value: f.key, label: f.label, detail: f.hint })),
  };
  const chosen = identify.find((f) => f.key === state.identifyBy);
  return chosen ? { by, value: { kind: "text", id: chosen.key, field: chosen, required: true } } : { by };
}

/** The total of the sequence for these answers (what "Step n of N" says), for tests and the adapter. */
export function totalSteps(fields: readonly FieldSpec[], state: WizardState, apiVersion: string): number {
  return sequence(fields, state, apiVersion).length;
}

/** Every problem can be solved by creating the missing custom attributes. */
function onlyCreatable(error: UpdateUserError): boolean {
  const problems = error.problems ?? [];
  return problems.length > 0 && problems.every((p) => p.creatable === true);
}

/**
 * Runs the steps until the person confirms the review or cancels. Back keeps every answer; Escape (cancel) ends with
 * nothing written. The user is looked up right after the identifier: a failure returns to the identifier with every
 * answer kept and the error shown; an email several users share lets the person pick one.
 */
export async function runWizard(
  fields: readonly FieldSpec[],
  services: WizardServices,
  ui: WizardUi,
  initial: WizardState = { values: {} },
  options: { resume?: boolean } = {},
): Promise<WizardOutcome> {
  const { apiVersion, validate } = services;
  let state: WizardState = { ...initial, values: { ...initial.values } };
  const found = new Map<string, Found>();
  /** Why the identifier is asked again: the lookup failed. */
  let failure: UpdateUserError | undefined;
  /** The changes step was accepted with nothing ticked. */
  let empty = false;
  /** The input for which the person asked to create the missing attributes. */
  let createFor: string | undefined;
  let index = 0;

  const cancelled = (): WizardOutcome => ({ status: "cancelled", state });
  const move = (from: number, direction: 1 | -1): number => {
    const entries = sequence(fields, state, apiVersion);
    const asked = applicable(entries, state, apiVersion);
    let i = from + direction;
    while (i > 0 && i < entries.length - 1 && !asked[i]) i += direction;
    return Math.max(0, Math.min(i, entries.length - 1));
  };
  const lookUp = async (active?: string): Promise<"found" | "stay" | "cancel"> => {
    const key = identityKey(state);
    if (found.has(key)) return "found";
    const result = await services.lookup(identifyOf(state));
    if (result.ok) {
      found.set(key, { user: result.user, contact: result.contact, notes: result.notes });
      return "found";
    }
    const candidates = result.error.candidates ?? [];
    if (result.error.kind === "ambiguous" && candidates.length > 0 && state.picked === undefined) {
      const position = { step: 2, totalSteps: totalSteps(fields, state, apiVersion) };
      const chosen = await ui.pickCandidate(candidates, position, result.error, active);
      if (chosen.action === "cancel") return "cancel";
      if (chosen.action === "back") return "stay";
      state = { ...state, picked: chosen.id };
      return lookUp();
    }
    failure = result.error;
    return "stay";
  };

  if (options.resume && Object.keys(identifyOf(state)).length > 0 && state.chosen?.length) {
    // Back to the review with the same answers (the user changed elsewhere): look them up again first.
    const looked = await lookUp(state.picked);
    if (looked === "cancel") return cancelled();
    index = looked === "found" ? sequence(fields, state, apiVersion).length - 1 : 1;
  }

  for (;;) {
    const entries = sequence(fields, state, apiVersion);
    const total = entries.length;
    index = Math.min(index, total - 1);
    const entry = entries[index] as Entry;
    const position: StepPosition = { step: index + 1, totalSteps: total };
    const current = found.get(identityKey(state));

    if (entry.kind === "identifyBy") {
      const { by } = identifySteps(fields, state);
      const answer = await ui.ask(by, position, state.identifyBy ?? "", () => undefined);
      if (answer.action === "cancel") return cancelled();
      if (answer.action === "back" || answer.value === "") continue;
      if (answer.value !== state.identifyBy) {
        state = { ...state, identifyBy: answer.value as IdentifyBy, picked: undefined };
        failure = undefined;
      }
      index = 1;
      continue;
    }

    if (entry.kind === "identifier") {
      const step = identifySteps(fields, state).value;
      if (!step) {
        index = 0;
        continue;
      }
      const check = (text: string) => checkStep(fields, state, step, text, validate, apiVersion);
      const answer = await ui.ask(step, position, state.values[step.id] ?? "", check, failure);
      if (answer.action === "cancel") return cancelled();
      if (answer.action === "back") {
        if (answer.value !== undefined) state = withValue(state, step.id, answer.value);
        index = 0;
        continue;
      }
      if (check(answer.value) !== undefined) continue; // the UI let a bad value through
      // Every Enter here looks up again (unless this user was found already); an email several users share offers
      // the pick again, with the user picked last time first.
      const previous = answer.value === state.values[step.id] ? state.picked : undefined;
      state = { ...withValue(state, step.id, answer.value), picked: undefined };
      failure = undefined;
      const looked = await lookUp(previous);
      if (looked === "cancel") return cancelled();
      if (looked === "stay") continue;
      index = 2;
      continue;
    }

    if (entry.kind === "changes") {
      const choices = changeChoices(fields, apiVersion);
      const answer = await ui.chooseChanges(choices, position, state.chosen ?? [], current, empty);
      if (answer.action === "cancel") return cancelled();
      empty = false;
      if (answer.action === "back") {
        index = 1;
        continue;
      }
      if (answer.keys.length === 0) {
        empty = true;
        continue;
      }
      state = { ...state, chosen: answer.keys };
      index = move(index, 1);
      continue;
    }

    if (entry.kind === "field") {
      const step = fieldStep(entry.field, current);
      const check = (text: string) => checkStep(fields, state, step, text, validate, apiVersion);
      const answer = await ui.ask(step, position, state.values[step.id] ?? "", check);
      if (answer.action === "cancel") return cancelled();
      if (answer.action === "back") {
        if (answer.value !== undefined) state = withValue(state, step.id, answer.value);
        index = move(index, -1);
        continue;
      }
      if (check(answer.value) !== undefined) continue;
      state = withValue(state, step.id, answer.value);
      index = move(index, 1);
      continue;
    }

    // The review.
    const validation = validate(rawInputOf(fields, state, apiVersion), { apiVersion });
    let review: ReviewInput;
    if (!validation.ok) review = { kind: "invalid", errors: validation.errors };
    else {
      const key = JSON.stringify(validation.input);
      const prepared = await services.prepare(validation.input, {
        ...(current ? { contact: current.contact } : {}),
        createMissingAttributes: createFor === key,
      });
      if (!prepared.ok && prepared.error.kind === "aborted") {
        index = move(index, -1);
        continue;
      }
      review = prepared.ok
        ? { kind: "ready", plan: prepared.plan }
        : { kind: "problems", error: prepared.error, creatable: onlyCreatable(prepared.error) };
      const answer = await ui.review(review, position, current);
      if (answer === "create" && review.kind === "problems" && review.creatable) {
        createFor = key;
        continue;
      }
      if (answer === "confirm" && review.kind === "ready" && !review.plan.unchanged) {
        return { status: "confirmed", plan: review.plan, state, found: current };
      }
      if (answer === "cancel") return cancelled();
      if (answer === "back") index = move(index, -1);
      continue;
    }
    const answer = await ui.review(review, position, current);
    if (answer === "cancel") return cancelled();
    if (answer === "back") index = move(index, -1);
  }
}

function withValue(state: WizardState, key: FieldKey, value: string): WizardState {
  return { ...state, values: { ...state.values, [key]: value } };
}
