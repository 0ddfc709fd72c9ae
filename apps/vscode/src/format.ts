/**
 * What only VS Code says: the layout of steps, picks, notifications and the review, and sentences about VS Code's
 * own commands and settings. Everything about errors, field errors, plans, changes, users and requests is the
 * domain's (`errorMessage`, `changeLine`, `callLine`, `candidateLine`, `outcomeLine`, `whoIs`, `describeRequestEvent`,
 * ...); this module only lays it out and swaps the terminal's flag names for VS Code's (see {@link vscodeWording}).
 * No `vscode` here, so all of it is tested without an editor.
 */
import {
  type BackendInfo,
  type Candidate,
  callLine,
  candidateLine,
  changeLine,
  errorDetailLines,
  errorMessage,
  escapeControl,
  type FieldSpec,
  fieldErrorLines,
  orderCalls,
  outcomeLine,
  planSummary,
  plural,
  type UpdateUserError,
  type UpdateUserOutput,
  type UpdateUserResult,
  whoIs,
} from "@intercom-kit/domain";
import { SETTING_NAMES } from "./config.js";
import type { ChangeChoice, Found, PickItem, ReviewInput, WizardStep } from "./steps.js";

export const TITLE = "Intercom: Update User";
export const SET_TOKEN = "Set Access Token";
export const START_SANDBOX = "Start Sandbox";
export const SHOW_DETAILS = "Show details";
export const OPEN_SETTINGS = "Open Settings";
export const CHECK_TOKEN = "Check Token";

/**
 * The domain's hints speak to a terminal where they name a flag; in VS Code the same advice names the command, the
 * setting or the review choice. Exact phrases first, then any remaining `--flag` of the field table becomes its label.
 */
const PHRASES: ReadonlyArray<readonly [string | RegExp, string]> = [
  ["(the timeout)", `(${SETTING_NAMES.timeout})`],
  ["ask for missing attributes to be created)", "choose Create missing attributes in the review)"],
  ["check the base URL and the API version", `check ${SETTING_NAMES.baseUrl} and ${SETTING_NAMES.apiVersion}`],
  [
    "restore it by its Intercom ID with Restore from archive (unarchive)",
    "restore it by finding it by Intercom ID and choosing Restore from archive (under Archive or restore)",
  ],
  ["log in again, or set a new token", SETTING_NAMES.setToken],
  ["the dry run shows each call and its body", "the review shows each call and its body"],
  [/--api-version\b/g, SETTING_NAMES.apiVersion],
  [/--timeout\b/g, SETTING_NAMES.timeout],
  [/--base-url\b/g, SETTING_NAMES.baseUrl],
  [/--region\b/g, SETTING_NAMES.region],
];

export function vscodeWording(text: string, fields: readonly FieldSpec[] = []): string {
  let out = text;
  for (const [from, to] of PHRASES) out = typeof from === "string" ? out.split(from).join(to) : out.replace(from, to);
  return out.replace(/--([a-z][a-z-]*)/g, (all, flag: string) => fields.find((f) => f.flag === flag)?.label ?? all);
}

/** The notification text for a failure: what happened, then what to do, in VS Code's words. */
export function failureText(error: UpdateUserError, fields: readonly FieldSpec[] = []): string {
  return vscodeWording(errorMessage(error), fields);
}

/** Why the identifier box is asked again: the lookup failed (or was cancelled). */
export function lookupFailureText(error: UpdateUserError, fields: readonly FieldSpec[] = []): string {
  if (error.kind === "aborted") {
    return "Lookup cancelled; nothing was changed. Press Enter to look the user up again, or Escape to stop.";
  }
  return failureText(error, fields);
}

/** Every line worth logging about a failure: the domain's message, facts and hint (never a token or body). */
export function failureLogLines(error: UpdateUserError, fields: readonly FieldSpec[] = []): string[] {
  const lines = [`failed: ${error.kind}: ${escapeControl(error.message)}`, ...errorDetailLines(error)];
  if (error.hint) lines.push(`hint: ${escapeControl(error.hint)}`);
  if (error.status !== undefined) lines.push(`status: ${error.status}`);
  if (error.requestId) lines.push(`request id: ${escapeControl(error.requestId)}`);
  return lines.map((l) => vscodeWording(l, fields));
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

export function stepTitle(step: WizardStep): string {
  return step.kind === "identify" ? `${TITLE}: find the user by` : `${TITLE}: ${step.field.label}`;
}

function shownCurrent(current: string | null | undefined): string | undefined {
  if (current === undefined) return undefined;
  return current === null ? "(not set)" : current;
}

/** The input box prompt: the current value, the field's hint and rules, and what empty means. */
export function promptFor(field: FieldSpec, required: boolean, current?: string | null): string {
  const rules = field.rules.filter((r) => !r.startsWith("give exactly one of"));
  const base = `${field.label}: ${field.hint.replace(/\.$/, "")}`;
  const withRules = rules.length > 0 ? `${base} (${rules.join("; ")}).` : `${base}.`;
  const several = field.kind === "names" ? " Several: separate them with ;." : "";
  if (required) return withRules;
  const now = shownCurrent(current);
  return `${now === undefined ? "" : `Current: ${now}. `}${withRules}${several} Leave empty to keep it as it is.`;
}

/** The placeholder: the current value once the user was looked up, else an example. */
export function placeholderFor(field: FieldSpec, current?: string | null): string {
  const now = shownCurrent(current);
  if (now !== undefined) return `Current: ${now}`;
  return field.example === undefined ? field.label : `e.g. ${field.example}`;
}

/** A pick step's placeholder: the current value when known, else the field's hint. */
export function pickPlaceholder(step: WizardStep): string {
  if (step.kind === "identify") return "How should the user be found?";
  const now = shownCurrent(step.current);
  return now === undefined ? step.field.hint : `Current: ${now}. ${step.field.hint}`;
}

/** Pick items: an empty value is "leave unchanged"; the user's current value is marked. */
export function pickItems(items: readonly PickItem[]): Array<{ label: string; description?: string; detail?: string }> {
  return items.map((item) => ({
    label: item.label,
    ...(item.current ? { description: "current" } : {}),
    ...(item.detail !== undefined
      ? { detail: item.detail }
      : item.value === ""
        ? { detail: "Keep the current setting" }
        : {}),
  }));
}

/** "Looking up User ID 25 on Intercom EU…": what the progress waits for. */
export function lookupTitle(field: FieldSpec | undefined, value: string, backend: BackendInfo): string {
  return `Looking up ${field?.label ?? "the user"} ${escapeControl(value)} on ${backendName(backend)}…`;
}

/** "Intercom EU", "Embedded sandbox", "Custom server https://proxy.example" (the label without its detail). */
export function backendName(backend: BackendInfo): string {
  return backend.kind === "custom" ? backend.label : backend.label.replace(/ \(.*\)$/, "");
}

export function changesTitle(found: Found | undefined): string {
  return found ? `${TITLE}: what to change for ${whoIs(found.user)}` : `${TITLE}: what to change`;
}

export function changesPlaceholder(empty: boolean): string {
  return empty
    ? "Tick at least one thing to change, then press Enter"
    : "Tick a group or single fields, then press Enter";
}

/** The multi-select entries: a group, then its fields indented under it. */
export function changeItems(choices: readonly ChangeChoice[]): Array<{ id: string; label: string; detail?: string }> {
  return choices.map((c) =>
    c.kind === "group"
      ? { id: c.id, label: c.label, detail: c.detail }
      : { id: c.id, label: `$(blank)$(blank)${c.label}` },
  );
}

export function candidatesTitle(candidates: readonly Candidate[]): string {
  return `${TITLE}: ${plural(candidates.length, "user")} have this email; pick one`;
}

export function candidateItems(candidates: readonly Candidate[]): Array<{ id: string; label: string }> {
  return candidates.map((c) => ({ id: c.id, label: candidateLine(c) }));
}

// ---------------------------------------------------------------------------------------------------------------
// The review

/** Quick pick rows are one line each and cut off what does not fit; long text is wrapped over several rows. */
export const REVIEW_WIDTH = 60;

export function wrap(text: string, width = REVIEW_WIDTH): string[] {
  const words = text.split(/(?<=\s)/);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line !== "" && (line + word).trimEnd().length > width) {
      lines.push(line.trimEnd());
      line = "";
    }
    let rest = word;
    while (rest.trimEnd().length > width) {
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    line += rest;
  }
  if (line.trim() !== "") lines.push(line.trimEnd());
  return lines.length > 0 ? lines : [""];
}

export type ReviewRow =
  | { kind: "action"; answer: "confirm" | "back" | "create"; label: string; description?: string }
  | { kind: "separator"; label: string }
  | { kind: "line"; label: string; description?: string };

export interface ReviewView {
  title: string;
  placeholder: string;
  rows: ReviewRow[];
}

function lines(label: string, texts: readonly string[], icon = ""): ReviewRow[] {
  const rows: ReviewRow[] = [{ kind: "separator", label }];
  for (const text of texts) {
    wrap(text).forEach((part, i) => {
      rows.push({ kind: "line", label: `${i === 0 ? icon : "$(blank) "}${part}` });
    });
  }
  return rows;
}

/**
 * The review as rows: the safety gate before any write. Ready: Update first, then current -> new for every value
 * given (the domain's "(unknown)" / "(not set)"), the calls, the notes. Problems: every one the pre-flight found, and
 * "Create missing attributes and review again" when that solves all of them. Nothing to change: said in full.
 */
export function reviewView(
  input: ReviewInput,
  found: Found | undefined,
  fields: readonly FieldSpec[] = [],
): ReviewView {
  const who = found ? whoIs(found.user) : "the user";
  const back: ReviewRow = {
    kind: "action",
    answer: "back",
    label: "$(arrow-left) Back",
    description: "change an answer",
  };
  if (input.kind === "invalid") {
    return {
      title: `${TITLE}: some answers need fixing`,
      placeholder: "Go back to fix them; nothing was sent",
      rows: [
        back,
        ...lines(
          "Problems",
          fieldErrorLines(input.errors).map((l) => vscodeWording(l, fields)),
          "$(error) ",
        ),
      ],
    };
  }
  if (input.kind === "problems") {
    const error = input.error;
    const problems = error.problems?.length
      ? fieldErrorLines(error.problems)
      : [errorMessage(error), ...errorDetailLines(error)];
    const rows: ReviewRow[] = [];
    if (input.creatable) {
      rows.push({
        kind: "action",
        answer: "create",
        label: "$(add) Create missing attributes and review again",
        description: "nothing is written before you confirm",
      });
    }
    rows.push(
      back,
      ...lines(
        "Problems",
        problems.map((l) => vscodeWording(l, fields)),
        "$(error) ",
      ),
    );
    if (error.problems?.length && error.hint) rows.push(...lines("What to do", [vscodeWording(error.hint, fields)]));
    return {
      title: `${TITLE}: the update to ${who} cannot be made as it is`,
      placeholder: `${plural(error.problems?.length || 1, "problem")}: nothing was written. Go back to fix ${error.problems?.length === 1 ? "it" : "them"}.`,
      rows,
    };
  }
  const plan = input.plan;
  const changes = plan.changes.map(changeLine);
  const changeRows: ReviewRow[] = [{ kind: "separator", label: "Current -> new" }];
  for (const c of changes) {
    if (c.label.length + c.text.length + 2 <= REVIEW_WIDTH)
      changeRows.push({ kind: "line", label: c.label, description: c.text });
    else {
      changeRows.push({ kind: "line", label: c.label });
      for (const part of wrap(c.text, REVIEW_WIDTH - 4)) changeRows.push({ kind: "line", label: `$(blank) ${part}` });
    }
  }
  if (changes.length === 0) changeRows.push({ kind: "line", label: "(no field changes)" });
  const writes = plan.calls.filter((c) => c.phase === "write");
  const calls = orderCalls(plan.calls).map((c) => callLine(c));
  const notes = plan.notes.map((n) => vscodeWording(n, fields));
  if (plan.unchanged) {
    const message = notes.find((n) => n.startsWith("Nothing to change")) ?? "Nothing to change: nothing is written.";
    return {
      title: `${TITLE}: nothing to change for ${who}`,
      placeholder: "Nothing would change; go back to change an answer",
      rows: [
        back,
        ...lines("Nothing to change", [message], "$(info) "),
        ...changeRows,
        ...lines(
          "Notes",
          notes.filter((n) => n !== message),
          "$(info) ",
        ),
      ],
    };
  }
  const summary = `${plural(writes.length, "write")}; ${planSummary(plan)} in all`;
  return {
    title: `${TITLE}: review the change to ${who}`,
    placeholder: "Confirm to update the user, or go back to change an answer",
    rows: [
      { kind: "action", answer: "confirm", label: "$(check) Update the user", description: summary },
      back,
      ...changeRows,
      ...lines("Calls", calls),
      ...(notes.length > 0 ? lines("Notes", notes, "$(info) ") : []),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Results and notifications

/** The result document: the full user record, every output field, stable key order. */
export function resultDocument(user: UpdateUserOutput): string {
  return `${JSON.stringify(user, null, 2)}\n`;
}

/** The result tab's name, after the user: "Joe Example (intercom user).json". No path separators, no controls. */
export function resultName(user: Pick<UpdateUserOutput, "name" | "email" | "user_id" | "id">): string {
  const who = user.name || user.email || (user.user_id ? `user ${user.user_id}` : user.id);
  const safe = escapeControl(who).replace(/[/\\]/g, "_").slice(0, 80).trim() || user.id;
  return `${safe} (intercom user).json`;
}

/**
 * The notification after an update: the domain's outcome line, the company's values as set, and the notes the review
 * did not already show (`reviewed`: the plan's notes, said before the write).
 */
export function successMessage(
  result: Extract<UpdateUserResult, { ok: true }>,
  fields: readonly FieldSpec[] = [],
  reviewed: readonly string[] = [],
): string {
  const company = result.changes
    .filter((c) => c.key === "companyId" || c.key === "companyName" || c.key === "companyMonthlySpend")
    .map((c) => `${escapeControl(c.label)}: ${escapeControl(c.next)}`);
  const parts = [outcomeLine(result)];
  if (company.length > 0) parts.push(`${company.join(", ")}.`);
  for (const note of result.notes.filter((n) => !reviewed.includes(n))) {
    const text = vscodeWording(escapeControl(note.trim()), fields);
    if (text !== "") parts.push(text.endsWith(".") ? text : `${text}.`);
  }
  return parts.join(" ");
}

export const NO_TOKEN_MESSAGE =
  "No Intercom access token is set. Set one (it is kept in VS Code's secret storage), or try everything against the built-in sandbox.";

export const NO_RESULT_MESSAGE = "No user was updated in this window yet: run Intercom: Update User first.";

/** After "Start Sandbox": where it runs and a user to try. */
export function sandboxStartedMessage(url: string, example: { externalId: string; name: string }): string {
  return `Intercom sandbox running at ${url} (in memory, until this window reloads or you set or clear the access token). Intercom: Update User now talks to it; try User ID ${example.externalId} (${example.name}).`;
}

/** Where Update User goes: the back end's label, or that a setting must be fixed first. */
export function targetText(backend: BackendInfo | UpdateUserError | undefined): string {
  if (!backend) return "Intercom";
  if ("kind" in backend && "message" in backend)
    return `Intercom once the settings are fixed (${failureText(backend)})`;
  const info = backend as BackendInfo;
  return info.kind === "custom" ? `${info.label} (${SETTING_NAMES.baseUrl})` : info.label;
}

const SANDBOX_STOPPED = "The in-host sandbox was stopped; Intercom: Start Sandbox starts a fresh one.";

/** After "Set Access Token": where calls go now, and whether the sandbox was stopped for it. */
export function tokenSavedMessage(target: BackendInfo | UpdateUserError | undefined, sandboxStopped: boolean): string {
  const main = `Intercom access token saved in VS Code's secret storage. Intercom: Update User now talks to ${targetText(target)}.`;
  return sandboxStopped ? `${main} ${SANDBOX_STOPPED}` : main;
}

/** After "Clear Access Token". */
export function tokenClearedMessage(sandboxStopped: boolean): string {
  const main = "Intercom access token removed from VS Code's secret storage.";
  return sandboxStopped ? `${main} ${SANDBOX_STOPPED}` : main;
}

export type TokenCheck = { ok: true } | { ok: false; error: UpdateUserError; rejected: boolean };

/** What the token check found, in one sentence and what to do. */
export function tokenCheckMessage(check: TokenCheck, backend: BackendInfo): string {
  const where = backendName(backend);
  if (check.ok) return `${where} accepted the access token.`;
  if (check.rejected) return `${where} did not accept the access token: ${failureText(check.error)}`;
  return `Could not check the access token with ${where}: ${failureText(check.error)}`;
}
