import { fail, type Reply } from "../errors.js";
import type { ContactRecord, CustomValue } from "../model.js";
import { blankContact } from "../seed.js";
import { servesV216 } from "../versions.js";
import { contactReferenceView, contactView, segmentView } from "../views.js";
import {
  isObject,
  isReply,
  MAX_STRING,
  mergedReply,
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
  // "this endpoint only supports users and not leads"; archived contacts are not found either.
  const users = ctx.store.data.contacts.filter((c) => c.role === "user" && c.external_id === ext && !c.archived);
  const live = users.find((c) => c.merged_into === null);
  if (live) return ok(contactView(ctx.store.data, live, ctx.version));
  const gone = users[0];
  return gone ? mergedReply(ctx, gone) : userNotFound(ctx);
}

type Check = (v: unknown) => boolean;
const isStr: Check = (v) => typeof v === "string";
const isStrOrNull: Check = (v) => v === null || typeof v === "string";
const isIntOrNull: Check = (v) => v === null || (Number.isInteger(v) && Math.abs(v as number) <= 2 ** 53);
const isBoolOrNull: Check = (v) => v === null || typeof v === "boolean";

/** `update_contact_request` (and `create_contact_request`): field -> type check, as the version's schema says. */
const CONTACT_FIELDS: Record<string, { check: Check; want: string }> = {
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
/** 2.16 changed `owner_id` to a string. */
const OWNER_ID_216 = { check: isStrOrNull, want: "a string or null" };

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const conflict = (ctx: RouteContext, other: ContactRecord): Reply =>
  other.archived
    ? fail(
        409,
        ctx.requestId,
        "conflict",
        `An archived contact matching those details already exists with id=${other.id}`,
      )
    : fail(409, ctx.requestId, "conflict", `A contact matching those details already exists with id=${other.id}`);

/**
 * Checks a contact body against the version's schema and the workspace (admins, data attributes, other contacts'
 * emails and external ids). `current` is the contact being updated (null on create). Returns the body, or the 4xx.
 */
function checkContactBody(
  ctx: RouteContext,
  current: ContactRecord | null,
): { body: Record<string, unknown> } | { reply: Reply } {
  const bad = (status: number, code: string, message: string, field?: string) => ({
    reply: fail(status, ctx.requestId, code, message, field),
  });
  const raw = ctx.body === undefined ? {} : ctx.body;
  if (!isObject(raw)) return bad(400, "parameter_invalid", "The request body must be a JSON object");
  const v216 = servesV216(ctx.version);
  const b: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "email_verified") {
      // 2.16 added it (to be sent with email); earlier versions' schemas do not have it: ignored there.
      if (!v216) continue;
      if (!isBoolOrNull(value)) return bad(400, "parameter_invalid", "email_verified must be a boolean or null", key);
      if (!("email" in raw))
        return bad(400, "parameter_invalid", "email_verified must be sent together with email", key);
      continue;
    }
    const spec =
      key === "owner_id" && v216 ? OWNER_ID_216 : Object.hasOwn(CONTACT_FIELDS, key) ? CONTACT_FIELDS[key] : undefined;
    if (!spec) return bad(400, "bad_request", `bad '${key}' parameter`, key);
    if (!spec.check(value)) return bad(400, "parameter_invalid", `${key} must be ${spec.want}`, key);
    if (typeof value === "string" && value.length > MAX_STRING && key !== "avatar")
      return bad(400, "parameter_invalid", `${key} must be at most ${MAX_STRING} characters`, key);
    b[key] = value;
  }
  if (b.external_id === "")
    return bad(400, "parameter_invalid", "external_id must be a non-empty string", "external_id");
  if (b.role !== undefined && b.role !== "user" && b.role !== "lead")
    return bad(400, "parameter_invalid", "role must be user or lead", "role");
  if (current?.role === "user" && b.role === "lead")
    return bad(400, "parameter_invalid", "This contact is a user, and a user can't be converted into a lead", "role");
  if (typeof b.email === "string" && b.email !== "" && !EMAIL_RE.test(b.email))
    return bad(400, "parameter_invalid", "Email address is invalid", "email");
  if (typeof b.avatar === "string" && !/^https?:\/\/\S+$/.test(b.avatar))
    return bad(400, "parameter_invalid", "avatar must be an http(s) image URL", "avatar");
  if (b.owner_id !== undefined && b.owner_id !== null && !ctx.store.admin(String(b.owner_id)))
    return bad(
      400,
      "parameter_invalid",
      `owner_id ${String(b.owner_id)} is not an admin of this workspace`,
      "owner_id",
    );
  if (isObject(b.custom_attributes)) {
    const problem = checkCustomAttributes(ctx, "contact", b.custom_attributes);
    if (problem) return { reply: problem };
  }
  // Another contact (merged ones are gone; archived ones still hold their email and external id).
  const others = ctx.store.data.contacts.filter((x) => x.id !== current?.id && x.merged_into === null);
  if (typeof b.email === "string" && b.email !== "") {
    const email = b.email.toLowerCase();
    // Re-sending the contact's own email is fine, even when another contact shares it.
    const clash =
      email === current?.email.toLowerCase() ? undefined : others.find((x) => x.email.toLowerCase() === email);
    if (clash) return { reply: conflict(ctx, clash) };
  }
  if (typeof b.external_id === "string" && b.external_id !== current?.external_id) {
    const clash = others.find((x) => x.external_id === b.external_id);
    if (clash) return { reply: conflict(ctx, clash) };
  }
  return { body: b };
}

/** Applies a checked body; returns whether anything changed. */
function applyContactBody(c: ContactRecord, b: Record<string, unknown>): boolean {
  let changed = false;
  const set = <K extends keyof ContactRecord>(key: K, value: ContactRecord[K]): void => {
    if (c[key] !== value) {
      c[key] = value;
      changed = true;
    }
  };
  if (typeof b.role === "string") set("role", b.role as ContactRecord["role"]);
  if (typeof b.external_id === "string") set("external_id", b.external_id);
  if (typeof b.email === "string") set("email", b.email);
  if ("phone" in b) set("phone", b.phone as string | null);
  if ("name" in b) set("name", b.name as string | null);
  if ("avatar" in b) set("avatar", b.avatar as string | null);
  if ("signed_up_at" in b) set("signed_up_at", b.signed_up_at as number | null);
  if ("last_seen_at" in b) set("last_seen_at", b.last_seen_at as number | null);
  if ("owner_id" in b) set("owner_id", b.owner_id === null ? null : Number(b.owner_id));
  // null means "not unsubscribed"; absent leaves the value alone.
  if ("unsubscribed_from_emails" in b) set("unsubscribed_from_emails", b.unsubscribed_from_emails === true);
  if (isObject(b.custom_attributes))
    for (const [name, value] of Object.entries(b.custom_attributes)) {
      if (c.custom_attributes[name] === value && Object.hasOwn(c.custom_attributes, name)) continue;
      c.custom_attributes[name] = value as CustomValue;
      changed = true;
    }
  return changed;
}

export function updateContact(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const checked = checkContactBody(ctx, c);
  if ("reply" in checked) return checked.reply;
  // Validated above, so nothing can fail half-way. A PUT that changes nothing leaves updated_at alone.
  if (applyContactBody(c, checked.body)) {
    c.updated_at = Math.max(ctx.nowSec, c.updated_at);
    ctx.store.changed();
  }
  return ok(contactView(ctx.store.data, c, ctx.version));
}

export function createContact(ctx: RouteContext): Reply {
  const checked = checkContactBody(ctx, null);
  if ("reply" in checked) return checked.reply;
  const b = checked.body;
  if (b.email === undefined && b.external_id === undefined && b.role === undefined)
    return fail(400, ctx.requestId, "parameter_not_found", "email, external_id or role is required", "email");
  const c = blankContact(ctx.store.newId(ctx.nowSec), ctx.nowSec);
  c.signed_up_at = null;
  applyContactBody(c, b);
  ctx.store.data.contacts.push(c);
  ctx.store.changed();
  return ok(contactView(ctx.store.data, c, ctx.version));
}

function setArchived(ctx: RouteContext, archived: boolean): Reply {
  const c = resolveContact(ctx, { archived: true });
  if (isReply(c)) return c;
  if (c.archived !== archived) {
    c.archived = archived;
    c.updated_at = Math.max(ctx.nowSec, c.updated_at);
    ctx.store.changed();
  }
  return ok(contactReferenceView(c));
}

/** `contact_archived`; archiving an archived contact is a no-op. */
export const archiveContact = (ctx: RouteContext): Reply => setArchived(ctx, true);

/** `contact_unarchived`; unarchiving a live contact is a no-op. */
export const unarchiveContact = (ctx: RouteContext): Reply => setArchived(ctx, false);

export function listSegments(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const data = ctx.store.data.segments.filter((s) => c.segment_ids.includes(s.id)).map(segmentView);
  return ok({ type: "list", data });
}
