import { fail, type Reply } from "./errors.js";
import type { ContactRecord, CustomValue, DataAttribute } from "./model.js";
import type { Store } from "./store.js";
import { companyView, contactView, type JsonObject, ownerIdIsString, segmentView, tagView } from "./views.js";

export interface RouteContext {
  store: Store;
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  version: string;
  requestId: string;
  nowSec: number;
  /** e.g. http://127.0.0.1:4010, for absolute `next` links. */
  baseUrl: string;
}

type Handler = (ctx: RouteContext) => Reply;

interface Route {
  method: string;
  pattern: string[];
  handler: Handler;
}

const MAX_STRING = 255;
const MAX_INT32 = 2_147_483_647;
const MAX_COMPANIES_PER_CONTACT = 1000;

const ok = (body: JsonObject, status = 200): Reply => ({ status, body });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const userNotFound = (ctx: RouteContext): Reply => fail(404, ctx.requestId, "not_found", "User Not Found");

function merged(ctx: RouteContext, c: ContactRecord): Reply {
  const canonical = ctx.store.canonicalId(c);
  return {
    ...fail(
      410,
      ctx.requestId,
      "contact_merged",
      "This contact has been merged. See the 'Link' header for the canonical contact.",
    ),
    headers: { Link: `</contacts/${canonical}>; rel="canonical"` },
  };
}

/** Resolves `{contact_id}`: the contact, or the 404 / 410 reply. */
function resolveContact(ctx: RouteContext): ContactRecord | Reply {
  const c = ctx.store.contact(ctx.params.contact_id!);
  if (!c) return userNotFound(ctx);
  if (c.merged_into) return merged(ctx, c);
  return c;
}

const isReply = (v: unknown): v is Reply => isObject(v) && typeof v.status === "number" && isObject(v.body);

// ---------------------------------------------------------------------------------------------- contacts

function showContact(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  return isReply(c) ? c : ok(contactView(ctx.store.data, c, ctx.version));
}

function showContactByExternalId(ctx: RouteContext): Reply {
  const ext = ctx.params.external_id!;
  // "this endpoint only supports users and not leads"
  const users = ctx.store.data.contacts.filter((c) => c.role === "user" && c.external_id === ext);
  const live = users.find((c) => c.merged_into === null);
  if (live) return ok(contactView(ctx.store.data, live, ctx.version));
  const gone = users[0];
  return gone ? merged(ctx, gone) : userNotFound(ctx);
}

type Check = (v: unknown) => boolean;
const isStr: Check = (v) => typeof v === "string";
const isStrOrNull: Check = (v) => v === null || typeof v === "string";
const isIntOrNull: Check = (v) => v === null || (Number.isInteger(v) && Math.abs(v as number) <= 2 ** 53);
const isBoolOrNull: Check = (v) => v === null || typeof v === "boolean";

const UPDATE_FIELDS: Record<string, { check: Check; want: string }> = {
  role: { check: isStr, want: "a string (user or lead)" },
  external_id: { check: isStr, want: "a string" },
  email: { check: isStr, want: "a string" },
  phone: { check: isStrOrNull, want: "a string or null" },
  name: { check: isStrOrNull, want: "a string or null" },
  avatar: { check: isStrOrNull, want: "a string (image URL) or null" },
  signed_up_at: { check: isIntOrNull, want: "an integer (Unix seconds) or null" },
  last_seen_at: { check: isIntOrNull, want: "an integer (Unix seconds) or null" },
  owner_id: { check: isIntOrNull, want: "an integer or null" },
  unsubscribed_from_emails: { check: isBoolOrNull, want: "a boolean or null" },
  custom_attributes: { check: (v) => v === null || isObject(v), want: "an object or null" },
};

function checkCustomValue(attr: DataAttribute, v: unknown): string | null {
  if (v === null) return null;
  switch (attr.data_type) {
    case "string":
      if (typeof v !== "string") return "must be a string";
      return v.length > MAX_STRING ? `must be at most ${MAX_STRING} characters` : null;
    case "integer":
      return Number.isInteger(v) && Math.abs(v as number) <= MAX_INT32 ? null : "must be an integer";
    case "float":
      return typeof v === "number" && Number.isFinite(v) ? null : "must be a number";
    case "boolean":
      return typeof v === "boolean" ? null : "must be a boolean";
    case "date":
      return Number.isInteger(v) ? null : "must be a Unix timestamp (integer seconds)";
  }
}

/** Intercom 2.x accepts only custom attributes that are already defined for the model, with values of their type. */
function checkCustomAttributes(
  ctx: RouteContext,
  model: DataAttribute["model"],
  custom: Record<string, unknown>,
): Reply | null {
  for (const [name, value] of Object.entries(custom)) {
    const attr = ctx.store.data.data_attributes.find((a) => a.model === model && a.name === name);
    const problem = attr ? checkCustomValue(attr, value) : "does not exist";
    if (problem)
      return fail(
        400,
        ctx.requestId,
        "parameter_invalid",
        `Custom attribute '${name}' ${problem}`,
        `custom_attributes.${name}`,
      );
  }
  return null;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function updateContact(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const body = ctx.body === undefined ? {} : ctx.body;
  if (!isObject(body)) return fail(400, ctx.requestId, "parameter_invalid", "The request body must be a JSON object");
  const v2_16 = ownerIdIsString(ctx.version);
  for (const [key, value] of Object.entries(body)) {
    if (key === "email_verified" && v2_16) {
      if (!isBoolOrNull(value))
        return fail(400, ctx.requestId, "parameter_invalid", "email_verified must be a boolean or null", key);
      if (!("email" in body))
        return fail(400, ctx.requestId, "parameter_invalid", "email_verified must be sent together with email", key);
      continue;
    }
    const spec = Object.hasOwn(UPDATE_FIELDS, key) ? UPDATE_FIELDS[key] : undefined;
    if (!spec) return fail(400, ctx.requestId, "bad_request", `bad '${key}' parameter`, key);
    const okType =
      key === "owner_id" && v2_16
        ? value === null || (typeof value === "string" && /^\d+$/.test(value)) || Number.isInteger(value)
        : spec.check(value);
    if (!okType) {
      const want = key === "owner_id" && v2_16 ? "a string of digits or null" : spec.want;
      return fail(400, ctx.requestId, "parameter_invalid", `${key} must be ${want}`, key);
    }
    if (typeof value === "string" && value.length > MAX_STRING && key !== "avatar")
      return fail(400, ctx.requestId, "parameter_invalid", `${key} must be at most ${MAX_STRING} characters`, key);
  }
  const b = body as Record<string, unknown>;
  if (b.external_id === "")
    return fail(400, ctx.requestId, "parameter_invalid", "external_id must be a non-empty string", "external_id");
  if (b.role !== undefined && b.role !== "user" && b.role !== "lead")
    return fail(400, ctx.requestId, "parameter_invalid", "role must be user or lead", "role");
  if (typeof b.email === "string" && b.email !== "" && !EMAIL_RE.test(b.email))
    return fail(400, ctx.requestId, "parameter_invalid", "Email address is invalid", "email");
  if (typeof b.avatar === "string" && !/^https?:\/\/\S+$/.test(b.avatar))
    return fail(400, ctx.requestId, "parameter_invalid", "avatar must be an http(s) image URL", "avatar");
  const custom = isObject(b.custom_attributes) ? b.custom_attributes : {};
  const customProblem = checkCustomAttributes(ctx, "contact", custom);
  if (customProblem) return customProblem;
  const others = ctx.store.data.contacts.filter((x) => x.id !== c.id && x.merged_into === null);
  if (typeof b.email === "string" && b.email !== "") {
    const clash = others.find((x) => x.email.toLowerCase() === (b.email as string).toLowerCase());
    if (clash && b.email.toLowerCase() !== c.email.toLowerCase())
      return fail(
        409,
        ctx.requestId,
        "conflict",
        `A contact matching those details already exists with id=${clash.id}`,
      );
  }
  if (typeof b.external_id === "string" && b.external_id !== c.external_id) {
    const clash = others.find((x) => x.external_id === b.external_id);
    if (clash)
      return fail(
        409,
        ctx.requestId,
        "conflict",
        `A contact matching those details already exists with id=${clash.id}`,
      );
  }

  // Apply (validated above, so nothing can fail half-way).
  if (typeof b.role === "string") c.role = b.role as "user" | "lead";
  if (typeof b.external_id === "string") c.external_id = b.external_id;
  if (typeof b.email === "string") c.email = b.email;
  if ("phone" in b) c.phone = b.phone as string | null;
  if ("name" in b) c.name = b.name as string | null;
  if ("avatar" in b) c.avatar = b.avatar as string | null;
  if ("signed_up_at" in b) c.signed_up_at = b.signed_up_at as number | null;
  if ("last_seen_at" in b) c.last_seen_at = b.last_seen_at as number | null;
  if ("owner_id" in b) c.owner_id = b.owner_id === null ? null : Number(b.owner_id);
  // null means "not unsubscribed"; undefined leaves the value alone.
  if ("unsubscribed_from_emails" in b) c.unsubscribed_from_emails = b.unsubscribed_from_emails === true;
  for (const [name, value] of Object.entries(custom)) c.custom_attributes[name] = value as CustomValue;
  c.updated_at = Math.max(ctx.nowSec, c.updated_at);
  ctx.store.changed();
  return ok(contactView(ctx.store.data, c, ctx.version));
}

// ---------------------------------------------------------------------------------------------- search

const SEARCHABLE_STRINGS = new Set(["id", "external_id", "email", "email_domain", "name", "phone", "role"]);
const SEARCHABLE_BOOLEANS = new Set(["unsubscribed_from_emails", "marked_email_as_spam", "has_hard_bounced"]);
const OPERATORS = new Set(["=", "!=", "IN", "NIN", "<", "<=", ">", ">=", "~", "!~", "^", "$"]);
const MAX_PER_PAGE = 150;

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

function searchContacts(ctx: RouteContext): Reply {
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
  let rows = ctx.store.data.contacts.filter((c) => c.merged_into === null && predicate(c));
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

// ---------------------------------------------------------------------------------------------- companies

const COMPANY_FIELDS = new Set([
  "name",
  "company_id",
  "plan",
  "size",
  "website",
  "industry",
  "custom_attributes",
  "remote_created_at",
  "monthly_spend",
]);

function createOrUpdateCompany(ctx: RouteContext): Reply {
  const body = ctx.body === undefined || ctx.body === null ? {} : ctx.body;
  if (!isObject(body)) return fail(400, ctx.requestId, "parameter_invalid", "The request body must be a JSON object");
  for (const key of Object.keys(body))
    if (!COMPANY_FIELDS.has(key)) return fail(400, ctx.requestId, "bad_request", `bad '${key}' parameter`, key);
  const bad = (field: string, want: string) =>
    fail(400, ctx.requestId, "parameter_invalid", `${field} must be ${want}`, field);
  for (const k of ["name", "company_id", "plan", "website", "industry"])
    if (body[k] !== undefined && typeof body[k] !== "string") return bad(k, "a string");
  for (const k of ["name", "company_id", "plan", "industry"])
    if (typeof body[k] === "string" && (body[k] as string).length > MAX_STRING)
      return bad(k, `at most ${MAX_STRING} characters`);
  for (const k of ["size", "remote_created_at"])
    if (body[k] !== undefined && !(Number.isInteger(body[k]) && Math.abs(body[k] as number) <= MAX_INT32))
      return bad(k, "an integer");
  let spend: number | undefined;
  if (body.monthly_spend !== undefined) {
    if (typeof body.monthly_spend !== "number" || !Number.isFinite(body.monthly_spend))
      return bad("monthly_spend", "a number");
    spend = Math.trunc(body.monthly_spend);
    if (spend > MAX_INT32 || spend < -MAX_INT32 - 1)
      return fail(
        400,
        ctx.requestId,
        "parameter_invalid",
        `monthly_spend must be at most ${MAX_INT32} (2**31-1)`,
        "monthly_spend",
      );
  }
  const custom = body.custom_attributes;
  if (custom !== undefined) {
    if (!isObject(custom)) return bad("custom_attributes", "an object");
    const customProblem = checkCustomAttributes(ctx, "company", custom);
    if (customProblem) return customProblem;
  }
  const companyId = body.company_id as string | undefined;
  if (companyId === "") return bad("company_id", "a non-empty string");
  if (companyId === undefined && typeof body.name !== "string")
    return fail(400, ctx.requestId, "parameter_not_found", "company_id or name is required", "company_id");

  let co = companyId === undefined ? undefined : ctx.store.companyByCompanyId(companyId);
  if (!co) {
    const id = ctx.store.newId(ctx.nowSec);
    co = {
      id,
      // Without a company_id Intercom still gives the company one; the sandbox uses its id.
      company_id: companyId ?? id,
      name: null,
      plan: null,
      size: null,
      website: null,
      industry: null,
      monthly_spend: 0,
      remote_created_at: null,
      created_at: ctx.nowSec,
      updated_at: ctx.nowSec,
      last_request_at: null,
      session_count: 0,
      custom_attributes: {},
    };
    ctx.store.data.companies.push(co);
  }
  if (typeof body.name === "string") co.name = body.name;
  if (typeof body.plan === "string") co.plan = body.plan;
  if (typeof body.size === "number") co.size = body.size;
  if (typeof body.website === "string") co.website = body.website;
  if (typeof body.industry === "string") co.industry = body.industry;
  if (typeof body.remote_created_at === "number") co.remote_created_at = body.remote_created_at;
  if (spend !== undefined) co.monthly_spend = spend;
  if (isObject(custom)) Object.assign(co.custom_attributes, custom);
  co.updated_at = Math.max(ctx.nowSec, co.updated_at);
  ctx.store.changed();
  return ok(companyView(ctx.store.data, co));
}

function attachCompany(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const body = ctx.body;
  if (!isObject(body) || body.id === undefined || body.id === null || body.id === "")
    return fail(400, ctx.requestId, "parameter_not_found", "company not specified", "id");
  if (typeof body.id !== "string") return fail(400, ctx.requestId, "parameter_invalid", "id must be a string", "id");
  const co = ctx.store.company(body.id);
  if (!co) return fail(404, ctx.requestId, "company_not_found", "Company Not Found");
  if (!c.company_ids.includes(co.id)) {
    if (c.company_ids.length >= MAX_COMPANIES_PER_CONTACT)
      return fail(
        400,
        ctx.requestId,
        "contact_company_limit_exceeded",
        "Contact has reached the maximum of 1000 company associations",
      );
    c.company_ids.push(co.id);
    ctx.store.changed();
  }
  return ok(companyView(ctx.store.data, co));
}

function positiveInt(ctx: RouteContext, name: string, dflt: number, max: number): number | Reply {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    return fail(400, ctx.requestId, "parameter_invalid", `${name} must be an integer between 1 and ${max}`, name);
  return n;
}

function listAttachedCompanies(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const page = positiveInt(ctx, "page", 1, 1_000_000);
  if (isReply(page)) return page;
  const perPage = positiveInt(ctx, "per_page", 50, MAX_PER_PAGE);
  if (isReply(perPage)) return perPage;
  const all = ctx.store.attachedCompanies(c);
  const items = all.slice((page - 1) * perPage, page * perPage).map((co) => companyView(ctx.store.data, co));
  const totalPages = Math.ceil(all.length / perPage);
  const next =
    page < totalPages ? `${ctx.baseUrl}/contacts/${c.id}/companies?page=${page + 1}&per_page=${perPage}` : null;
  return ok({
    type: "list",
    // The official schema names the array `companies` (the official SDK reads it), the official example `data`.
    data: items,
    companies: items,
    total_count: all.length,
    pages: { type: "pages", next, page, per_page: perPage, total_pages: totalPages },
  });
}

function listTags(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const data = c.tags.flatMap((t) => {
    const tag = ctx.store.data.tags.find((x) => x.id === t.id);
    return tag ? [tagView(tag, t.applied_at)] : [];
  });
  return ok({ type: "list", data });
}

function listSegments(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const data = ctx.store.data.segments.filter((s) => c.segment_ids.includes(s.id)).map(segmentView);
  return ok({ type: "list", data });
}

const route = (method: string, pattern: string, handler: Handler): Route => ({
  method,
  pattern: pattern.split("/").filter(Boolean),
  handler,
});

/** The Intercom routes the sandbox serves (the operations of "update a user"). */
export const ROUTES: readonly Route[] = [
  route("POST", "/contacts/search", searchContacts),
  route("GET", "/contacts/find_by_external_id/:external_id", showContactByExternalId),
  route("GET", "/contacts/:contact_id", showContact),
  route("PUT", "/contacts/:contact_id", updateContact),
  route("GET", "/contacts/:contact_id/companies", listAttachedCompanies),
  route("POST", "/contacts/:contact_id/companies", attachCompany),
  route("GET", "/contacts/:contact_id/tags", listTags),
  route("GET", "/contacts/:contact_id/segments", listSegments),
  route("POST", "/companies", createOrUpdateCompany),
];

export type RouteMatch =
  | { kind: "found"; handler: Handler; params: Record<string, string>; template: string }
  | { kind: "method"; allowed: string[] }
  | { kind: "none" };

/** `segments` are already percent-decoded. */
export function matchRoute(method: string, segments: string[]): RouteMatch {
  const allowed: string[] = [];
  for (const r of ROUTES) {
    if (r.pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let hit = true;
    for (let i = 0; i < r.pattern.length; i++) {
      const p = r.pattern[i]!;
      const s = segments[i]!;
      if (p.startsWith(":")) params[p.slice(1)] = s;
      else if (p !== s) {
        hit = false;
        break;
      }
    }
    if (!hit) continue;
    // "/contacts/search" must not be read as GET /contacts/{id} = "search" when the method differs.
    if (r.method === method) return { kind: "found", handler: r.handler, params, template: `/${r.pattern.join("/")}` };
    allowed.push(r.method);
  }
  return allowed.length ? { kind: "method", allowed } : { kind: "none" };
}
