import { fail, type Reply } from "../errors.js";
import type { CustomValue } from "../model.js";
import { servesV216 } from "../versions.js";
import { contactView, segmentView } from "../views.js";
import {
  isObject,
  isReply,
  MAX_STRING,
  merged,
  ok,
  type RouteContext,
  resolveContact,
  userNotFound,
} from "./context.js";
import { checkCustomAttributes } from "./custom-attributes.js";

export function showContact(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  return isReply(c) ? c : ok(contactView(ctx.store.data, c, ctx.version));
}

export function showContactByExternalId(ctx: RouteContext): Reply {
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

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function updateContact(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const body = ctx.body === undefined ? {} : ctx.body;
  if (!isObject(body)) return fail(400, ctx.requestId, "parameter_invalid", "The request body must be a JSON object");
  const v2_16 = servesV216(ctx.version);
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

export function listSegments(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const data = ctx.store.data.segments.filter((s) => c.segment_ids.includes(s.id)).map(segmentView);
  return ok({ type: "list", data });
}
