import { isSafePathSegment } from "@intercom-kit/core";
import * as v from "valibot";
import { parseAttributePairs, parseAttributeText } from "./attributes.js";
import {
  FIELDS,
  fieldByFlag,
  labelOf,
  MAX_ATTRIBUTE_NAME_LENGTH,
  MAX_ATTRIBUTE_STRING_LENGTH,
  MAX_ATTRIBUTES,
  MAX_MONTHLY_SPEND,
  MAX_TAG_NAME_LENGTH,
  MAX_TEXT_LENGTH,
} from "./fields.js";
import type {
  AttributeDataType,
  CustomAttributeValue,
  FieldError,
  FieldKey,
  FieldSpec,
  UpdateUserInput,
  ValidationResult,
} from "./types.js";
import { parseTime, sameTagName, versionAtLeast } from "./values.js";

// valibot's rfcEmail follows the WHATWG input[type=email] grammar (apostrophes, plus signs); a dot in the domain
// is added because Intercom rejects single-label domains.
const EmailSchema = v.pipe(
  v.string(),
  v.rfcEmail(),
  v.check((s) => /@[^@]+\.[^@.]+$/.test(s)),
);

/** Identifiers that become a path segment of a request: they must not be able to change the path. */
const PATH_KEYS: ReadonlySet<FieldKey> = new Set(["userId", "intercomId", "intercomCompanyId"]);
/** Intercom's own ids: no spaces or URL delimiters, so a pasted URL or a typo is caught here. */
const INTERCOM_ID_KEYS: ReadonlySet<FieldKey> = new Set(["intercomId", "intercomCompanyId"]);
/** Keys that are not fields of the table but may appear in an input (parsed from `name:type=value`). */
const EXTRA_KEYS: ReadonlySet<string> = new Set(["attributeTypes"]);

const YES_NO: Readonly<Record<string, boolean>> = { true: true, yes: true, false: false, no: false };
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export interface ValidateOptions {
  /** Default true; lookups (review screens) pass false because they change nothing. */
  requireChange?: boolean;
  /** The API version the update will use: fields newer than it are refused (e.g. Email verified before 2.16). */
  apiVersion?: string;
  /** The field table (default FIELDS); tests pass a copy with a field added. */
  fields?: readonly FieldSpec[];
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === "object") return "an object";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return `a ${typeof value}`;
}

function isBlank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === "string" && value.trim() === "") ||
    (Array.isArray(value) && value.length === 0)
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Lone UTF-16 surrogates cannot be sent (encodeURIComponent throws; JSON turns them into escapes Intercom rejects). */
function wellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
const BROKEN = "contains a broken character (a lone UTF-16 surrogate); type or paste it again";

/**
 * Checks and normalises an input collected by any frontend. Never throws; returns every problem at once, each naming
 * the field by its label. Strings are trimmed and an empty string means "not given"; numbers, booleans and times may
 * come as text; custom attributes may be an object, JSON text, `name=value` text or a list of pairs; tags a list or
 * text separated by ";". Rules between fields (needs / not together with) come from the field table.
 */
export function validateUpdateUserInput(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  try {
    return validate(raw, options);
  } catch {
    // Only reachable with hostile inputs (e.g. throwing getters); still a value, never an exception.
    return { ok: false, errors: [{ field: "input", label: "Input", message: "could not be read as an object" }] };
  }
}

// They answer undefined (not void) so a check can end with `return err(...)`.
type Put = (key: FieldKey, value: unknown) => undefined;
type Err = (field: FieldKey | "input", message: string, label?: string) => undefined;

function validate(raw: unknown, options: ValidateOptions): ValidationResult {
  const fields = options.fields ?? FIELDS;
  if (!isPlainObject(raw)) {
    return {
      ok: false,
      errors: [{ field: "input", label: "Input", message: `must be an object of fields, not ${describe(raw)}` }],
    };
  }
  const errors: FieldError[] = [];
  const err: Err = (field, message, label = labelOf(field, fields)) => {
    errors.push({ field, label, message });
    return undefined;
  };
  const out: Record<string, unknown> = {};
  const put: Put = (key, value) => {
    out[key] = value;
    return undefined;
  };
  const present = new Set<FieldKey>();

  const known = new Set(fields.map((f) => f.key as string));
  for (const key of Object.keys(raw)) {
    if (known.has(key) || EXTRA_KEYS.has(key)) continue;
    const byFlag = fieldByFlag(key, fields);
    err("input", `unknown field "${key}"${byFlag ? ` (did you mean "${byFlag.key}"?)` : ""}`);
  }

  for (const field of fields) {
    const value = Object.hasOwn(raw, field.key) ? raw[field.key] : undefined;
    if (isBlank(value)) continue;
    if (
      field.kind === "flag" &&
      (value === false || (typeof value === "string" && YES_NO[value.trim().toLowerCase()] === false))
    ) {
      continue;
    }
    present.add(field.key);
    const before = errors.length;
    checkField(field, value, put, err, raw);
    // An empty attribute object or tag list gives nothing: it is not a change.
    if (errors.length === before && out[field.key] === undefined) present.delete(field.key);
  }

  // Rules between fields, from the table.
  const identify = fields.filter((f) => f.group === "identify");
  const ids = identify.filter((f) => present.has(f.key));
  const idLabels = identify.map((f) => f.label);
  if (ids.length === 0) {
    err("input", `give exactly one of ${orList(idLabels)} to find the user`, idLabels.join(" / "));
  } else if (ids.length > 1) {
    err("input", `give only one of ${orList(idLabels)}; got ${andList(ids.map((f) => f.label))}`, idLabels.join(" / "));
  }
  for (const field of fields) {
    if (!present.has(field.key) || field.group === "identify") continue;
    for (const other of field.excludes ?? []) {
      // Report a pair once, on the field that comes first in the table.
      const otherIndex = fields.findIndex((f) => f.key === other);
      if (present.has(other) && otherIndex > fields.indexOf(field)) {
        err(field.key, `give either ${field.label} or ${labelOf(other, fields)}, not both`);
      }
    }
    const missing = (field.requires ?? []).filter((k) => !present.has(k));
    if (missing.length > 0) {
      const why =
        field.key === "companyName" || field.key === "companyMonthlySpend"
          ? present.has("intercomCompanyId")
            ? `: ${labelOf("intercomCompanyId", fields)} only attaches an existing company`
            : " (the company to set it on)"
          : "";
      err(field.key, `needs ${andList(missing.map((k) => labelOf(k, fields)))}${why}`);
    }
    if (field.sinceVersion && options.apiVersion && !versionAtLeast(options.apiVersion, field.sinceVersion)) {
      err(field.key, `needs API ${field.sinceVersion} or later (this update uses ${options.apiVersion})`);
    }
  }
  const tags = (out.tags as string[] | undefined) ?? [];
  const untags = (out.untags as string[] | undefined) ?? [];
  const both = tags.filter((t) => untags.some((u) => sameTagName(t, u)));
  if (both.length > 0) err("untags", `${both.map((t) => `"${t}"`).join(", ")} cannot be both added and removed`);

  const changeKeys = fields.filter((f) => f.group !== "identify").map((f) => f.key);
  if ((options.requireChange ?? true) && !changeKeys.some((k) => present.has(k))) {
    const labels = fields.filter((f) => f.group !== "identify" && f.kind !== "hidden").map((f) => f.label);
    err("input", `nothing to change: give at least one of ${orList(labels)}`, labels.join(" / "));
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, input: out as UpdateUserInput };
}

function checkField(field: FieldSpec, value: unknown, put: Put, err: Err, raw: Record<string, unknown>): undefined {
  const key = field.key;
  switch (field.kind) {
    case "text":
    case "hidden": {
      let text: string;
      if (typeof value === "string") text = value.trim();
      else if (typeof value === "number" && Number.isFinite(value) && /id$/i.test(key)) text = String(value);
      else return err(key, `must be text, not ${describe(value)}`);
      if (!wellFormed(text)) return err(key, BROKEN);
      if (text.length > MAX_TEXT_LENGTH)
        return err(key, `must be at most ${MAX_TEXT_LENGTH} characters (got ${text.length})`);
      if (INTERCOM_ID_KEYS.has(key) && /[\s/?#]/.test(text))
        return err(key, "must be an Intercom id (no spaces, / ? or #)");
      if (PATH_KEYS.has(key) && !isSafePathSegment(text)) return err(key, `cannot be "${text}"`);
      return put(key, text);
    }
    case "email": {
      if (typeof value !== "string") return err(key, `must be an email address, not ${describe(value)}`);
      const text = value.trim();
      if (!wellFormed(text)) return err(key, BROKEN);
      if (text.length > MAX_TEXT_LENGTH)
        return err(key, `must be at most ${MAX_TEXT_LENGTH} characters (got ${text.length})`);
      if (!v.is(EmailSchema, text))
        return err(key, `must be a valid email address like name@example.com (got ${describe(text)})`);
      return put(key, text);
    }
    case "url": {
      if (typeof value !== "string") return err(key, `must be a URL, not ${describe(value)}`);
      const text = value.trim();
      if (text.length > MAX_TEXT_LENGTH)
        return err(key, `must be at most ${MAX_TEXT_LENGTH} characters (got ${text.length})`);
      let url: URL | undefined;
      try {
        url = new URL(text);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || !wellFormed(text)) {
        return err(key, `must be an http(s) URL like https://example.com/picture.png (got ${describe(text)})`);
      }
      return put(key, text);
    }
    case "choice": {
      const choices = (field.choices ?? []).map((c) => c.value).filter((c) => c !== "");
      const boolean = choices.length === 2 && choices.includes("true") && choices.includes("false");
      if (boolean) {
        if (typeof value === "boolean") return put(key, value);
        const word = typeof value === "string" ? YES_NO[value.trim().toLowerCase()] : undefined;
        if (word !== undefined) return put(key, word);
        return err(key, `must be true or false (or empty to leave unchanged), not ${describe(value)}`);
      }
      const text = typeof value === "string" ? value.trim().toLowerCase() : undefined;
      if (text !== undefined && choices.includes(text)) return put(key, text);
      if (key === "role" && text === "lead") {
        return err(key, 'cannot be "lead": Intercom does not turn users into leads (only a lead can become a user)');
      }
      return err(key, `must be ${orList(choices.map((c) => `"${c}"`))}, not ${describe(value)}`);
    }
    case "number": {
      let n: number | undefined;
      if (typeof value === "number") n = value;
      else if (typeof value === "string" && NUMBER_TEXT.test(value.trim())) n = Number(value.trim());
      if (n === undefined) return err(key, `must be a number, not ${describe(value)}`);
      if (!Number.isFinite(n)) return err(key, "must be a finite number");
      if (n < 0) return err(key, `must be 0 or more (got ${n})`);
      if (n > MAX_MONTHLY_SPEND) return err(key, `must be at most ${MAX_MONTHLY_SPEND} (got ${n})`);
      return put(key, n === 0 ? 0 : n); // folds -0
    }
    case "time": {
      const seconds = parseTime(typeof value === "string" || typeof value === "number" ? value : undefined);
      if (seconds === undefined) {
        return err(
          key,
          `must be an ISO 8601 date or time like 2024-05-01T09:30:00Z, or Unix seconds (got ${describe(value)})`,
        );
      }
      return put(key, seconds);
    }
    case "flag": {
      if (value === true) return put(key, true);
      const word = typeof value === "string" ? YES_NO[value.trim().toLowerCase()] : undefined;
      if (word === true) return put(key, true);
      return err(key, `must be true or false, not ${describe(value)}`);
    }
    case "names":
      return readNames(key, value, put, err);
    case "attributes":
      return readAttributes(key, value, raw.attributeTypes, put, err);
  }
}

function readNames(key: FieldKey, value: unknown, put: Put, err: Err): undefined {
  const items = typeof value === "string" ? value.split(/[;\n]/) : Array.isArray(value) ? value : [value];
  const names: string[] = [];
  for (const item of items) {
    if (typeof item !== "string") return err(key, `must be names (text), not ${describe(item)}`);
    for (const part of item.split(/[;\n]/)) {
      const name = part.trim();
      if (name === "") continue;
      if (!wellFormed(name)) return err(key, BROKEN);
      if (name.length > MAX_TAG_NAME_LENGTH) {
        return err(key, `"${name.slice(0, 40)}…" must be at most ${MAX_TAG_NAME_LENGTH} characters`);
      }
      if (!names.some((n) => sameTagName(n, name))) names.push(name);
    }
  }
  if (names.length > 0) put(key, names);
  return undefined;
}

function readAttributes(key: FieldKey, value: unknown, rawTypes: unknown, put: Put, err: Err): undefined {
  let source: Record<string, unknown>;
  let types: Record<string, AttributeDataType> = {};
  if (typeof value === "string" || Array.isArray(value)) {
    if (Array.isArray(value) && !value.every((p): p is string => typeof p === "string")) {
      return err(key, "as a list must hold name=value texts only");
    }
    const parsed = typeof value === "string" ? parseAttributeText(value) : parseAttributePairs(value as string[]);
    if (!parsed.ok) {
      for (const e of parsed.errors) err(key, e.message);
      return undefined;
    }
    source = parsed.attributes;
    types = parsed.types;
  } else if (isPlainObject(value)) {
    source = value;
  } else {
    return err(key, `must be an object of name/value pairs, not ${describe(value)}`);
  }
  if (isPlainObject(rawTypes)) {
    for (const [name, type] of Object.entries(rawTypes)) {
      if (typeof type === "string") types[name] = type as AttributeDataType;
    }
  }
  const names = Object.keys(source);
  let bad = false;
  const fail = (message: string) => {
    err(key, message);
    bad = true;
  };
  if (names.length > MAX_ATTRIBUTES) fail(`at most ${MAX_ATTRIBUTES} attributes (got ${names.length})`);
  const result: Record<string, CustomAttributeValue> = {};
  for (const name of names) {
    const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
    const item = source[name];
    if (name.trim() === "") fail("an attribute name is empty");
    else if (!wellFormed(name)) fail(`attribute name "${shown}" ${BROKEN}`);
    else if (name.includes(".") || name.includes("$")) fail(`attribute name "${shown}" must not contain "." or "$"`);
    else if (name.length > MAX_ATTRIBUTE_NAME_LENGTH)
      fail(`attribute name "${shown}" must be at most ${MAX_ATTRIBUTE_NAME_LENGTH} characters`);
    else if (typeof item === "string") {
      if (item.length > MAX_ATTRIBUTE_STRING_LENGTH)
        fail(`"${shown}" must be at most ${MAX_ATTRIBUTE_STRING_LENGTH} characters (got ${item.length})`);
      else if (!wellFormed(item)) fail(`"${shown}" ${BROKEN}`);
      else define(result, name, item);
    } else if (typeof item === "number") {
      if (!Number.isFinite(item)) fail(`"${shown}" must be a finite number`);
      else define(result, name, item);
    } else if (typeof item === "boolean") define(result, name, item);
    else fail(`"${shown}" must be text, a number or true/false, not ${describe(item)}`);
  }
  if (bad || names.length === 0) return undefined;
  put(key, result);
  const kept = Object.fromEntries(Object.entries(types).filter(([name]) => Object.hasOwn(result, name)));
  if (Object.keys(kept).length > 0) put("attributeTypes" as FieldKey, kept);
  return undefined;
}

/** Own data property even for names like "__proto__". */
function define(target: Record<string, CustomAttributeValue>, name: string, value: CustomAttributeValue): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

export function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
