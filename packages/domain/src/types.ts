/**
 * The public shapes of the "Update user" action. Frontends (terminal, VS Code, agents, bulk, library users) code
 * against these. Implementations live beside this file; this file holds no logic.
 */
import type { Contact, IntercomClient, IntercomFailure, RateLimitInfo } from "@intercom-kit/core";

/** How the user is found: exactly one of these keys is set in a valid input. */
export type IdentifyBy = "userId" | "intercomId" | "lookupEmail";

export type CustomAttributeValue = string | number | boolean;

/** The data types Intercom knows for custom attributes (`options` is a list attribute). */
export type AttributeDataType = "string" | "integer" | "float" | "boolean" | "date";

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
  /** API 2.16 and later: whether the new email is verified (sent together with `email`, as 2.16 requires). */
  emailVerified?: boolean;
  phone?: string;
  /** true = unsubscribed, false = subscribed (sent as false), undefined = unchanged. */
  unsubscribedFromEmails?: boolean;
  /** A new user ID (`external_id`): give a lead a user ID, or change it. */
  externalId?: string;
  /** Only "user": a lead becomes a user. Intercom cannot turn a user into a lead. */
  role?: "user";
  /** An image URL. */
  avatar?: string;
  /** Unix seconds. */
  signedUpAt?: number;
  /** Unix seconds. */
  lastSeenAt?: number;
  /** The owner: an admin's email or id, resolved against the workspace's admins. */
  owner?: string;
  intercomCompanyId?: string;
  companyId?: string;
  companyName?: string;
  companyMonthlySpend?: number;
  /**
   * Custom attributes. Text values are typed from the workspace's definition of each attribute before sending
   * (`"3"` is 3 for an integer attribute and "3" for a string one).
   */
  customAttributes?: Record<string, CustomAttributeValue>;
  /** Data types for attributes that may be created (`name:type=value`); used only with createMissingAttributes. */
  attributeTypes?: Record<string, AttributeDataType>;
  /** Tag names to add (missing tags are created). */
  tags?: string[];
  /** Tag names to remove. */
  untags?: string[];
  /** Restore an archived contact before the update (needs Intercom ID: archived contacts cannot be searched). */
  unarchive?: boolean;
  /** Archive the contact after the update. */
  archive?: boolean;
}

/** Raw input as frontends collect it: strings from forms, flags and CSV cells, or typed values from code. */
export type RawUpdateUserInput = {
  [K in keyof UpdateUserInput]?: UpdateUserInput[K] | string | string[] | null;
};

export type FieldKey = keyof UpdateUserInput;

export type FieldKind =
  | "text"
  | "email"
  | "url"
  | "choice"
  | "number"
  | "time"
  | "attributes"
  | "names"
  | "flag"
  | "hidden";

export interface FieldChoice {
  value: string;
  label: string;
}

/** Which part of the contact a field changes; forms ask first which groups to change. */
export type FieldGroup = "identify" | "profile" | "account" | "company" | "attributes" | "tags" | "archive";

export interface FieldGroupSpec {
  group: FieldGroup;
  label: string;
  hint: string;
}

/** One row of the field table that drives validation, every form, the CLI flags, the bulk columns and agent tools. */
export interface FieldSpec {
  key: FieldKey;
  /** Short label, e.g. "User ID". */
  label: string;
  /** One sentence saying what the field means. */
  hint: string;
  kind: FieldKind;
  group: FieldGroup;
  /** CLI flag name without dashes (also the CSV/NDJSON column name), e.g. "user-id". */
  flag: string;
  /** For kind "choice". */
  choices?: FieldChoice[];
  /** Human-readable rules, e.g. ["a valid email address", "at most 255 characters"]. */
  rules: string[];
  /** Placeholder/example value for forms and help. */
  example?: string;
  /** The flag may be given more than once (attributes, tags); in a bulk cell, values are separated by ";". */
  repeatable?: boolean;
  /** Fields this one needs (e.g. Company name needs Company ID). */
  requires?: FieldKey[];
  /** Fields this one cannot be given with. */
  excludes?: FieldKey[];
  /** The oldest API version that has this field, when not every 2.x version does (e.g. "2.16"). */
  sinceVersion?: string;
  /**
   * The contact property `PUT /contacts/{id}` sets from this field, for fields sent as they are (e.g. "phone"). A new
   * field of that sort needs only its row here: validation, the plan, the diff and every form follow.
   */
  contactProperty?: string;
}

export interface FieldError {
  /** The field key (or "input" for errors about the whole input, e.g. no identifier). */
  field: FieldKey | "input";
  /** The field's label, for messages. */
  label: string;
  /** What is wrong, e.g. "must be a valid email address". */
  message: string;
}

export type ValidationResult = { ok: true; input: UpdateUserInput } | { ok: false; errors: FieldError[] };

/** What a call is for. Lookup calls read (and never write); writes change Intercom; output calls read for the result. */
export type CallKind =
  | "find"
  | "search"
  | "get"
  | "check-email"
  | "check-user-id"
  | "check-company"
  | "find-company"
  | "data-attributes"
  | "workspace-tags"
  | "admins"
  | "unarchive"
  | "create-attribute"
  | "create-tag"
  | "company"
  | "update"
  | "attach"
  | "tag"
  | "untag"
  | "archive"
  | "companies"
  | "tags"
  | "segments"
  | "read-back";

export type CallPhase = "lookup" | "write" | "output";

/** One HTTP call of the action (no token, no host). */
export interface PlannedCall {
  /** Unique within a plan: the kind, or `kind:name` when a kind repeats (tags, attributes). */
  id: string;
  kind: CallKind;
  phase: CallPhase;
  method: "GET" | "PUT" | "POST" | "DELETE";
  /** The path as sent; `{contact_id}`-style placeholders stand for ids an earlier call answers with. */
  path: string;
  /** The path's parameters by name (e.g. contact_id), placeholders included. */
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Why this call is made, in a few words (a sentence fragment, lower case). */
  purpose: string;
  /** Ids of calls that must finish first. */
  after: string[];
}

/** The calls of an update before anything is known about the user: for dry runs without a network and round trips. */
export interface UpdatePlan {
  identifyBy: IdentifyBy;
  calls: PlannedCall[];
  /** Round trips on the critical path. */
  roundTrips: number;
  /** Notes for the person, e.g. "monthly spend 155.98 is stored as 155". */
  notes: string[];
}

/** A call's id, as `onStep` and `applied` name it. */
export type Step = string;

export interface AppliedStep {
  step: Step;
  kind: CallKind;
  /** What changed, e.g. "user updated (name)", "company 366 created", "tag VIP added". */
  summary: string;
  /** True when the answer was lost and a read-back showed the change was made. */
  verified?: boolean;
}

export type ErrorKind =
  | "invalid_input"
  | "not_found"
  | "ambiguous"
  | "unauthorized"
  | "forbidden"
  | "conflict"
  | "stale"
  | "rate_limited"
  | "intercom_error"
  | "network"
  | "timeout"
  | "partial"
  | "unknown"
  | "aborted";

/** One thing the pre-flight found that the person can fix; all of them are reported together. */
export interface Problem {
  kind: "not_found" | "conflict" | "invalid_input";
  /** The field it is about. */
  field: FieldKey | "input";
  label: string;
  message: string;
  /** An unknown custom attribute that preparing again with `createMissingAttributes` would create. */
  creatable?: boolean;
}

/** A contact matching an ambiguous lookup, so a person or an agent can pick one. */
export interface Candidate {
  id: string;
  userId: string | null;
  email: string | null;
  name: string | null;
  role: string | null;
}

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
  /** Everything validation or the pre-flight found (the message names the first). */
  problems?: Problem[];
  /** conflict: the id of the contact that already has the email or user ID. */
  existingContactId?: string;
  /** ambiguous: the ids of every matching contact. */
  matches?: string[];
  /** ambiguous: the matching contacts, to choose from. */
  candidates?: Candidate[];
  /** What was certainly applied before the failure. */
  applied?: AppliedStep[];
  /** Writes certainly not made. */
  notApplied?: Step[];
  /** unknown: writes whose answer was lost and could not be read back; they may have been applied. */
  unknown?: Step[];
  rateLimit?: RateLimitInfo;
  /** The call whose failure this is. */
  failedStep?: Step;
  /** partial/unknown: the kind the failed call's error would have had on its own. */
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
  /**
   * Set when the identifier named a contact that was merged into this one: the merged contact's Intercom ID when it
   * was given by Intercom ID, else the identifier as given (e.g. "user ID 25").
   */
  merged_from?: string;
  /** Parts of the record that could not be read (the update itself was applied). */
  incomplete?: string[];
}

/** One line of a review: the current value against the new one. */
export interface FieldChange {
  key: FieldKey;
  label: string;
  /** Shown text of the current value; null when it is not set, undefined when it is not known. */
  current: string | null | undefined;
  next: string;
  /** False when the current value already is the new one: nothing is sent for it. */
  changed: boolean;
}

/**
 * An update after the lookup and the pre-flight: who, what changes, and exactly the calls `applyUpdate` will make.
 * Plain data (JSON-safe), so a review screen or an agent can show it and apply exactly it.
 */
export interface PreparedUpdate {
  input: UpdateUserInput;
  apiVersion: string;
  identifyBy: IdentifyBy;
  /** The contact to change. */
  contactId: string;
  /** The user as the lookup read them; null when no read was needed (Intercom ID with nothing to check). */
  current: UpdateUserOutput | null;
  /** `updated_at` of the contact as read, to notice changes made elsewhere before applying. */
  currentUpdatedAt: number | null;
  /** The contact as Intercom answered the lookup (null when not read). */
  contact: Contact | null;
  /** Every value the input sets, with its current value. */
  changes: FieldChange[];
  /** The reads already made (lookup and checks). */
  lookups: PlannedCall[];
  /** The calls `applyUpdate` will make: writes, then reads for the output. */
  calls: PlannedCall[];
  /** Round trips of the whole update: the lookup's plus the remaining calls' critical path. */
  roundTrips: number;
  notes: string[];
  /** No write is needed: everything already has the wanted value. */
  unchanged: boolean;
  /** The Intercom ID of a merged contact the identifier pointed at (this update goes to the one it was merged into). */
  mergedFrom?: string;
}

export type PrepareResult = { ok: true; plan: PreparedUpdate } | { ok: false; error: UpdateUserError };

/** How much of the user to read back for the result. */
export type OutputMode =
  /** The full record: companies with names, tags with names, segments (reads beside the writes, no extra round trip). */
  | "full"
  /** From the write's own answer (or the lookup's contact): ids without names, no segments; no extra calls. */
  | "contact";

export type UpdateUserResult =
  | {
      ok: true;
      /** applied: every planned write was made; unchanged: nothing needed writing, and nothing was written. */
      outcome: "applied" | "unchanged";
      user: UpdateUserOutput;
      applied: AppliedStep[];
      changes: FieldChange[];
      /** Things worth telling the person, e.g. a truncated monthly spend or a merged contact that was followed. */
      notes: string[];
    }
  | { ok: false; error: UpdateUserError };

export interface RunOptions {
  signal?: AbortSignal;
  /** Called when a call starts and ends, for spinners and progress; `label` is the call's purpose as a sentence. */
  onStep?: (event: StepEvent) => void;
}

export interface StepEvent {
  step: Step;
  kind: CallKind;
  phase: CallPhase;
  label: string;
  state: "started" | "done" | "failed" | "skipped";
}

export interface PrepareOptions extends RunOptions {
  /** The contact, when the caller already read it (a review screen): the lookup is skipped if it is the one named. */
  contact?: Contact;
  /** How much of the user the result will hold (default "full"); decides the output reads in the plan. */
  output?: OutputMode;
  /** Create custom attributes that do not exist yet (typed from the value, or `name:type=value`). Default false. */
  createMissingAttributes?: boolean;
  /** Workspace facts to reuse (data attributes, tags, admins, companies); default: one cache per client. */
  cache?: WorkspaceCache;
  /**
   * Read the user even when nothing needs checking (an Intercom ID with plain fields), so the plan shows current
   * values and only what differs is written, and `applyUpdate(plan, { refuseIfChanged })` has an `updated_at` to
   * compare. For plans shown to someone and applied later; costs that read (one round trip) when nothing else is
   * read. Not with Restore from archive: an archived user cannot be read. Default false.
   */
  readCurrent?: boolean;
}

export interface ApplyOptions extends RunOptions {
  /**
   * Re-read the contact first and refuse (`stale`) when it changed since the plan was made (its `updated_at`
   * differs). Costs one round trip; for plans shown to someone and applied later.
   */
  refuseIfChanged?: boolean;
  cache?: WorkspaceCache;
}

export interface UpdateUserOptions extends PrepareOptions, Omit<ApplyOptions, "cache" | "refuseIfChanged"> {}

/** Looking a user up without changing anything (review screens diff against this). */
export type LookupResult =
  | { ok: true; user: UpdateUserOutput; contact: Contact; notes: string[] }
  | { ok: false; error: UpdateUserError };

/** Facts about the workspace worth reading once (per client, or per bulk run). */
export interface WorkspaceCache {
  /** Cached reads by key (e.g. "data-attributes", "tags", "admins", "company:366"). */
  readonly entries: Map<string, Promise<unknown>>;
}

export type { IntercomClient };
