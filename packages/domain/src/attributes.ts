/**
 * Custom attributes: the one parser for attribute text (form fields, `--attr` flags, bulk cells) and the typing of
 * values against the workspace's own definitions. Every frontend goes through here, so `note=a, b` means the same
 * thing in a terminal form, a VS Code input box, a flag and a CSV cell.
 */
import { labelOf } from "./fields.js";
import type { AttributeDataType, CustomAttributeValue, FieldError } from "./types.js";
import { parseTime } from "./values.js";

export const ATTRIBUTE_DATA_TYPES: readonly AttributeDataType[] = ["string", "integer", "float", "boolean", "date"];

export interface ParsedAttributes {
  /** Values: text from `name=value` pairs (typed later from the workspace's definitions), JSON values as given. */
  attributes: Record<string, CustomAttributeValue>;
  /** Types given as `name:type=value`, for attributes that may be created. */
  types: Record<string, AttributeDataType>;
}

export type ParseAttributesResult = ({ ok: true } & ParsedAttributes) | { ok: false; errors: FieldError[] };

const LABEL = () => labelOf("customAttributes");
const err = (message: string): FieldError => ({ field: "customAttributes", label: LABEL(), message });

/** `name` or `name:type` before the first "=". Attribute names cannot hold ":" in Intercom, so the split is safe. */
const PAIR_HEAD = /^\s*([^=:\n]+?)\s*(?::\s*([A-Za-z]+)\s*)?=/;
/** A new pair starts after a separator (newline, ";" or ",") when a name (and type) followed by "=" comes next. */
const NEXT_HEAD = /^\s*[^=,;\n:"']+?\s*(?::\s*[A-Za-z]+\s*)?=/;

function unquote(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length >= 2) {
    const q = trimmed[0];
    if ((q === '"' || q === "'") && trimmed.endsWith(q)) return trimmed.slice(1, -1);
  }
  return trimmed;
}

function splitPairs(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quote: string | null = null;
  let inValue = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (!inValue) {
      if (ch === "=") {
        inValue = true;
        // A quoted value is one value, whatever separators it holds.
        let j = i + 1;
        while (text[j] === " ") j++;
        if (text[j] === '"' || text[j] === "'") {
          quote = text[j] as string;
          i = j;
        }
      }
      continue;
    }
    if ((ch === "\n" || ch === ";" || ch === ",") && NEXT_HEAD.test(text.slice(i + 1))) {
      out.push(text.slice(start, i));
      start = i + 1;
      inValue = false;
    }
  }
  out.push(text.slice(start));
  return out.map((p) => p.trim()).filter((p) => p !== "");
}

/**
 * Parses `name=value` pairs (one per flag, or several in one text separated by newlines, ";" or ","). A separator
 * only splits where a new `name=` follows, so `note=a, b` is one pair with the value "a, b". Values are text, with
 * surrounding quotes removed; `name:type=value` also records the type (used only when creating the attribute).
 */
export function parseAttributePairs(pairs: readonly string[]): ParseAttributesResult {
  const errors: FieldError[] = [];
  const attributes: Record<string, CustomAttributeValue> = Object.create(null);
  const types: Record<string, AttributeDataType> = Object.create(null);
  for (const pair of pairs) {
    const m = PAIR_HEAD.exec(pair);
    if (!m) {
      errors.push(
        err(pair.includes("=") ? `"${pair}" has no attribute name before "="` : `"${pair}" must look like name=value`),
      );
      continue;
    }
    const name = (m[1] ?? "").trim();
    const type = m[2]?.toLowerCase();
    if (name === "") {
      errors.push(err(`"${pair}" has no attribute name before "="`));
      continue;
    }
    if (type !== undefined && !ATTRIBUTE_DATA_TYPES.includes(type as AttributeDataType)) {
      errors.push(err(`"${name}:${m[2]}" names an unknown type; use one of ${ATTRIBUTE_DATA_TYPES.join(", ")}`));
      continue;
    }
    if (Object.hasOwn(attributes, name)) {
      errors.push(err(`attribute "${name}" is given more than once`));
      continue;
    }
    attributes[name] = unquote(pair.slice(m[0].length));
    if (type) types[name] = type as AttributeDataType;
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, attributes: { ...attributes }, types: { ...types } };
}

/**
 * Parses attribute text as typed into a form or a bulk `attr` cell: a JSON object (`{"plan":"pro","seats":3}`,
 * values keep their JSON types) or `name=value` pairs as {@link parseAttributePairs} reads them.
 */
export function parseAttributeText(text: string): ParseAttributesResult {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, attributes: {}, types: {} };
  if (trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return { ok: false, errors: [err('is not valid JSON (expected an object like {"plan":"pro"} or plan=pro)')] };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return { ok: false, errors: [err('must be a JSON object like {"plan":"pro"}')] };
    }
    const attributes: Record<string, CustomAttributeValue> = {};
    const errors: FieldError[] = [];
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") {
        Object.defineProperty(attributes, name, { value, enumerable: true, writable: true, configurable: true });
      } else {
        errors.push(
          err(`"${name}" must be text, a number or true/false, not ${value === null ? "null" : typeof value}`),
        );
      }
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, attributes, types: {} };
  }
  return parseAttributePairs(splitPairs(trimmed));
}

/** The text a form shows for attributes already given (the inverse of {@link parseAttributeText} for pairs). */
export function attributesToText(attributes: Readonly<Record<string, CustomAttributeValue>>): string {
  return Object.entries(attributes)
    .map(
      ([name, value]) =>
        `${name}=${typeof value === "string" && /[,;\n]/.test(value) ? JSON.stringify(value) : String(value)}`,
    )
    .join(", ");
}

const CANONICAL_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A best guess at a value's type when the workspace's definition is not known (an attribute to be created without a
 * `:type`, or a workspace whose attributes could not be read): `true`/`false` are booleans, canonical numbers (`3`,
 * `-1.5`, not `007`) are numbers, anything else is text.
 */
export function guessAttributeValue(value: CustomAttributeValue): CustomAttributeValue {
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (text === "true") return true;
  if (text === "false") return false;
  if (CANONICAL_NUMBER.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n) && (Number.isSafeInteger(n) || !Number.isInteger(n))) return n;
  }
  return value;
}

/** The data type a new attribute gets from its value, unless `name:type` said otherwise. */
export function inferDataType(value: CustomAttributeValue): AttributeDataType {
  const v = guessAttributeValue(value);
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "float";
  return "string";
}

/** What the workspace says about one attribute (from GET /data_attributes). */
export interface AttributeDefinition {
  name: string;
  dataType: AttributeDataType | string;
  options: string[];
  archived: boolean;
  apiWritable: boolean;
}

export type TypedValue = { ok: true; value: CustomAttributeValue } | { ok: false; message: string };

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, false: false, yes: true, no: false };

/**
 * Types one value as the attribute's definition says, or says what is wrong with it: text becomes a number for an
 * integer or float attribute, a boolean for a boolean one, Unix seconds for a date (ISO 8601 or Unix seconds given);
 * a value of another JSON type than the attribute's is refused; a list attribute takes only its options.
 */
export function typeAttributeValue(definition: AttributeDefinition, value: CustomAttributeValue): TypedValue {
  const name = definition.name;
  const text = typeof value === "string" ? value.trim() : null;
  switch (definition.dataType) {
    case "integer": {
      const n = text !== null && INTEGER.test(text) ? Number(text) : typeof value === "number" ? value : Number.NaN;
      if (!Number.isSafeInteger(n))
        return { ok: false, message: `"${name}" is a whole number attribute; ${show(value)} is not a whole number` };
      return { ok: true, value: n };
    }
    case "float": {
      const n = text !== null && DECIMAL.test(text) ? Number(text) : typeof value === "number" ? value : Number.NaN;
      if (!Number.isFinite(n))
        return { ok: false, message: `"${name}" is a number attribute; ${show(value)} is not a number` };
      return { ok: true, value: n };
    }
    case "boolean": {
      if (typeof value === "boolean") return { ok: true, value };
      const b = text !== null ? BOOLEAN_WORDS[text.toLowerCase()] : undefined;
      if (b === undefined)
        return { ok: false, message: `"${name}" is a true/false attribute; ${show(value)} is neither` };
      return { ok: true, value: b };
    }
    case "date": {
      const seconds = parseTime(value);
      if (seconds === undefined) {
        return {
          ok: false,
          message: `"${name}" is a date attribute; ${show(value)} is not an ISO 8601 date or Unix seconds`,
        };
      }
      return { ok: true, value: seconds };
    }
    default: {
      if (typeof value !== "string") {
        return { ok: false, message: `"${name}" is a text attribute; give text, not ${show(value)}` };
      }
      if (definition.options.length > 0 && !definition.options.includes(value)) {
        return {
          ok: false,
          message: `"${name}" takes one of ${definition.options.map((o) => `"${o}"`).join(", ")}; not ${show(value)}`,
        };
      }
      return { ok: true, value };
    }
  }
}

function show(value: CustomAttributeValue): string {
  return typeof value === "string"
    ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
    : String(value);
}

/** Edit distance counting a swap of two neighbours as one edit (so "plna" is one away from "plan"), bounded. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const prev = rows[i - 1] as number[];
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, ((rows[i - 2] as number[])[j - 2] ?? 0) + 1);
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] ?? max + 1;
}

/** The closest existing name: the same name in another case, or one edit away (two for long names). */
export function closestName(name: string, names: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameCase = names.find((n) => n.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const max = name.length > 8 ? 2 : 1;
  let best: { name: string; d: number } | undefined;
  for (const candidate of names) {
    const d = distance(lower, candidate.toLowerCase(), max);
    if (d <= max && (!best || d < best.d)) best = { name: candidate, d };
  }
  return best?.name;
}
