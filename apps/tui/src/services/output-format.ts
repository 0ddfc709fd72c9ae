import type {
  FieldChange,
  FieldError,
  PlannedCall,
  UpdatePlan,
  UpdateUserError,
  UpdateUserOutput,
} from "@intercom-kit/domain";

export interface OutputRow {
  label: string;
  value: string;
}

export interface OutputSection {
  title: string;
  rows: OutputRow[];
}

const NONE = "–";

/** Unix seconds as a UTC date a person reads at a glance (the raw number stays in --json). */
export function formatTimestamp(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return NONE;
  const iso = new Date(seconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return NONE;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

function row(label: string, value: unknown): OutputRow {
  return { label, value: formatValue(value) };
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
  return [
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
        ...tags.map((t, index) => row(`#${index + 1}`, `${formatValue(t.name)} · ID ${t.id}`)),
      ],
    },
    {
      title: "Segments",
      rows: [
        row("Type", user.segments?.type),
        row("List size", segments.length),
        ...segments.map((t, index) => row(`#${index + 1}`, `${formatValue(t.name)} · ID ${t.id}`)),
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
}

/** Sections as plain lines: a title, then aligned `label  value` rows. */
export function sectionsToLines(sections: OutputSection[]): string[] {
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

/** Calls in the order they can run: each call after the ones it waits for. */
export function orderCalls(calls: PlannedCall[]): PlannedCall[] {
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

export function formatCall(call: PlannedCall): string {
  const after = call.after.length > 0 ? ` (after ${call.after.join(", ")})` : "";
  return `${call.method.padEnd(4)} ${call.path}  ${call.purpose}${after}`;
}

export function formatChangeLines(changes: FieldChange[]): string[] {
  if (changes.length === 0) return ["  (no field changes)"];
  const width = Math.max(...changes.map((c) => c.label.length));
  return changes.map((c) => `  ${c.label.padEnd(width)}  ${c.current ?? NONE}  ->  ${c.next}`);
}

export function formatPlanText(plan: UpdatePlan, changes: FieldChange[] | null): string {
  const lines: string[] = [];
  if (changes) {
    lines.push("Changes (current -> new):", ...formatChangeLines(changes));
  }
  lines.push(`Calls (${plan.calls.length}, ${plan.roundTrips} round trips on the critical path):`);
  orderCalls(plan.calls).forEach((call, index) => {
    lines.push(`  ${index + 1}. ${formatCall(call)}`);
  });
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  return lines.join("\n");
}

export function formatFieldErrors(errors: FieldError[]): string[] {
  return errors.map((e) => `  ${e.label}: ${e.message}`);
}

export function formatErrorText(error: UpdateUserError): string {
  const lines = [`Error: ${error.message}`];
  if (error.fieldErrors && error.fieldErrors.length > 0) lines.push(...formatFieldErrors(error.fieldErrors));
  if (error.matches && error.matches.length > 0) lines.push(`  Matching users: ${error.matches.join(", ")}`);
  if (error.existingContactId) lines.push(`  Existing user with that email: ${error.existingContactId}`);
  if (error.applied && error.applied.length > 0) {
    lines.push(`  Applied: ${error.applied.map((a) => a.summary).join("; ")}`);
  }
  if (error.notApplied && error.notApplied.length > 0) lines.push(`  Not applied: ${error.notApplied.join(", ")}`);
  if (error.hint) lines.push(`Hint: ${error.hint}`);
  lines.push(`Request id: ${error.requestId ?? "none"}`);
  return lines.join("\n");
}

/** The `{ "error": {...} }` document for --json: everything a script needs, without the underlying failure object. */
export function errorDocument(error: UpdateUserError): { error: Record<string, unknown> } {
  const { cause: _cause, ...rest } = error;
  return { error: { ...rest, requestId: error.requestId ?? null } };
}
