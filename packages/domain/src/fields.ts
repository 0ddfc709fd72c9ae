import type { FieldGroupSpec, FieldKey, FieldSpec } from "./types.js";
import { versionAtLeast } from "./values.js";

/** Intercom's ceiling for `monthly_spend` (a signed 32-bit integer). */
export const MAX_MONTHLY_SPEND = 2_147_483_647;
/** Legacy Users API rules for custom attributes, which 2.x still enforces. */
export const MAX_ATTRIBUTE_NAME_LENGTH = 190;
export const MAX_ATTRIBUTE_STRING_LENGTH = 255;
export const MAX_ATTRIBUTES = 250;
/** Intercom caps emails and user ids at 255 characters. */
export const MAX_TEXT_LENGTH = 255;
/** Tag names: Intercom's web app caps them well below this; we refuse longer ones before sending. */
export const MAX_TAG_NAME_LENGTH = 190;

/** The field groups, in the order forms offer them; "identify" is always asked. */
export const FIELD_GROUPS: readonly FieldGroupSpec[] = Object.freeze([
  { group: "identify", label: "Find the user", hint: "By user ID, Intercom ID or current email." },
  {
    group: "profile",
    label: "Name, email, phone, subscription",
    hint: "The user's name, email address, phone and email subscription.",
  },
  {
    group: "company",
    label: "Company",
    hint: "Attach the user to a company (created or updated by Company ID).",
  },
  { group: "attributes", label: "Custom attributes", hint: "Your own data attributes on the user." },
  { group: "tags", label: "Tags", hint: "Add or remove tags by name." },
  {
    group: "account",
    label: "User ID, role, owner, avatar, dates",
    hint: "A new user ID, lead to user, the owner, the avatar, sign-up and last-seen times.",
  },
  { group: "archive", label: "Archive or restore", hint: "Restore an archived user first, or archive after." },
] satisfies FieldGroupSpec[]);

const IDENTIFY_RULE = "give exactly one of User ID, Intercom ID or Current email";

/**
 * The one field table. Every frontend (terminal form, CLI flags, CSV/NDJSON columns, VS Code steps, agent tool
 * schemas) is generated from it, and validation names fields by these labels, so the wording cannot drift.
 * Order is the order forms ask in: identify first, then the changes, group by group.
 */
export const FIELDS: readonly FieldSpec[] = Object.freeze([
  {
    key: "userId",
    label: "User ID",
    hint: "Your own identifier for the user (called external_id in Intercom API 2.x).",
    kind: "text",
    group: "identify",
    flag: "user-id",
    rules: ["at most 255 characters", "not . or ..", IDENTIFY_RULE],
    example: "25",
    excludes: ["intercomId", "lookupEmail"],
  },
  {
    key: "intercomId",
    label: "Intercom ID",
    hint: "Intercom's own id for the user (the contact id); the quickest way to find them.",
    kind: "text",
    group: "identify",
    flag: "intercom-id",
    rules: ["no spaces, / ? or #", IDENTIFY_RULE],
    example: "5714dd359a3fd47136000001",
    excludes: ["userId", "lookupEmail"],
  },
  {
    key: "lookupEmail",
    label: "Current email",
    hint: "The user's current email address, used only to find them; it must belong to exactly one user.",
    kind: "email",
    group: "identify",
    flag: "email",
    rules: ["a valid email address", "at most 255 characters", "exactly one user may have it", IDENTIFY_RULE],
    example: "joe@example.com",
    excludes: ["userId", "intercomId"],
  },
  {
    key: "name",
    label: "Name",
    hint: "The user's full name.",
    kind: "text",
    group: "profile",
    flag: "name",
    contactProperty: "name",
    rules: ["at most 255 characters"],
    example: "Joe Example",
  },
  {
    key: "email",
    label: "New email",
    hint: "The email address the user should have from now on.",
    kind: "email",
    group: "profile",
    flag: "new-email",
    contactProperty: "email",
    rules: ["a valid email address", "at most 255 characters", "no other contact may have it already"],
    example: "joe.new@example.com",
  },
  {
    key: "emailVerified",
    label: "Email verified",
    hint: "Whether the new email address is verified (API 2.16 and later; sent together with the new email).",
    kind: "choice",
    group: "profile",
    flag: "email-verified",
    contactProperty: "email_verified",
    choices: [
      { value: "", label: "Leave unchanged" },
      { value: "true", label: "Verified" },
      { value: "false", label: "Not verified" },
    ],
    rules: ["true or false", "needs New email", "API 2.16 or later"],
    example: "true",
    requires: ["email"],
    sinceVersion: "2.16",
  },
  {
    key: "phone",
    label: "Phone",
    hint: "The user's phone number.",
    kind: "text",
    group: "profile",
    flag: "phone",
    contactProperty: "phone",
    rules: ["at most 255 characters"],
    example: "+353 1 555 0100",
  },
  {
    key: "unsubscribedFromEmails",
    label: "Unsubscribed from emails",
    hint: "Whether the user has opted out of email; leave it empty to keep the current setting.",
    kind: "choice",
    group: "profile",
    flag: "unsubscribed",
    contactProperty: "unsubscribed_from_emails",
    choices: [
      { value: "", label: "Leave unchanged" },
      { value: "true", label: "Unsubscribed (no emails)" },
      { value: "false", label: "Subscribed (emails allowed)" },
    ],
    rules: ["true or false (yes/no also accepted); empty leaves it unchanged"],
    example: "false",
  },
  {
    key: "intercomCompanyId",
    label: "Intercom ID of company",
    hint: "Intercom's own id for a company that already exists; the user is attached to it.",
    kind: "text",
    group: "company",
    flag: "company-intercom-id",
    rules: ["no spaces, / ? or #", "not together with Company ID", "the company must already exist"],
    example: "574854e3ecd0c547ae0000e4",
    excludes: ["companyId"],
  },
  {
    key: "companyId",
    label: "Company ID",
    hint: "Your own identifier for the company; it is created or updated, then the user is attached to it.",
    kind: "text",
    group: "company",
    flag: "company-id",
    rules: ["at most 255 characters", "not together with Intercom ID of company"],
    example: "366",
    excludes: ["intercomCompanyId"],
  },
  {
    key: "companyName",
    label: "Company name",
    hint: "The company's name (set on the company given by Company ID).",
    kind: "text",
    group: "company",
    flag: "company-name",
    rules: ["needs Company ID", "at most 255 characters"],
    example: "Serenity",
    requires: ["companyId"],
  },
  {
    key: "companyMonthlySpend",
    label: "Company monthly spend",
    hint: "How much the company pays per month (set on the company given by Company ID).",
    kind: "number",
    group: "company",
    flag: "company-monthly-spend",
    rules: [
      "needs Company ID",
      `a number from 0 to ${MAX_MONTHLY_SPEND}`,
      "Intercom keeps whole numbers only (155.98 becomes 155)",
    ],
    example: "155",
    requires: ["companyId"],
  },
  {
    key: "customAttributes",
    label: "Custom attributes",
    hint: "Your own data attributes on the user, as name=value; each is checked against the workspace's attributes and typed from them.",
    kind: "attributes",
    group: "attributes",
    flag: "attr",
    repeatable: true,
    rules: [
      `names: not empty, no "." or "$", at most ${MAX_ATTRIBUTE_NAME_LENGTH} characters`,
      `values: text (at most ${MAX_ATTRIBUTE_STRING_LENGTH} characters), a number, true/false or a date, as the attribute's type says`,
      "each must exist in the workspace (or be created on request, typed as name:type=value)",
      `at most ${MAX_ATTRIBUTES} attributes`,
    ],
    example: "plan=pro",
  },
  {
    key: "tags",
    label: "Add tags",
    hint: "Tag names to add to the user; a tag that does not exist yet is created.",
    kind: "names",
    group: "tags",
    flag: "tag",
    repeatable: true,
    rules: [`names: not empty, at most ${MAX_TAG_NAME_LENGTH} characters`, "not also in Remove tags"],
    example: "VIP",
  },
  {
    key: "untags",
    label: "Remove tags",
    hint: "Tag names to remove from the user; one the user does not have is only noted.",
    kind: "names",
    group: "tags",
    flag: "untag",
    repeatable: true,
    rules: [`names: not empty, at most ${MAX_TAG_NAME_LENGTH} characters`, "not also in Add tags"],
    example: "Churn risk",
  },
  {
    key: "externalId",
    label: "New user ID",
    hint: "A new user ID (external_id): give a lead a user ID, or change the user's; no other contact may have it.",
    kind: "text",
    group: "account",
    flag: "new-user-id",
    contactProperty: "external_id",
    rules: ["at most 255 characters", "no other contact may have it already"],
    example: "25-b",
  },
  {
    key: "role",
    label: "Role",
    hint: "Make a lead a user; Intercom cannot turn a user back into a lead.",
    kind: "choice",
    group: "account",
    flag: "role",
    contactProperty: "role",
    choices: [
      { value: "", label: "Leave unchanged" },
      { value: "user", label: "User (converts a lead)" },
    ],
    rules: ['only "user": a lead becomes a user'],
    example: "user",
  },
  {
    key: "owner",
    label: "Owner",
    hint: "The teammate who owns the user: an admin's email address or id in this workspace.",
    kind: "text",
    group: "account",
    flag: "owner",
    rules: ["an admin of the workspace, by email or id"],
    example: "ops@example.com",
  },
  {
    key: "avatar",
    label: "Avatar",
    hint: "The URL of the user's picture.",
    kind: "url",
    group: "account",
    flag: "avatar",
    contactProperty: "avatar",
    rules: ["an http(s) URL", "at most 255 characters"],
    example: "https://example.com/joe.png",
  },
  {
    key: "signedUpAt",
    label: "Signed up at",
    hint: "When the user signed up: an ISO 8601 date or time, or Unix seconds.",
    kind: "time",
    group: "account",
    flag: "signed-up-at",
    contactProperty: "signed_up_at",
    rules: ["an ISO 8601 date or time (UTC unless it says otherwise), or Unix seconds"],
    example: "2024-05-01T09:30:00Z",
  },
  {
    key: "lastSeenAt",
    label: "Last seen at",
    hint: "When the user was last seen: an ISO 8601 date or time, or Unix seconds.",
    kind: "time",
    group: "account",
    flag: "last-seen-at",
    contactProperty: "last_seen_at",
    rules: ["an ISO 8601 date or time (UTC unless it says otherwise), or Unix seconds"],
    example: "1714555800",
  },
  {
    key: "unarchive",
    label: "Restore from archive",
    hint: "Restore an archived user before the update (archived users can only be found by Intercom ID).",
    kind: "flag",
    group: "archive",
    flag: "unarchive",
    rules: ["needs Intercom ID"],
    requires: ["intercomId"],
  },
  {
    key: "archive",
    label: "Archive",
    hint: "Archive the user after the update; it can be restored later.",
    kind: "flag",
    group: "archive",
    flag: "archive",
    rules: ["archived users are hidden from search and from lookups by user ID"],
  },
] satisfies FieldSpec[]);

const BY_KEY: ReadonlyMap<string, FieldSpec> = new Map(FIELDS.map((f) => [f.key, f]));
const BY_FLAG: ReadonlyMap<string, FieldSpec> = new Map(FIELDS.map((f) => [f.flag, f]));

/** The field for a CLI flag or CSV column name (with or without leading dashes), or undefined. */
export function fieldByFlag(flag: string, fields: readonly FieldSpec[] = FIELDS): FieldSpec | undefined {
  const name = flag.replace(/^-{1,2}/, "");
  return fields === FIELDS ? BY_FLAG.get(name) : fields.find((f) => f.flag === name);
}

/** The field for an input key, e.g. `fieldByKey("userId")`. */
export function fieldByKey(key: string, fields: readonly FieldSpec[] = FIELDS): FieldSpec | undefined {
  return fields === FIELDS ? BY_KEY.get(key) : fields.find((f) => f.key === key);
}

/** The label of a key, or "Input" for whole-input errors. */
export function labelOf(key: FieldKey | "input", fields: readonly FieldSpec[] = FIELDS): string {
  return key === "input" ? "Input" : (fieldByKey(key, fields)?.label ?? key);
}

/** The fields that pick the user (exactly one must be given). */
export const identifyFields: readonly FieldSpec[] = Object.freeze(FIELDS.filter((f) => f.group === "identify"));
/** The fields that change something (at least one must be given). */
export const changeFields: readonly FieldSpec[] = Object.freeze(FIELDS.filter((f) => f.group !== "identify"));

/** The fields of one group, in table order. */
export function fieldsOfGroup(group: FieldGroupSpec["group"], fields: readonly FieldSpec[] = FIELDS): FieldSpec[] {
  return fields.filter((f) => f.group === group);
}

/**
 * Whether a form should ask for `field`, given the answers so far: not when a field it needs is empty, not when a
 * field it excludes was given, and not when the API version the update will use is older than the field
 * (`sinceVersion`). Forms use this to skip steps; validation reports the same rules as errors.
 */
export function fieldApplies(
  field: FieldSpec,
  given: ReadonlySet<FieldKey>,
  options: { apiVersion?: string } = {},
): boolean {
  if (field.sinceVersion && options.apiVersion && !versionAtLeast(options.apiVersion, field.sinceVersion)) return false;
  if ((field.requires ?? []).some((k) => !given.has(k))) return false;
  if (field.group !== "identify" && (field.excludes ?? []).some((k) => given.has(k))) return false;
  return true;
}
