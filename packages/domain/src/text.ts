/**
 * Every sentence the frontends show about an update: errors, field errors, changes, plans, outcomes and the user
 * record. The apps lay these out (Ink, VS Code, MCP, plain text); none of them words anything itself.
 *
 * Data is not code: every value that came from Intercom, a file or a person goes through {@link escapeControl} in
 * the text helpers here, so a name holding terminal escapes is shown, never executed. JSON output stays exact.
 */
import type { Contact } from "@intercom-kit/core";
import { attributesToText } from "./attributes.js";
import { currentProperty } from "./plan.js";
import type {
  AppliedStep,
  Candidate,
  CustomAttributeValue,
  FieldChange,
  FieldError,
  FieldSpec,
  PlannedCall,
  PreparedUpdate,
  UpdatePlan,
  UpdateUserError,
  UpdateUserOutput,
  UpdateUserResult,
} from "./types.js";
import { showTime } from "./values.js";

const ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e" };
/**
 * C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text (bidi overrides and
 * isolates, zero-width joiners are left alone), line and paragraph separators.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g;

/** Text safe to print on a terminal or in a notification: control characters shown as escapes (`\e`, `\x07`, `\u202e`). */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (ch) => {
    const known = ESCAPES[ch];
    if (known) return known;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** Shown for a value that is not set. */
export const NONE = "–";

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Unix seconds as a UTC date a person reads at a glance (the raw number stays in JSON). */
export function formatTimestamp(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return NONE;
  const iso = new Date(seconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** Any value as display text, escaped. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return NONE;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return escapeControl(value);
  if (typeof value === "number") return String(value);
  return escapeControl(JSON.stringify(value));
}

/** The name a person recognises the user by: "Joe Example <joe@example.com>". */
export function whoIs(user: Pick<UpdateUserOutput, "name" | "email" | "user_id" | "id">): string {
  const main = user.name ?? user.email ?? (user.user_id === null ? null : `user ${user.user_id}`) ?? user.id;
  return escapeControl(user.name !== null && user.email !== null ? `${main} <${user.email}>` : main);
}

/**
 * A field's value as the user has it now, for a form that looked the user up ("Current: Joe Example"): text, null
 * when it is not set, undefined when the lookup does not say (a company's name before the company is chosen, a list
 * that could not be read). Escaped like every value shown; times as in the review, true/false as the field's choice.
 */
export function currentFieldText(
  field: FieldSpec,
  found: { user: UpdateUserOutput; contact?: Contact | null },
): string | null | undefined {
  const { user } = found;
  const contact = found.contact ?? null;
  const blank = (v: unknown) => v === null || v === undefined || v === "";
  if (field.contactProperty) {
    if (!contact || !Object.hasOwn(contact, field.contactProperty)) return undefined;
    const value = currentProperty(contact, field.contactProperty);
    if (blank(value)) return null;
    if (field.kind === "time" && typeof value === "number") return showTime(value);
    if (typeof value === "boolean") {
      const choice = field.choices?.find((c) => c.value === String(value));
      return choice ? escapeControl(choice.label) : formatValue(value);
    }
    return formatValue(value);
  }
  switch (field.key) {
    case "owner":
      return blank(user.owner_id) ? null : escapeControl(`admin ${user.owner_id}`);
    case "intercomCompanyId":
    case "companyId": {
      if (user.incomplete?.includes("companies")) return undefined;
      const list = user.companies?.companies ?? [];
      if (list.length === 0) return null;
      const id = (c: (typeof list)[number]) => (field.key === "companyId" ? (c.company_id ?? c.id) : c.id);
      return escapeControl(list.map((c) => `${id(c)}${c.name ? ` (${c.name})` : ""}`).join(", "));
    }
    case "customAttributes": {
      const values = Object.entries(user.custom_attributes ?? {}).filter((e): e is [string, CustomAttributeValue] =>
        ["string", "number", "boolean"].includes(typeof e[1]),
      );
      return values.length === 0 ? null : escapeControl(attributesToText(Object.fromEntries(values)));
    }
    case "tags":
    case "untags": {
      if (user.incomplete?.includes("tags")) return undefined;
      const names = (user.tags?.tags ?? []).map((t) => t.name ?? t.id);
      return names.length === 0 ? null : escapeControl(names.join("; "));
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Changes and plans

export interface ChangeLine {
  label: string;
  current: string;
  next: string;
  changed: boolean;
  /** "Joe -> Joe Example", "Joe (unchanged)", "(unknown) -> 155". */
  text: string;
}

/** One review line: the current value against the new one, "(not set)" and "(unknown)" said as such. */
export function changeLine(change: FieldChange): ChangeLine {
  const current =
    change.current === undefined
      ? "(unknown)"
      : change.current === null || change.current === ""
        ? "(not set)"
        : escapeControl(change.current);
  const next = escapeControl(change.next);
  const label = escapeControl(change.label);
  const text = change.changed ? `${current} -> ${next}` : `${next} (unchanged, not sent)`;
  return { label, current, next, changed: change.changed, text };
}

/** "  Name   Joe -> Joe Example" lines, aligned. */
export function changeLines(changes: readonly FieldChange[]): string[] {
  if (changes.length === 0) return ["(no field changes)"];
  const lines = changes.map(changeLine);
  const width = Math.max(...lines.map((l) => l.label.length));
  return lines.map((l) => `${l.label.padEnd(width)}  ${l.text}`);
}

/** Calls in the order they can run: each after the ones it waits for. */
export function orderCalls(calls: readonly PlannedCall[]): PlannedCall[] {
  const done = new Set<string>();
  const ordered: PlannedCall[] = [];
  let remaining = [...calls];
  while (remaining.length > 0) {
    const ready = remaining.filter((c) => c.after.every((a) => done.has(a) || !calls.some((x) => x.id === a)));
    const batch = ready.length > 0 ? ready : remaining.slice(0, 1);
    for (const c of batch) {
      ordered.push(c);
      done.add(c.id);
    }
    remaining = remaining.filter((c) => !batch.includes(c));
  }
  return ordered;
}

/** "PUT /contacts/abc  update the user's fields (name)", and with `bodies` the JSON it sends. */
export function callLine(call: PlannedCall, options: { bodies?: boolean } = {}): string {
  const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : "";
  const body = options.bodies && call.body !== undefined ? `  ${JSON.stringify(call.body)}` : "";
  return escapeControl(`${call.method.padEnd(6)} ${call.path}${query}  ${call.purpose}${body}`);
}

/** "3 calls, 2 round trips". */
export function planSummary(plan: Pick<UpdatePlan, "calls" | "roundTrips">): string {
  return `${plural(plan.calls.length, "call")}, ${plural(plan.roundTrips, "round trip")}`;
}

/**
 * A prepared update as text: the changes (current -> new), the calls still to make with their bodies, the reads
 * already made, and the notes. Dry runs print this; review screens show the same lines.
 */
export function planText(plan: PreparedUpdate, options: { bodies?: boolean } = { bodies: true }): string[] {
  const lines: string[] = [];
  lines.push(`User: ${plan.current ? whoIs(plan.current) : `Intercom ID ${escapeControl(plan.contactId)}`}`);
  lines.push("Changes (current -> new):", ...changeLines(plan.changes).map((l) => `  ${l}`));
  const writes = plan.calls.filter((c) => c.phase === "write");
  if (writes.length === 0) lines.push("Writes: none (nothing differs)");
  lines.push(
    `Calls to make (${planSummary({ calls: plan.calls, roundTrips: plan.roundTrips })} in all, lookup included):`,
  );
  orderCalls(plan.calls).forEach((c, i) => {
    lines.push(`  ${i + 1}. ${callLine(c, options)}`);
  });
  if (plan.lookups.length > 0) {
    lines.push("Already read:");
    for (const c of plan.lookups) lines.push(`  - ${callLine(c)}`);
  }
  for (const note of plan.notes) lines.push(`Note: ${escapeControl(note)}`);
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

export function fieldErrorLines(errors: readonly FieldError[]): string[] {
  return errors.map((e) => `${escapeControl(e.label)}: ${escapeControl(e.message)}`);
}

/** "New email: must be a valid email address", one per line. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return fieldErrorLines(errors).join("\n");
}

export function candidateLine(c: Candidate): string {
  const parts = [
    c.name,
    c.email,
    c.userId === null ? null : `user ID ${c.userId}`,
    c.role === "lead" ? "lead" : null,
  ].filter((p): p is string => p !== null && p !== "");
  return escapeControl(`${c.id}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`);
}

/** The facts under an error's message: each problem, the candidates, what was done and what was not. */
export function errorDetailLines(error: UpdateUserError): string[] {
  const lines: string[] = [];
  const fieldErrors = error.fieldErrors ?? [];
  if (
    fieldErrors.length > 1 ||
    (fieldErrors.length === 1 && !error.message.includes(fieldErrors[0]?.message ?? "\0"))
  ) {
    lines.push(...fieldErrorLines(fieldErrors));
  }
  if (error.candidates?.length) lines.push(...error.candidates.map((c) => `Candidate: ${candidateLine(c)}`));
  else if (error.matches?.length) lines.push(`Matching Intercom IDs: ${escapeControl(error.matches.join(", "))}`);
  if (error.existingContactId && !error.message.includes(error.existingContactId)) {
    lines.push(`Existing contact: ${escapeControl(error.existingContactId)}`);
  }
  if (error.applied?.length) lines.push(`Done: ${escapeControl(error.applied.map((a) => a.summary).join("; "))}`);
  if (error.unknown?.length) lines.push(`May have been done: ${escapeControl(error.unknown.join(", "))}`);
  if (error.notApplied?.length && (error.applied?.length || error.unknown?.length)) {
    lines.push(`Not done: ${escapeControl(error.notApplied.join(", "))}`);
  }
  return lines;
}

/** Several lines for a terminal or a log: the message, the details, the hint, and a request id when Intercom sent one. */
export function formatError(error: UpdateUserError): string {
  const lines = [`Error: ${escapeControl(error.message)}`, ...errorDetailLines(error).map((l) => `  ${l}`)];
  if (error.hint) lines.push(`Hint: ${escapeControl(error.hint)}`);
  if (error.requestId) lines.push(`Request ID: ${escapeControl(error.requestId)}`);
  return lines.join("\n");
}

/** One paragraph for a notification or a tool result: what happened, then what to do about it. */
export function errorMessage(error: Pick<UpdateUserError, "message" | "hint">): string {
  const message = escapeControl(error.message.trim().replace(/\.$/, ""));
  const hint = escapeControl(error.hint.trim());
  return hint === "" ? `${message}.` : `${message}. ${hint.endsWith(".") ? hint : `${hint}.`}`;
}

/** The error as JSON for scripts and agents: every field but the underlying client failure. */
export function errorDocument(error: UpdateUserError): { error: Record<string, unknown> } {
  const { cause: _cause, ...rest } = error;
  return { error: { ...rest, requestId: error.requestId ?? null } };
}

// ---------------------------------------------------------------------------------------------------------------
// Outcomes

/** The first line after an update: "Updated Joe Example <joe@example.com>: user updated (name)." */
export function outcomeLine(result: Extract<UpdateUserResult, { ok: true }>): string {
  if (result.outcome === "unchanged")
    return `Nothing to change: ${whoIs(result.user)} already has every value given; nothing was written.`;
  const what = appliedSummary(result.applied);
  return `Updated ${whoIs(result.user)}${what ? `: ${what}` : ""}.`;
}

export function appliedSummary(applied: readonly AppliedStep[]): string {
  return escapeControl(
    applied
      .map((a) => `${a.summary}${a.verified ? " (confirmed by reading back)" : ""}`)
      .filter((s) => s !== "")
      .join(", "),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The user record

export interface OutputRow {
  label: string;
  value: string;
}

export interface OutputSection {
  title: string;
  rows: OutputRow[];
}

function row(label: string, value: unknown): OutputRow {
  return { label: escapeControl(label), value: formatValue(value) };
}

function dateRow(label: string, seconds: number | null): OutputRow {
  return { label, value: formatTimestamp(seconds) };
}

/** Every output field with its label (the seed's names), grouped the way a person scans a user record. */
export function userSections(user: UpdateUserOutput): OutputSection[] {
  const companies = user.companies?.companies ?? [];
  const socials = user.social_profiles?.social_profiles ?? [];
  const tags = user.tags?.tags ?? [];
  const segments = user.segments?.segments ?? [];
  const loc = user.location_data;
  const custom = Object.entries(user.custom_attributes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const sections: OutputSection[] = [
    {
      title: "Identity",
      rows: [
        row("Type", user.type),
        row("ID", user.id),
        row("User ID", user.user_id),
        row("Name", user.name),
        row("Email", user.email),
        row("Phone", user.phone),
        row("Anonymous", user.anonymous),
        row("Pseudonym", user.pseudonym),
        row("Avatar type", user.avatar?.type),
        row("Avatar image URL", user.avatar?.image_url),
        row("App ID", user.app_id),
        row("Owner ID", user.owner_id),
        ...(user.merged_from ? [row("Merged from", user.merged_from)] : []),
      ],
    },
    {
      title: "Email status",
      rows: [
        row("Unsubscribed from emails", user.unsubscribed_from_emails),
        row("Marked email as spam", user.marked_email_as_spam),
        row("Has hard bounced", user.has_hard_bounced),
        row("Do not track", user.do_not_track),
      ],
    },
    {
      title: "Companies",
      rows: [
        row("Type", user.companies?.type),
        row("List size", companies.length),
        ...companies.flatMap((c, index) => [
          row(`#${index + 1} Company name`, c.name),
          row("   Company ID", c.company_id),
          row("   ID", c.id),
          row("   Type", c.type),
        ]),
      ],
    },
    {
      title: "Location",
      rows: [
        row("Type", loc?.type),
        row("City name", loc?.city_name),
        row("Region name", loc?.region_name),
        row("Postal code", loc?.postal_code),
        row("Country name", loc?.country_name),
        row("Country code", loc?.country_code),
        row("Continent code", loc?.continent_code),
        row("Timezone", loc?.timezone),
        row("Latitude", loc?.latitude),
        row("Longitude", loc?.longitude),
      ],
    },
    {
      title: "Social profiles",
      rows: [
        row("Type", user.social_profiles?.type),
        row("List size", socials.length),
        ...socials.flatMap((p, index) => [
          row(`#${index + 1} Name`, p.name),
          row("   Username", p.username),
          row("   URL", p.url),
          row("   ID", p.id),
          row("   Type", p.type),
        ]),
      ],
    },
    {
      title: "Tags",
      rows: [
        row("Type", user.tags?.type),
        row("List size", tags.length),
        ...tags.map((t, index) => ({
          label: `#${index + 1}`,
          value: `${formatValue(t.name)} · ID ${formatValue(t.id)}`,
        })),
      ],
    },
    {
      title: "Segments",
      rows: [
        row("Type", user.segments?.type),
        row("List size", segments.length),
        ...segments.map((t, index) => ({
          label: `#${index + 1}`,
          value: `${formatValue(t.name)} · ID ${formatValue(t.id)}`,
        })),
      ],
    },
    {
      title: `Custom attributes (${custom.length})`,
      rows: custom.length === 0 ? [{ label: "Count", value: "0" }] : custom.map(([key, value]) => row(key, value)),
    },
    {
      title: "UTM",
      rows: [
        row("Utm campaign", user.utm_campaign),
        row("Utm content", user.utm_content),
        row("Utm medium", user.utm_medium),
        row("Utm source", user.utm_source),
        row("Utm term", user.utm_term),
      ],
    },
    {
      title: "Activity and timestamps",
      rows: [
        dateRow("Created at", user.created_at),
        dateRow("Signed up at", user.signed_up_at),
        dateRow("Remote created at", user.remote_created_at),
        dateRow("Updated at", user.updated_at),
        dateRow("Last request at", user.last_request_at),
        row("Session Count", user.session_count),
        row("Last Seen IP", user.last_seen_ip),
        row("User Agent Data", user.user_agent_data),
        row("Referrer", user.referrer),
      ],
    },
  ];
  if (user.incomplete?.length) {
    sections.push({ title: "Not read", rows: [row("Could not be read", user.incomplete.join(", "))] });
  }
  return sections;
}

/** Sections as plain lines: a title, then aligned `label  value` rows. */
export function sectionsToLines(sections: readonly OutputSection[]): string[] {
  const width = Math.max(...sections.flatMap((s) => s.rows.map((r) => r.label.length)), 0);
  const lines: string[] = [];
  for (const section of sections) {
    lines.push(section.title);
    for (const r of section.rows) lines.push(`  ${r.label.padEnd(width)}  ${r.value}`);
  }
  return lines;
}

export function formatUserText(user: UpdateUserOutput): string {
  return sectionsToLines(userSections(user)).join("\n");
}
