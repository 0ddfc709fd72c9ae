import { fail, type Reply } from "../errors.js";
import { companyView } from "../views.js";
import { MAX_PER_PAGE } from "./contact-search.js";
import {
  isObject,
  isReply,
  MAX_INT32,
  MAX_STRING,
  ok,
  positiveInt,
  type RouteContext,
  resolveContact,
} from "./context.js";
import { checkCustomAttributes } from "./custom-attributes.js";

const MAX_COMPANIES_PER_CONTACT = 1000;

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

export function createOrUpdateCompany(ctx: RouteContext): Reply {
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

export function attachCompany(ctx: RouteContext): Reply {
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

export function listAttachedCompanies(ctx: RouteContext): Reply {
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

const companyNotFound = (ctx: RouteContext): Reply =>
  fail(404, ctx.requestId, "company_not_found", "Company Not Found");

/** `GET /companies/{company_id}`: by Intercom's id. */
export function showCompany(ctx: RouteContext): Reply {
  const co = ctx.store.company(ctx.params.company_id!);
  return co ? ok(companyView(ctx.store.data, co)) : companyNotFound(ctx);
}

const COMPANY_LIST_PER_PAGE = 15;
const COMPANY_LIST_MAX_PER_PAGE = 60;

/**
 * `GET /companies`: `?company_id=` or `?name=` (exact) finds that company (404 when none); `tag_id` / `segment_id`
 * filter (sandbox companies have neither, so those lists are empty); without a filter every company, paged.
 */
export function retrieveCompanies(ctx: RouteContext): Reply {
  const page = positiveInt(ctx, "page", 1, 1_000_000);
  if (isReply(page)) return page;
  const perPage = positiveInt(ctx, "per_page", COMPANY_LIST_PER_PAGE, COMPANY_LIST_MAX_PER_PAGE);
  if (isReply(perPage)) return perPage;
  const companyId = ctx.query.get("company_id");
  const name = ctx.query.get("name");
  const byTagOrSegment = ctx.query.has("tag_id") || ctx.query.has("segment_id");
  const rows = ctx.store.data.companies.filter(
    (co) =>
      (companyId === null || co.company_id === companyId) && (name === null || co.name === name) && !byTagOrSegment,
  );
  if ((companyId !== null || name !== null) && rows.length === 0) return companyNotFound(ctx);
  const totalPages = Math.ceil(rows.length / perPage);
  return ok({
    type: "list",
    data: rows.slice((page - 1) * perPage, page * perPage).map((co) => companyView(ctx.store.data, co)),
    // `cursor_pages` declares `next` an object: the next page's number and size, or null on the last page.
    pages: {
      type: "pages",
      next: page < totalPages ? { page: page + 1, per_page: perPage } : null,
      page,
      per_page: perPage,
      total_pages: totalPages,
    },
    total_count: rows.length,
  });
}
