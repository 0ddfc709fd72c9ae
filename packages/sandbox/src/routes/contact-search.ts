import { fail, type Reply } from "../errors.js";
import type { ContactRecord } from "../model.js";
import { contactView, type JsonObject } from "../views.js";
import { isObject, ok, type RouteContext } from "./context.js";

const SEARCHABLE_STRINGS = new Set(["id", "external_id", "email", "email_domain", "name", "phone", "role"]);
const SEARCHABLE_BOOLEANS = new Set(["unsubscribed_from_emails", "marked_email_as_spam", "has_hard_bounced"]);
const OPERATORS = new Set(["=", "!=", "IN", "NIN", "<", "<=", ">", ">=", "~", "!~", "^", "$"]);
export const MAX_PER_PAGE = 150;

type Predicate = (c: ContactRecord) => boolean;

class QueryError extends Error {}

function fieldValue(c: ContactRecord, field: string): string | boolean | null {
  if (field === "email_domain") return c.email.slice(c.email.lastIndexOf("@") + 1);
  if (field === "tag_id" || field === "segment_id") return null;
  return (c as unknown as Record<string, string | boolean | null>)[field] ?? null;
}

function compileFilter(q: unknown, depth: number, at: string): Predicate {
  if (!isObject(q)) throw new QueryError(`${at} must be an object`);
  const op = q.operator;
  if (op === "AND" || op === "OR") {
    if (depth >= 2) throw new QueryError(`${at}: filters can be nested at most 2 levels`);
    if (!Array.isArray(q.value) || q.value.length === 0)
      throw new QueryError(`${at}.value must be a non-empty array of filters`);
    if (q.value.length > 15) throw new QueryError(`${at}: at most 15 filters per ${op} group`);
    const parts = q.value.map((f, i) => compileFilter(f, depth + 1, `${at}.value[${i}]`));
    return op === "AND" ? (c) => parts.every((p) => p(c)) : (c) => parts.some((p) => p(c));
  }
  if (typeof op !== "string" || !OPERATORS.has(op)) throw new QueryError(`${at}.operator '${String(op)}' is invalid`);
  const field = q.field;
  if (typeof field !== "string") throw new QueryError(`${at}.field must be a string`);
  const value = q.value;
  if (field === "tag_id" || field === "segment_id") {
    if (op !== "=" && op !== "!=") throw new QueryError(`${at}: ${field} supports only = and !=`);
    if (typeof value !== "string") throw new QueryError(`${at}.value must be a string`);
    const has = (c: ContactRecord) =>
      field === "tag_id" ? c.tags.some((t) => t.id === value) : c.segment_ids.includes(value);
    return op === "=" ? has : (c) => !has(c);
  }
  if (SEARCHABLE_BOOLEANS.has(field)) {
    if (typeof value !== "boolean") throw new QueryError(`${at}.value must be a boolean for ${field}`);
    if (op !== "=" && op !== "!=") throw new QueryError(`${at}: ${field} supports only = and !=`);
    return op === "=" ? (c) => fieldValue(c, field) === value : (c) => fieldValue(c, field) !== value;
  }
  if (!SEARCHABLE_STRINGS.has(field)) throw new QueryError(`${at}.field '${field}' is not searchable in the sandbox`);
  if (op === "IN" || op === "NIN") {
    if (!Array.isArray(value) || !value.every((x) => typeof x === "string"))
      throw new QueryError(`${at}.value must be an array of strings for ${op}`);
    const set = new Set(value as string[]);
    return op === "IN" ? (c) => set.has(String(fieldValue(c, field))) : (c) => !set.has(String(fieldValue(c, field)));
  }
  if (op === "<" || op === "<=" || op === ">" || op === ">=")
    throw new QueryError(`${at}: ${op} is only valid on integer and date fields`);
  if (value !== null && typeof value !== "string") throw new QueryError(`${at}.value must be a string for ${field}`);
  const get = (c: ContactRecord): string | null => {
    const v = fieldValue(c, field);
    return v === null ? null : String(v);
  };
  const lower = (s: string | null) => (s ?? "").toLowerCase();
  const needle = value === null ? null : value;
  // Intercom matches email case-insensitively.
  const eq = (c: ContactRecord) =>
    field === "email" ? lower(get(c)) === lower(needle) : needle === null ? get(c) === null : get(c) === needle;
  switch (op) {
    case "=":
      return eq;
    case "!=":
      return (c) => !eq(c);
    case "~":
      return (c) => lower(get(c)).includes(lower(needle));
    case "!~":
      return (c) => !lower(get(c)).includes(lower(needle));
    case "^":
      return (c) => lower(get(c)).startsWith(lower(needle));
    default:
      return (c) => lower(get(c)).endsWith(lower(needle));
  }
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify(["sbx", offset])).toString("base64url");
}

function decodeCursor(s: string): number | null {
  try {
    const v = JSON.parse(Buffer.from(s, "base64url").toString("utf8"));
    return Array.isArray(v) && v[0] === "sbx" && Number.isInteger(v[1]) && v[1] >= 0 ? v[1] : null;
  } catch {
    return null;
  }
}

export function searchContacts(ctx: RouteContext): Reply {
  const body = ctx.body;
  if (!isObject(body) || body.query === undefined)
    return fail(400, ctx.requestId, "parameter_not_found", "query not specified", "query");
  for (const key of Object.keys(body))
    if (key !== "query" && key !== "pagination" && key !== "sort")
      return fail(400, ctx.requestId, "bad_request", `bad '${key}' parameter`, key);
  let predicate: Predicate;
  try {
    predicate = compileFilter(body.query, 0, "query");
  } catch (err) {
    if (err instanceof QueryError) return fail(400, ctx.requestId, "parameter_invalid", err.message, "query");
    throw err;
  }
  let perPage = 50;
  let offset = 0;
  if (body.pagination !== undefined && body.pagination !== null) {
    const p = body.pagination;
    if (!isObject(p))
      return fail(400, ctx.requestId, "parameter_invalid", "pagination must be an object", "pagination");
    if (p.per_page !== undefined) {
      if (!Number.isInteger(p.per_page) || (p.per_page as number) < 1 || (p.per_page as number) > MAX_PER_PAGE)
        return fail(
          400,
          ctx.requestId,
          "parameter_invalid",
          `per_page must be an integer between 1 and ${MAX_PER_PAGE}`,
          "pagination.per_page",
        );
      perPage = p.per_page as number;
    }
    if (p.starting_after !== undefined && p.starting_after !== null) {
      const o = typeof p.starting_after === "string" ? decodeCursor(p.starting_after) : null;
      if (o === null)
        return fail(400, ctx.requestId, "parameter_invalid", "starting_after is invalid", "pagination.starting_after");
      offset = o;
    }
  }
  // Merged and archived contacts are not searchable.
  let rows = ctx.store.data.contacts.filter((c) => c.merged_into === null && !c.archived && predicate(c));
  if (body.sort !== undefined) {
    const s = body.sort;
    if (!isObject(s) || typeof s.field !== "string")
      return fail(400, ctx.requestId, "parameter_invalid", "sort must be { field, order }", "sort");
    if (s.order !== undefined && s.order !== "ascending" && s.order !== "descending")
      return fail(400, ctx.requestId, "invalid_sort_order", "Sort order must be ascending or descending", "sort.order");
    const field = s.field;
    const dir = s.order === "descending" ? -1 : 1;
    rows = [...rows].sort((a, b) => {
      const x = (a as unknown as Record<string, unknown>)[field];
      const y = (b as unknown as Record<string, unknown>)[field];
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * dir;
    });
  }
  const page = rows.slice(offset, offset + perPage);
  const totalPages = Math.ceil(rows.length / perPage);
  const pages: JsonObject = {
    type: "pages",
    page: Math.floor(offset / perPage) + 1,
    per_page: perPage,
    total_pages: totalPages,
  };
  if (offset + perPage < rows.length)
    pages.next = { per_page: perPage, starting_after: encodeCursor(offset + perPage) };
  return ok({
    type: "list",
    data: page.map((c) => contactView(ctx.store.data, c, ctx.version)),
    total_count: rows.length,
    pages,
  });
}
