import * as v from "valibot";
import {
  FIELDS,
  fieldByFlag,
  labelOf,
  MAX_ATTRIBUTE_NAME_LENGTH,
  MAX_ATTRIBUTE_STRING_LENGTH,
  MAX_ATTRIBUTES,
  MAX_MONTHLY_SPEND,
  MAX_TEXT_LENGTH,
  parseAttributePairs,
} from "./fields.js";
import type { CustomAttributeValue, FieldError, UpdateUserInput, ValidationResult } from "./types.js";

type Key = keyof UpdateUserInput;

// valibot's rfcEmail follows the WHATWG input[type=email] grammar (apostrophes, plus signs); a dot in the domain
// is added because Intercom rejects single-label domains.
const EmailSchema = v.pipe(
  v.string(),
  v.rfcEmail(),
  v.check((s) => /@[^@]+\.[^@.]+$/.test(s)),
);

const TEXT_KEYS = ["userId", "intercomId", "name", "phone", "intercomCompanyId", "companyId", "companyName"] as const;
const EMAIL_KEYS = ["lookupEmail", "email"] as const;
const IDENTIFY_KEYS = ["userId", "intercomId", "lookupEmail"] as const satisfies readonly Key[];
const KNOWN_KEYS: ReadonlySet<string> = new Set(FIELDS.map((f) => f.key));

const UNSUBSCRIBED_WORDS: Readonly<Record<string, boolean>> = {
  true: true,
  yes: true,
  false: false,
  no: false,
};

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === "object") return "an object";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return `a ${typeof value}`;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks and normalises an input collected by any frontend. Never throws; returns every problem at once, each naming
 * the field by its label. Normalisation: strings are trimmed and an empty string means "not given"; numbers may
 * come as text; Unsubscribed accepts true/false/yes/no (any case); custom attributes may be an object, a JSON
 * object as text, or a list of `name=value` pairs.
 */
export function validateUpdateUserInput(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  try {
    return validate(raw, options.requireChange ?? true);
  } catch {
    // Only reachable with hostile inputs (e.g. throwing getters); still a value, never an exception.
    return { ok: false, errors: [{ field: "input", label: "Input", message: "could not be read as an object" }] };
  }
}

export interface ValidateOptions {
  /** Default true; lookups (review screens) pass false because they change nothing. */
  requireChange?: boolean;
}

function validate(raw: unknown, requireChange: boolean): ValidationResult {
  if (!isPlainObject(raw)) {
    return {
      ok: false,
      errors: [{ field: "input", label: "Input", message: `must be an object of fields, not ${describe(raw)}` }],
    };
  }
  const errors: FieldError[] = [];
  const err = (field: Key | "input", message: string, label = labelOf(field)) => {
    errors.push({ field, label, message });
  };
  const out: UpdateUserInput = {};
  const present = new Set<Key>();

  for (const key of Object.keys(raw)) {
    if (KNOWN_KEYS.has(key)) continue;
    const byFlag = fieldByFlag(key);
    err("input", `unknown field "${key}"${byFlag ? ` (did you mean "${byFlag.key}"?)` : ""}`);
  }
  const get = (key: Key): unknown => (Object.hasOwn(raw, key) ? raw[key] : undefined);

  for (const key of TEXT_KEYS) {
    const value = get(key);
    if (isBlank(value)) continue;
    present.add(key);
    let text: string;
    if (typeof value === "string") text = value.trim();
    else if (typeof value === "number" && Number.isFinite(value) && key !== "name" && key !== "phone")
      text = String(value);
    else {
      err(key, `must be text, not ${describe(value)}`);
      continue;
    }
    if (text.length > MAX_TEXT_LENGTH) {
      err(key, `must be at most ${MAX_TEXT_LENGTH} characters (got ${text.length})`);
      continue;
    }
    if ((key === "intercomId" || key === "intercomCompanyId") && /[\s/?#]/.test(text)) {
      err(key, "must be an Intercom id (no spaces, / ? or #)");
      continue;
    }
    out[key] = text;
  }

  for (const key of EMAIL_KEYS) {
    const value = get(key);
    if (isBlank(value)) continue;
    present.add(key);
    if (typeof value !== "string") {
      err(key, `must be an email address, not ${describe(value)}`);
      continue;
    }
    const text = value.trim();
    if (text.length > MAX_TEXT_LENGTH) {
      err(key, `must be at most ${MAX_TEXT_LENGTH} characters (got ${text.length})`);
      continue;
    }
    if (!v.is(EmailSchema, text)) {
      err(key, `must be a valid email address like name@example.com (got ${describe(text)})`);
      continue;
    }
    out[key] = text;
  }

  const unsub = get("unsubscribedFromEmails");
  if (!isBlank(unsub)) {
    present.add("unsubscribedFromEmails");
    if (typeof unsub === "boolean") out.unsubscribedFromEmails = unsub;
    else if (typeof unsub === "string" && Object.hasOwn(UNSUBSCRIBED_WORDS, unsub.trim().toLowerCase()))
      out.unsubscribedFromEmails = UNSUBSCRIBED_WORDS[unsub.trim().toLowerCase()];
    else err("unsubscribedFromEmails", `must be true or false (or empty to leave unchanged), not ${describe(unsub)}`);
  }

  const spend = get("companyMonthlySpend");
  if (!isBlank(spend)) {
    present.add("companyMonthlySpend");
    let n: number | undefined;
    if (typeof spend === "number") n = spend;
    else if (typeof spend === "string" && NUMBER_TEXT.test(spend.trim())) n = Number(spend.trim());
    if (n === undefined) err("companyMonthlySpend", `must be a number, not ${describe(spend)}`);
    else if (!Number.isFinite(n)) err("companyMonthlySpend", "must be a finite number");
    else if (n < 0) err("companyMonthlySpend", `must be 0 or more (got ${n})`);
    else if (n > MAX_MONTHLY_SPEND) err("companyMonthlySpend", `must be at most ${MAX_MONTHLY_SPEND} (got ${n})`);
    else out.companyMonthlySpend = n === 0 ? 0 : n; // folds -0
  }

  const attrs = get("customAttributes");
  if (!isBlank(attrs)) {
    const parsed = readAttributes(attrs, err);
    if (parsed === "invalid") present.add("customAttributes");
    else if (Object.keys(parsed).length > 0) {
      present.add("customAttributes");
      out.customAttributes = parsed;
    }
  }

  const ids = IDENTIFY_KEYS.filter((k) => present.has(k));
  const idLabels = IDENTIFY_KEYS.map(labelOf);
  if (ids.length === 0) {
    err("input", `give exactly one of ${orList(idLabels)} to find the user`, idLabels.join(" / "));
  } else if (ids.length > 1) {
    err("input", `give only one of ${orList(idLabels)}; got ${andList(ids.map(labelOf))}`, idLabels.join(" / "));
  }

  if (present.has("intercomCompanyId") && present.has("companyId")) {
    err("intercomCompanyId", `give either ${labelOf("intercomCompanyId")} or ${labelOf("companyId")}, not both`);
  }
  for (const key of ["companyName", "companyMonthlySpend"] as const) {
    if (present.has(key) && !present.has("companyId")) {
      err(
        key,
        present.has("intercomCompanyId")
          ? `needs ${labelOf("companyId")}: ${labelOf("intercomCompanyId")} only attaches an existing company`
          : `needs ${labelOf("companyId")} (the company to set it on)`,
      );
    }
  }

  const changeKeys = FIELDS.filter((f) => f.group !== "identify").map((f) => f.key);
  if (requireChange && !changeKeys.some((k) => present.has(k))) {
    err(
      "input",
      `nothing to change: give at least one of ${orList(changeKeys.map(labelOf))}`,
      changeKeys.map(labelOf).join(" / "),
    );
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, input: out };
}

function readAttributes(
  value: unknown,
  err: (field: Key | "input", message: string) => void,
): Record<string, CustomAttributeValue> | "invalid" {
  let source: unknown = value;
  if (typeof value === "string") {
    const text = value.trim();
    if (!text.startsWith("{")) {
      err("customAttributes", `must be a JSON object like {"plan":"pro"}, not ${describe(text)}`);
      return "invalid";
    }
    try {
      source = JSON.parse(text);
    } catch {
      err("customAttributes", 'is not valid JSON (expected an object like {"plan":"pro"})');
      return "invalid";
    }
  } else if (Array.isArray(value)) {
    if (!value.every((p): p is string => typeof p === "string")) {
      err("customAttributes", "as a list must hold name=value texts only");
      return "invalid";
    }
    const pairs = parseAttributePairs(value);
    if (!pairs.ok) {
      for (const e of pairs.errors) err("customAttributes", e.message);
      return "invalid";
    }
    source = pairs.attributes;
  }
  if (!isPlainObject(source)) {
    err("customAttributes", `must be an object of name/value pairs, not ${describe(source)}`);
    return "invalid";
  }
  const names = Object.keys(source);
  let bad = false;
  if (names.length > MAX_ATTRIBUTES) {
    err("customAttributes", `at most ${MAX_ATTRIBUTES} attributes (got ${names.length})`);
    bad = true;
  }
  const result: Record<string, CustomAttributeValue> = {};
  for (const name of names) {
    const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
    if (name.trim() === "") {
      err("customAttributes", "an attribute name is empty");
      bad = true;
      continue;
    }
    if (name.includes(".") || name.includes("$")) {
      err("customAttributes", `attribute name "${shown}" must not contain "." or "$"`);
      bad = true;
      continue;
    }
    if (name.length > MAX_ATTRIBUTE_NAME_LENGTH) {
      err("customAttributes", `attribute name "${shown}" must be at most ${MAX_ATTRIBUTE_NAME_LENGTH} characters`);
      bad = true;
      continue;
    }
    const item = source[name];
    if (typeof item === "string") {
      if (item.length > MAX_ATTRIBUTE_STRING_LENGTH) {
        err(
          "customAttributes",
          `"${shown}" must be at most ${MAX_ATTRIBUTE_STRING_LENGTH} characters (got ${item.length})`,
        );
        bad = true;
        continue;
      }
    } else if (typeof item === "number") {
      if (!Number.isFinite(item)) {
        err("customAttributes", `"${shown}" must be a finite number`);
        bad = true;
        continue;
      }
    } else if (typeof item !== "boolean") {
      err("customAttributes", `"${shown}" must be text, a number or true/false, not ${describe(item)}`);
      bad = true;
      continue;
    }
    Object.defineProperty(result, name, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return bad ? "invalid" : result;
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** "New email: must be a valid email address", one per line: for CLIs and notifications. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.label}: ${e.message}`).join("\n");
}
