/** Every sentence the extension shows or logs, as plain functions (no `vscode`), so wording is tested once. */
import type {
  AppliedStep,
  FieldChange,
  FieldChoice,
  FieldError,
  FieldSpec,
  RequestEvent,
  UpdatePlan,
  UpdateUserError,
  UpdateUserOutput,
} from "@intercom-kit/domain";
import { REGION_BASE_URLS } from "@intercom-kit/domain";
import type { ConnectionResult } from "./config.js";
import type { PickItem } from "./steps.js";

/** The input box prompt: the field's hint and, for optional fields, what empty means. */
export function promptFor(field: FieldSpec, required: boolean): string {
  const rules = field.rules.filter((r) => !r.startsWith("give exactly one of"));
  const base = `${field.label}: ${field.hint.replace(/\.$/, "")}`;
  const withRules = rules.length > 0 ? `${base} (${rules.join("; ")}).` : `${base}.`;
  return required ? withRules : `${withRules} Leave empty to keep it unchanged.`;
}

export function placeholderFor(field: FieldSpec): string {
  return field.example === undefined ? field.label : `e.g. ${field.example}`;
}

export function identifyItems(fields: readonly FieldSpec[]): PickItem[] {
  return fields.map((f) => ({ value: f.key, label: f.label, detail: f.hint }));
}

/** Choices as the table orders them; an empty value is shown as "leave unchanged". */
export function choiceItems(choices: readonly FieldChoice[]): PickItem[] {
  return choices.map((c) => ({
    value: c.value,
    label: c.label,
    ...(c.value === "" ? { detail: "Keep the current setting" } : {}),
  }));
}

/** "Name: Jane Roe → Jane Doe" lines for the review. */
export function changeLine(change: FieldChange): { label: string; description: string } {
  if (change.current === change.next) return { label: change.label, description: `${change.next} (no change)` };
  const current = change.current === null || change.current === "" ? "(none)" : change.current;
  return { label: change.label, description: `${current} → ${change.next}` };
}

/** "PUT /contacts/{contact_id}: update the user's fields" lines for the review. */
export function planLines(plan: UpdatePlan): string[] {
  return plan.calls.map((c) => `${c.method} ${c.path}: ${c.purpose}`);
}

export function planSummary(plan: UpdatePlan): string {
  const calls = plan.calls.length;
  return `${calls} call${calls === 1 ? "" : "s"}, ${plan.roundTrips} round trip${plan.roundTrips === 1 ? "" : "s"} on the critical path`;
}

export function fieldErrorLines(errors: readonly FieldError[]): string[] {
  return errors.map((e) => `${e.label}: ${e.message}`);
}

/** The name a person recognises the user by. */
export function whoIs(user: Pick<UpdateUserOutput, "name" | "email" | "user_id" | "id">): string {
  const main = user.name ?? user.email ?? (user.user_id === null ? null : `user ${user.user_id}`) ?? user.id;
  return user.name !== null && user.email !== null ? `${main} <${user.email}>` : main;
}

/** The notification after a successful update. */
export function successMessage(
  user: UpdateUserOutput,
  applied: readonly AppliedStep[],
  notes: readonly string[] = [],
): string {
  const what = applied.map((a) => a.summary).filter((s) => s !== "");
  const main = `Updated ${whoIs(user)}${what.length > 0 ? `: ${what.join(", ")}` : ""}.`;
  const extra = notes.map((n) => n.trim()).filter((n) => n !== "");
  return extra.length > 0 ? `${main} ${extra.map((n) => (n.endsWith(".") ? n : `${n}.`)).join(" ")}` : main;
}

/** The notification for a failure: what happened, then what to do about it. */
export function errorMessage(error: Pick<UpdateUserError, "message" | "hint">): string {
  const message = error.message.trim().replace(/\.$/, "");
  const hint = error.hint.trim();
  return hint === "" ? `${message}.` : `${message}. ${hint.endsWith(".") ? hint : `${hint}.`}`;
}

/** Everything about a failure worth a log line (never the token or request bodies: the domain's error holds neither). */
export function errorDetails(error: UpdateUserError): string[] {
  const lines = [`failed: ${error.kind}: ${error.message}`];
  if (error.hint) lines.push(`hint: ${error.hint}`);
  if (error.status !== undefined) lines.push(`status: ${error.status}`);
  if (error.requestId) lines.push(`request id: ${error.requestId}`);
  if (error.codes && error.codes.length > 0) lines.push(`codes: ${error.codes.join(", ")}`);
  for (const e of error.fieldErrors ?? []) lines.push(`field ${e.label}: ${e.message}`);
  if (error.matches && error.matches.length > 0) lines.push(`matching contacts: ${error.matches.join(", ")}`);
  if (error.existingContactId) lines.push(`existing contact: ${error.existingContactId}`);
  for (const a of error.applied ?? []) lines.push(`applied before the failure: ${a.summary}`);
  if (error.notApplied && error.notApplied.length > 0) lines.push(`not applied: ${error.notApplied.join(", ")}`);
  return lines;
}

/** One log line per HTTP attempt, from the client's onEvent: method, path, status, request id, timing. */
export function requestLine(event: RequestEvent): string {
  const status = event.status === null ? "no response" : String(event.status);
  const parts = [`${event.method} ${event.path} → ${status}`, `${Math.round(event.durationMs)} ms`];
  if (event.requestId) parts.push(`request id ${event.requestId}`);
  if (event.attempt > 1) parts.push(`attempt ${event.attempt}`);
  if (event.outcome === "retry") parts.push(`retrying in ${Math.round(event.delayMs ?? 0)} ms`);
  if (event.outcome === "failed") parts.push("gave up");
  return parts.join(", ");
}

/** The result document: the full user record, every output field, stable key order. */
export function resultDocument(user: UpdateUserOutput): string {
  return `${JSON.stringify(user, null, 2)}\n`;
}

/** A file name for the result document, e.g. "intercom-user-6571a2.json". */
export function resultName(user: Pick<UpdateUserOutput, "id">, sequence: number): string {
  const safe = user.id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 60);
  return `intercom-user-${safe}${sequence > 1 ? `-${sequence}` : ""}.json`;
}

export const NO_TOKEN_MESSAGE =
  "No Intercom access token is set. Set one (it is kept in VS Code's secret storage), or try everything against the built-in sandbox.";

/** After "Start Sandbox": where it runs and a user to try. */
export function sandboxStartedMessage(url: string, example: { externalId: string; name: string }): string {
  return `Intercom sandbox running at ${url} (in memory, until this window reloads or you set or clear the access token). Intercom: Update User now talks to it; try User ID ${example.externalId} (${example.name}).`;
}

/** Where Update User goes without the sandbox: "Intercom (us, https://api.intercom.io)" or the baseUrl setting. */
export function intercomTarget(resolved: ConnectionResult): string {
  if (!resolved.ok) return "Intercom once the settings are fixed";
  const { region, baseUrl } = resolved.connection;
  return baseUrl === undefined
    ? `Intercom (${region}, ${REGION_BASE_URLS[region]})`
    : `Intercom at ${baseUrl} (the intercomKit.baseUrl setting)`;
}

const SANDBOX_STOPPED = "The in-host sandbox was stopped; Intercom: Start Sandbox starts a fresh one.";

/** After "Set Access Token": where calls go now, and whether the sandbox was stopped for it. */
export function tokenSavedMessage(resolved: ConnectionResult, sandboxStopped: boolean): string {
  const main = `Intercom access token saved in VS Code's secret storage. Intercom: Update User now talks to ${intercomTarget(resolved)}.`;
  return sandboxStopped ? `${main} ${SANDBOX_STOPPED}` : main;
}

/** After "Clear Access Token". */
export function tokenClearedMessage(sandboxStopped: boolean): string {
  const main = "Intercom access token removed from VS Code's secret storage.";
  return sandboxStopped ? `${main} ${SANDBOX_STOPPED}` : main;
}
