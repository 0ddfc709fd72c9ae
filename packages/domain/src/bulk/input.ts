/**
 * Bulk input: CSV (with a header row) or NDJSON (one JSON object per line), read into rows of raw inputs.
 * Column names are the CLI flag names from the field table (`user-id`, `email`, `new-email`, ...), plus
 * `attr.<name>` columns (one custom attribute each) and an `attr` column (`name=value;name=value` or a JSON object).
 * Parsing is pure: no files, no stdin (the CLI reads those); validation of each row is `validateRows`'s job.
 */
import { createHash } from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import { parseAttributePairs, parseAttributeText } from "../attributes.js";
import { canonicalJson } from "../canonical-json.js";
import { FIELDS } from "../fields.js";
import type { AttributeDataType, CustomAttributeValue, FieldError, FieldSpec, RawUpdateUserInput } from "../types.js";

export type BulkFormat = "csv" | "ndjson";

/** One data row of the input. */
export interface BulkRow {
  /** 1-based data row number: the header and blank lines are not counted. */
  row: number;
  /** 1-based line of the file where the row starts (CSV cells may span lines). */
  line: number;
  input: RawUpdateUserInput;
  /** Hash of `input` (see `rowHash`): the journal keys rows by number AND content. */
  hash: string;
  /** Problems found while reading the row's cells (e.g. a bad `attr` cell); reported with validation. */
  errors?: FieldError[];
}

/**
 * A problem that stops the whole file from being read (unknown or repeated header column, malformed CSV, no rows).
 * Problems confined to one row (a bad NDJSON line, an unknown key in it, too many cells) are that row's `errors`
 * instead, so `--skip-invalid` can skip them like any other invalid row.
 */
export interface BulkInputError {
  /** Data row number, when the problem is in one row. */
  row: number | null;
  line: number | null;
  /** The column concerned, when there is one. */
  column: string | null;
  message: string;
}

export type BulkInputResult =
  | { ok: true; format: BulkFormat; rows: BulkRow[]; columns: string[] }
  | { ok: false; format: BulkFormat; errors: BulkInputError[] };

export interface ParseBulkInputOptions {
  /** Default: from the file name (`.csv`, `.ndjson`, `.jsonl`, `.json`), else sniffed (`{` first means NDJSON). */
  format?: BulkFormat;
  /** File name, only used to pick the format. */
  name?: string;
}

/** Column prefix for one custom attribute per column, e.g. `attr.plan`. */
export const ATTRIBUTE_COLUMN_PREFIX = "attr.";

const ATTRIBUTES_FIELD = FIELDS.find((f) => f.kind === "attributes");
const ATTRIBUTES_LABEL = ATTRIBUTES_FIELD?.label ?? "Custom attributes";
const ATTRIBUTES_COLUMN = ATTRIBUTES_FIELD?.flag ?? "attr";
const COLUMN_FIELDS: ReadonlyMap<string, FieldSpec> = new Map(
  FIELDS.filter((f) => f.kind !== "attributes").map((f) => [f.flag, f]),
);

/** Every column name a bulk file may use (besides `attr.<name>`). */
export const BULK_COLUMNS: readonly string[] = Object.freeze([...COLUMN_FIELDS.keys(), ATTRIBUTES_COLUMN]);

/** 16 hex characters of SHA-256 over the row's canonical JSON. */
export function rowHash(input: RawUpdateUserInput): string {
  return createHash("sha256").update(canonicalJson(input)).digest("hex").slice(0, 16);
}

export function detectBulkFormat(text: string, name?: string): BulkFormat {
  const lower = (name ?? "").toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl") || lower.endsWith(".json")) return "ndjson";
  const first = text.replace(/^\uFEFF/, "").trimStart()[0];
  return first === "{" ? "ndjson" : "csv";
}

function unknownColumn(column: string): string {
  const dashed = column.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/_/g, "-");
  const hint = COLUMN_FIELDS.has(dashed) || dashed === ATTRIBUTES_COLUMN ? ` (did you mean "${dashed}"?)` : "";
  return `unknown column "${column}"${hint}; columns are ${BULK_COLUMNS.join(", ")} and ${ATTRIBUTE_COLUMN_PREFIX}<name>`;
}

function isKnownColumn(column: string): boolean {
  return (
    COLUMN_FIELDS.has(column) ||
    column === ATTRIBUTES_COLUMN ||
    (column.startsWith(ATTRIBUTE_COLUMN_PREFIX) && column.length > ATTRIBUTE_COLUMN_PREFIX.length)
  );
}

type Cell = string | number | boolean | null | Record<string, unknown>;

/**
 * Maps one row's cells (column -> value) to a raw input. Blank cells mean "unset" (the key is left out). Attribute
 * cells go through the same parser as a form's text (`name=value` pairs or a JSON object); `attr.<name>` cells are
 * text, typed later from the workspace's definitions. `typed` (NDJSON) keeps JSON types.
 */
function toInput(
  cells: ReadonlyArray<[string, Cell]>,
  typed: boolean,
): { input: RawUpdateUserInput; errors: FieldError[] } {
  const input: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  const attrError = (message: string) => errors.push({ field: "customAttributes", label: ATTRIBUTES_LABEL, message });
  const attributes: Record<string, CustomAttributeValue> = {};
  const types: Record<string, AttributeDataType> = {};
  const add = (name: string, value: CustomAttributeValue) => {
    if (Object.hasOwn(attributes, name)) attrError(`attribute "${name}" is given more than once`);
    else Object.defineProperty(attributes, name, { value, enumerable: true, writable: true, configurable: true });
  };

  for (const [column, value] of cells) {
    if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) continue;
    const field = COLUMN_FIELDS.get(column);
    if (field) {
      if (typeof value === "object") {
        errors.push({ field: field.key, label: field.label, message: `must be a single value, not an object` });
      } else {
        // JSON numbers for text columns (e.g. "user-id": 42) are the text they spell.
        input[field.key] =
          typeof value === "number" && field.kind !== "number" && field.kind !== "time" ? String(value) : value;
      }
      continue;
    }
    if (column === ATTRIBUTES_COLUMN) {
      if (typeof value === "object") {
        for (const [name, item] of Object.entries(value)) add(name, item as CustomAttributeValue); // checked by validation
      } else if (typeof value === "string") {
        const parsed = parseAttributeText(value);
        if (!parsed.ok) errors.push(...parsed.errors);
        else {
          for (const [name, item] of Object.entries(parsed.attributes)) add(name, item);
          Object.assign(types, parsed.types);
        }
      } else attrError(`the "${ATTRIBUTES_COLUMN}" column must hold name=value;name=value or a JSON object`);
      continue;
    }
    const name = column.slice(ATTRIBUTE_COLUMN_PREFIX.length);
    if (typed && typeof value !== "object") add(name, value);
    else if (typeof value === "string") {
      // The same reading as `--attr name=value` (quotes removed).
      const parsed = parseAttributePairs([`${name}=${value}`]);
      if (!parsed.ok) errors.push(...parsed.errors);
      else for (const [n, item] of Object.entries(parsed.attributes)) add(n, item);
    } else attrError(`"${name}" must be text, a number or true/false`);
  }
  if (Object.keys(attributes).length > 0) input.customAttributes = attributes;
  if (Object.keys(types).length > 0) input.attributeTypes = types;
  return { input: input as RawUpdateUserInput, errors };
}

function makeRow(row: number, line: number, cells: ReadonlyArray<[string, Cell]>, typed: boolean): BulkRow {
  const { input, errors } = toInput(cells, typed);
  const out: BulkRow = { row, line, input, hash: rowHash(input) };
  if (errors.length > 0) out.errors = errors;
  return out;
}

function countNewlines(buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let at = buf.indexOf(0x0a, start); at !== -1 && at < end; at = buf.indexOf(0x0a, at + 1)) n++;
  return n;
}

function rowProblem(row: number, line: number, message: string, column: string | null = null): BulkRow {
  return {
    row,
    line,
    input: {},
    hash: "",
    errors: [{ field: "input", label: column === null ? "Row" : `Column "${column}"`, message }],
  };
}

function parseCsvRows(buf: Buffer): BulkInputResult {
  let records: Array<{ record: string[]; info: { bytes: number } }>;
  try {
    records = parseCsv(buf, { bom: true, info: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    const e = error as Error & { lines?: number };
    const line = typeof e.lines === "number" ? e.lines : null;
    return { ok: false, format: "csv", errors: [{ row: null, line, column: null, message: `CSV: ${e.message}` }] };
  }
  const header = records[0];
  if (!header) {
    const message = "the file is empty: expected a header row naming the columns";
    return { ok: false, format: "csv", errors: [{ row: null, line: 1, column: null, message }] };
  }
  const columns = header.record.map((c) => c.trim());
  const errors: BulkInputError[] = [];
  const seen = new Set<string>();
  for (const column of columns) {
    if (column === "") continue; // allowed while its cells stay empty (spreadsheets add such columns)
    if (!isKnownColumn(column)) errors.push({ row: null, line: 1, column, message: unknownColumn(column) });
    else if (seen.has(column)) errors.push({ row: null, line: 1, column, message: `column "${column}" appears twice` });
    seen.add(column);
  }
  if (errors.length > 0) return { ok: false, format: "csv", errors };

  // csv-parse's own line count double-counts CRLF inside quotes; count newlines in the bytes before each record.
  const rows: BulkRow[] = [];
  let prevEnd = header.info.bytes;
  let newlinesBefore = countNewlines(buf, 0, prevEnd);
  for (const { record, info } of records.slice(1)) {
    const line = newlinesBefore + 1;
    newlinesBefore += countNewlines(buf, prevEnd, info.bytes);
    prevEnd = info.bytes;
    if (record.every((cell) => cell.trim() === "")) continue; // a blank line, or a spreadsheet's ",,,"
    const row = rows.length + 1;
    if (record.length > columns.length) {
      rows.push(rowProblem(row, line, `has ${record.length} cells but the header has ${columns.length} columns`));
      continue;
    }
    const unnamed = record.findIndex((cell, i) => columns[i] === "" && cell.trim() !== "");
    if (unnamed >= 0) {
      rows.push(rowProblem(row, line, `column ${unnamed + 1} has no name in the header but holds a value`));
      continue;
    }
    const cells = record.map((cell, i): [string, Cell] => [columns[i] ?? "", cell]).filter(([c]) => c !== "");
    rows.push(makeRow(row, line, cells, false));
  }
  if (rows.length === 0) {
    return {
      ok: false,
      format: "csv",
      errors: [{ row: null, line: null, column: null, message: "no data rows after the header" }],
    };
  }
  return { ok: true, format: "csv", rows, columns: columns.filter((c) => c !== "") };
}

const CELL_TYPES: ReadonlySet<string> = new Set(["string", "number", "boolean"]);

function parseNdjsonRows(text: string): BulkInputResult {
  const rows: BulkRow[] = [];
  const columns = new Set<string>();
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  for (const [i, raw] of lines.entries()) {
    const lineText = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (lineText.trim() === "") continue;
    const line = i + 1;
    const row = rows.length + 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(lineText);
    } catch (error) {
      rows.push(rowProblem(row, line, `is not valid JSON (${(error as Error).message})`));
      continue;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      rows.push(rowProblem(row, line, 'must be a JSON object like {"user-id": "42", "name": "Ada"}'));
      continue;
    }
    const cells: Array<[string, Cell]> = [];
    const problems: FieldError[] = [];
    for (const [column, value] of Object.entries(parsed as Record<string, unknown>)) {
      const label = `Column "${column}"`;
      if (!isKnownColumn(column)) {
        problems.push({ field: "input", label, message: unknownColumn(column) });
        continue;
      }
      columns.add(column);
      const isAttrObject =
        column === ATTRIBUTES_COLUMN && typeof value === "object" && value !== null && !Array.isArray(value);
      if (value !== null && !CELL_TYPES.has(typeof value) && !isAttrObject) {
        problems.push({ field: "input", label, message: "must be text, a number, true/false or null" });
        continue;
      }
      cells.push([column, value as Cell]);
    }
    if (problems.length > 0) rows.push({ row, line, input: {}, hash: "", errors: problems });
    else rows.push(makeRow(row, line, cells, true));
  }
  if (rows.length === 0) {
    return {
      ok: false,
      format: "ndjson",
      errors: [{ row: null, line: null, column: null, message: "no rows: the input is empty" }],
    };
  }
  return { ok: true, format: "ndjson", rows, columns: [...columns] };
}

/** Reads a whole CSV or NDJSON document. Every problem is reported at once, with row, line and column. */
export function parseBulkInput(data: string | Uint8Array, options: ParseBulkInputOptions = {}): BulkInputResult {
  const buf =
    typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const text = typeof data === "string" ? data : buf.toString("utf8");
  const format = options.format ?? detectBulkFormat(text.slice(0, 4096), options.name);
  return format === "csv" ? parseCsvRows(buf) : parseNdjsonRows(text);
}

/** "row 3 (line 4), column "name": message" */
export function formatBulkInputError(error: BulkInputError): string {
  const where = [
    error.row !== null ? `row ${error.row}` : null,
    error.line !== null
      ? `${error.row !== null ? "(line " : "line "}${error.line}${error.row !== null ? ")" : ""}`
      : null,
  ]
    .filter(Boolean)
    .join(" ");
  return where ? `${where}: ${error.message}` : error.message;
}
