/**
 * The public shapes of the "Update user" action. Frontends (TUI, VS Code, bulk, library users) code against these.
 * Implementations live beside this file; this file holds no logic.
 */
import type { IntercomClient, IntercomFailure, RateLimitInfo } from "@intercom-kit/core";

/** How the user is found: exactly one of these keys is set in a valid input. */
export type IdentifyBy = "userId" | "intercomId" | "lookupEmail";

export type CustomAttributeValue = string | number | boolean;

/** A validated input (flat, so it maps 1:1 to form fields, CLI flags and CSV columns). */
export interface UpdateUserInput {
  /** The user's own ID (`external_id` in API 2.x). */
  userId?: string;
  /** Intercom's contact id. */
  intercomId?: string;
  /** The user's current email, used only to find them; accepted only when exactly one user has it. */
  lookupEmail?: string;
  name?: string;
  /** The new email address. */
  email?: string;
  phone?: string;
  /** true = unsubscribed, false = subscribed (sent as false), undefined = unchanged. */
  unsubscribedFromEmails?: boolean;
  intercomCompanyId?: string;
  companyId?: string;
  companyName?: string;
  companyMonthlySpend?: number;
  customAttributes?: Record<string, CustomAttributeValue>;
}

/** Raw input as frontends collect it: strings from forms, flags and CSV cells, or typed values from code. */
export type RawUpdateUserInput = {
  [K in keyof UpdateUserInput]?: UpdateUserInput[K] | string | null;
};

export type FieldKind = "text" | "email" | "choice" | "number" | "attributes";

export interface FieldChoice {
  value: string;
  label: string;
}

/** One row of the field table that drives validation, the TUI form, CLI flags, CSV columns and VS Code steps. */
export interface FieldSpec {
  key: keyof UpdateUserInput;
  /** Short label, e.g. "User ID". */
  label: string;
  /** One sentence saying what the field means (from the seed, in our words). */
  hint: string;
  kind: FieldKind;
  /** "identify" fields pick the user; "user" and "company" fields are the changes. */
  group: "identify" | "user" | "company";
  /** CLI flag name without dashes (also the CSV/NDJSON column name), e.g. "user-id". */
  flag: string;
  /** For kind "choice". */
  choices?: FieldChoice[];
  /** Human-readable rules, e.g. ["a valid email address", "at most 255 characters"]. */
  rules: string[];
  /** Placeholder/example value for forms and help. */
  example?: string;
}

export interface FieldError {
  /** The field key (or "input" for errors about the whole input, e.g. no identifier). */
  field: keyof UpdateUserInput | "input";
  /** The field's label, for messages. */
  label: string;
  /** What is wrong, e.g. "must be a valid email address". */
  message: string;
}

export type ValidationResult = { ok: true; input: UpdateUserInput } | { ok: false; errors: FieldError[] };

/** One HTTP call the action will make (no token, no host). */
export interface PlannedCall {
  id: "find" | "search" | "get" | "update" | "company" | "attach" | "companies" | "tags" | "segments";
  method: "GET" | "PUT" | "POST";
  path: string;
  body?: unknown;
  /** Why this call is made, in a few words. */
  purpose: string;
  /** Ids of calls that must finish first. */
  after: PlannedCall["id"][];
}

export interface UpdatePlan {
  identifyBy: IdentifyBy;
  calls: PlannedCall[];
  /** Round trips on the critical path. */
  roundTrips: number;
  /** Notes for the person, e.g. "monthly spend 155.98 will be truncated by Intercom to 155". */
  notes: string[];
}

export type Step = PlannedCall["id"];

export interface AppliedStep {
  step: Step;
  /** What changed, e.g. "contact updated", "company acme upserted", "company attached". */
  summary: string;
}

export type ErrorKind =
  | "invalid_input"
  | "not_found"
  | "ambiguous"
  | "unauthorized"
  | "forbidden"
  | "conflict"
  | "rate_limited"
  | "intercom_error"
  | "network"
  | "timeout"
  | "partial"
  | "aborted";

export interface UpdateUserError {
  kind: ErrorKind;
  /** One line, e.g. "No user has user ID 42". */
  message: string;
  /** What to do about it, e.g. "Check the user ID, or identify the user by Intercom ID". */
  hint: string;
  requestId: string | null;
  status?: number;
  /** Intercom's error codes, when there were any. */
  codes?: string[];
  fieldErrors?: FieldError[];
  /** conflict: the id of the contact that already has the email (parsed from Intercom's message). */
  existingContactId?: string;
  /** ambiguous: the ids of every matching contact. */
  matches?: string[];
  /** partial: what was applied before the failure, and what was not. */
  applied?: AppliedStep[];
  notApplied?: Step[];
  rateLimit?: RateLimitInfo;
  /** The step whose failure this is (for partial: the step that failed after others had applied). */
  failedStep?: Step;
  /** partial: the kind the failed step's error would have had on its own (e.g. "not_found", "rate_limited"). */
  failedKind?: ErrorKind;
  /** The underlying client failure, when there was one. */
  cause?: IntercomFailure;
}

/** The full user record, with the legacy (seed) field names and nesting; values API 2.x lacks are null. */
export interface UpdateUserOutput {
  type: "user";
  id: string;
  user_id: string | null;
  anonymous: boolean;
  email: string | null;
  name: string | null;
  avatar: { type: "avatar"; image_url: string | null };
  app_id: string | null;
  companies: {
    type: "company.list";
    companies: Array<{ type: "company"; company_id: string | null; id: string; name: string | null }>;
  };
  location_data: {
    type: "location_data";
    city_name: string | null;
    continent_code: string | null;
    country_name: string | null;
    latitude: number | null;
    longitude: number | null;
    postal_code: string | null;
    region_name: string | null;
    timezone: string | null;
    country_code: string | null;
  };
  phone: string | null;
  pseudonym: string | null;
  remote_created_at: number | null;
  session_count: number | null;
  owner_id: string | null;
  last_request_at: number | null;
  created_at: number | null;
  signed_up_at: number | null;
  updated_at: number | null;
  unsubscribed_from_emails: boolean | null;
  marked_email_as_spam: boolean | null;
  has_hard_bounced: boolean | null;
  do_not_track: boolean | null;
  referrer: string | null;
  last_seen_ip: string | null;
  user_agent_data: string | null;
  utm_campaign: string | null;
  utm_content: string | null;
  utm_medium: string | null;
  utm_source: string | null;
  utm_term: string | null;
  social_profiles: {
    type: "social_profile.list";
    social_profiles: Array<{
      type: "social_profile";
      id: string | null;
      name: string | null;
      url: string | null;
      username: string | null;
    }>;
  };
  custom_attributes: Record<string, unknown>;
  tags: { type: "tag.list"; tags: Array<{ type: "tag"; id: string; name: string | null }> };
  segments: { type: "segment.list"; segments: Array<{ type: "segment"; id: string; name: string | null }> };
}

export type UpdateUserResult =
  | {
      ok: true;
      user: UpdateUserOutput;
      applied: AppliedStep[];
      /** Things worth telling the person, e.g. a truncated monthly spend or a merged contact that was followed. */
      notes?: string[];
    }
  | { ok: false; error: UpdateUserError };

export interface UpdateUserOptions {
  signal?: AbortSignal;
  /** Called when a step starts, for spinners and progress notifications. */
  onStep?: (step: Step, label: string) => void;
}

/** Looking a user up without changing anything (review screens diff against this). */
export type LookupResult = { ok: true; user: UpdateUserOutput } | { ok: false; error: UpdateUserError };

/** One line of a review: the current value against the new one. */
export interface FieldChange {
  key: keyof UpdateUserInput;
  label: string;
  current: string | null;
  next: string;
}

export type { IntercomClient };
