import type { CustomAttributeValue, FieldError, FieldSpec, UpdateUserInput } from "./types.js";

/** Intercom's ceiling for `monthly_spend` (a signed 32-bit integer). */
export const MAX_MONTHLY_SPEND = 2_147_483_647;
/** Legacy Users API rules for custom attributes, which 2.x still enforces. */
export const MAX_ATTRIBUTE_NAME_LENGTH = 190;
export const MAX_ATTRIBUTE_STRING_LENGTH = 255;
export const MAX_ATTRIBUTES = 250;
/** Intercom caps emails and user ids at 255 characters. */
export const MAX_TEXT_LENGTH = 255;

/**
 * The one field table. Every frontend (TUI form, CLI flags, CSV/NDJSON columns, VS Code steps) is generated from it,
 * and validation names fields by these labels, so the wording cannot drift between them.
 * Order is the order forms ask in: identify first, then the user's fields, then the company.
 */
export const FIELDS: readonly FieldSpec[] = Object.freeze([
  {
    key: "userId",
    label: "User ID",
    hint: "Your own identifier for the user (called external_id in Intercom API 2.x).",
    kind: "text",
    group: "identify",
    flag: "user-id",
    rules: ["at most 255 characters", "give exactly one of User ID, Intercom ID or Current email"],
    example: "25",
  },
  {
    key: "intercomId",
    label: "Intercom ID",
    hint: "Intercom's own id for the user (the contact id); the quickest way to find them.",
    kind: "text",
    group: "identify",
    flag: "intercom-id",
    rules: ["give exactly one of User ID, Intercom ID or Current email"],
    example: "5714dd359a3fd47136000001",
  },
  {
    key: "lookupEmail",
    label: "Current email",
    hint: "The user's current email address, used only to find them; it must belong to exactly one user.",
    kind: "email",
    group: "identify",
    flag: "email",
    rules: [
      "a valid email address",
      "at most 255 characters",
      "exactly one user may have it",
      "give exactly one of User ID, Intercom ID or Current email",
    ],
    example: "joe@example.com",
  },
  {
    key: "name",
    label: "Name",
    hint: "The user's full name.",
    kind: "text",
    group: "user",
    flag: "name",
    rules: ["at most 255 characters"],
    example: "Joe Example",
  },
  {
    key: "email",
    label: "New email",
    hint: "The email address the user should have from now on.",
    kind: "email",
    group: "user",
    flag: "new-email",
    rules: ["a valid email address", "at most 255 characters", "no other user may have it already"],
    example: "joe.new@example.com",
  },
  {
    key: "phone",
    label: "Phone",
    hint: "The user's phone number.",
    kind: "text",
    group: "user",
    flag: "phone",
    rules: ["at most 255 characters"],
    example: "+353 1 555 0100",
  },
  {
    key: "unsubscribedFromEmails",
    label: "Unsubscribed from emails",
    hint: "Whether the user has opted out of email; leave it empty to keep the current setting.",
    kind: "choice",
    group: "user",
    flag: "unsubscribed",
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
    rules: ["not together with Company ID", "the company must already exist"],
    example: "574854e3ecd0c547ae0000e4",
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
  },
  {
    key: "customAttributes",
    label: "Custom attributes",
    hint: "Your own data attributes on the user, as name=value pairs; each must already exist in the workspace.",
    kind: "attributes",
    group: "user",
    flag: "attr",
    rules: [
      `names: not empty, no "." or "$", at most ${MAX_ATTRIBUTE_NAME_LENGTH} characters`,
      `values: text (at most ${MAX_ATTRIBUTE_STRING_LENGTH} characters), a number, or true/false`,
      'quote a value to keep it as text: code="007" or n="3"',
      `at most ${MAX_ATTRIBUTES} attributes`,
    ],
    example: "plan=pro",
  },
] satisfies FieldSpec[]);

const BY_KEY: ReadonlyMap<string, FieldSpec> = new Map(FIELDS.map((f) => [f.key, f]));
const BY_FLAG: ReadonlyMap<string, FieldSpec> = new Map(FIELDS.map((f) => [f.flag, f]));

/** The field for a CLI flag or CSV column name (with or without leading dashes), or undefined. */
export function fieldByFlag(flag: string): FieldSpec | undefined {
  return BY_FLAG.get(flag.replace(/^-{1,2}/, ""));
}

/** The field for an input key, e.g. `fieldByKey("userId")`. */
export function fieldByKey(key: string): FieldSpec | undefined {
  return BY_KEY.get(key);
}

/** The label of a key, or "Input" for whole-input errors. */
export function labelOf(key: keyof UpdateUserInput | "input"): string {
  return key === "input" ? "Input" : (BY_KEY.get(key)?.label ?? key);
}

/** The fields that pick the user (exactly one must be given). */
export const identifyFields: readonly FieldSpec[] = Object.freeze(FIELDS.filter((f) => f.group === "identify"));
/** The fields that change something (at least one must be given). */
export const changeFields: readonly FieldSpec[] = Object.freeze(FIELDS.filter((f) => f.group !== "identify"));

export type AttributePairsResult =
  | { ok: true; attributes: Record<string, CustomAttributeValue> }
  | { ok: false; errors: FieldError[] };

const CANONICAL_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Typed value of one `name=value` right-hand side:
 * - `true` / `false` become booleans, canonical numbers (`3`, `-1.5`, not `007` or `1e400`) become numbers;
 * - a value wrapped in double or single quotes is the text inside, so `n="3"` is the string "3";
 * - anything else is the text as written (not trimmed inside quotes).
 */
export function coerceAttributeValue(text: string): CustomAttributeValue {
  const trimmed = text.trim();
  if (trimmed.length >= 2) {
    const q = trimmed[0];
    if ((q === '"' || q === "'") && trimmed.endsWith(q)) return trimmed.slice(1, -1);
  }
  if (trimmed === "true") return true;
  if (trimmed === "false") return false;
  if (CANONICAL_NUMBER.test(trimmed)) {
    const n = Number(trimmed);
    if (Number.isFinite(n) && (Number.isSafeInteger(n) || !Number.isInteger(n))) return n;
  }
  return trimmed;
}

/**
 * Parses repeated `--attr name=value` flags (or an `attr` column split by the caller) into typed custom attributes.
 * Splits at the first `=`; see {@link coerceAttributeValue} for typing. Reports every bad pair, naming it.
 * Name rules (no "." or "$", length) are checked by validateUpdateUserInput, so one place owns them.
 */
export function parseAttributePairs(pairs: readonly string[]): AttributePairsResult {
  const label = labelOf("customAttributes");
  const errors: FieldError[] = [];
  const attributes: Record<string, CustomAttributeValue> = Object.create(null);
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at < 0) {
      errors.push({ field: "customAttributes", label, message: `"${pair}" must look like name=value` });
      continue;
    }
    const name = pair.slice(0, at).trim();
    if (name === "") {
      errors.push({ field: "customAttributes", label, message: `"${pair}" has no attribute name before "="` });
      continue;
    }
    if (Object.hasOwn(attributes, name)) {
      errors.push({ field: "customAttributes", label, message: `attribute "${name}" is given more than once` });
      continue;
    }
    attributes[name] = coerceAttributeValue(pair.slice(at + 1));
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, attributes: { ...attributes } };
}
