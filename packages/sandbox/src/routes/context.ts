import { fail, type Reply } from "../errors.js";
import type { ContactRecord } from "../model.js";
import type { Store } from "../store.js";
import { servesV216 } from "../versions.js";
import type { JsonObject } from "../views.js";

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

export type Handler = (ctx: RouteContext) => Reply;

export const MAX_STRING = 255;
export const MAX_INT32 = 2_147_483_647;

export const ok = (body: JsonObject, status = 200): Reply => ({ status, body });

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const isReply = (v: unknown): v is Reply => isObject(v) && typeof v.status === "number" && isObject(v.body);

export const userNotFound = (ctx: RouteContext): Reply => fail(404, ctx.requestId, "not_found", "User Not Found");

/** 410 contact_merged with a Link to the canonical contact. */
export function merged(ctx: RouteContext, c: ContactRecord): Reply {
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

/** The answer for a merged contact: 410 + Link on 2.16 (as documented there), 404 on earlier versions. */
export function mergedReply(ctx: RouteContext, c: ContactRecord): Reply {
  return servesV216(ctx.version) ? merged(ctx, c) : userNotFound(ctx);
}

/**
 * Resolves `{contact_id}`: the contact, or the reply: 404 for an unknown or archived one (unless `archived` is
 * allowed, for archive/unarchive), 404 / 410 for a merged one (by version).
 */
export function resolveContact(ctx: RouteContext, opts: { archived?: boolean } = {}): ContactRecord | Reply {
  const c = ctx.store.contact(ctx.params.contact_id!);
  if (!c) return userNotFound(ctx);
  if (c.merged_into) return mergedReply(ctx, c);
  if (c.archived && !opts.archived) return userNotFound(ctx);
  return c;
}

/** A `?name=` query parameter as an integer in [1, max] (default when absent), or the 400. */
export function positiveInt(ctx: RouteContext, name: string, dflt: number, max: number): number | Reply {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    return fail(400, ctx.requestId, "parameter_invalid", `${name} must be an integer between 1 and ${max}`, name);
  return n;
}
