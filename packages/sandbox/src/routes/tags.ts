import { fail, type Reply } from "../errors.js";
import type { ContactRecord, TagRecord } from "../model.js";
import { servesV216 } from "../versions.js";
import { type JsonObject, tagBasicView, tagView } from "../views.js";
import { isObject, isReply, MAX_STRING, ok, type RouteContext, resolveContact } from "./context.js";

/** Intercom answers an unknown tag on the contact tag routes with this (the official examples). */
const tagNotFound = (ctx: RouteContext): Reply => fail(404, ctx.requestId, "not_found", "Resource Not Found");

/** `GET /contacts/{id}/tags`: the tags applied to the contact, with when and by whom. */
export function listContactTags(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const data = c.tags.flatMap((t) => {
    const tag = ctx.store.tag(t.id);
    return tag ? [tagView(tag, t.applied_at)] : [];
  });
  return ok({ type: "list", data });
}

/** `GET /tags`: every tag of the workspace. */
export function listTags(ctx: RouteContext): Reply {
  return ok({ type: "list", data: ctx.store.data.tags.map(tagBasicView) });
}

function findOrCreateTag(ctx: RouteContext, name: string): TagRecord {
  const existing = ctx.store.tagByName(name);
  if (existing) return existing;
  const tag: TagRecord = { id: ctx.store.newTagId(), name: name.trim(), applied_by: ctx.store.apiAdminId() };
  ctx.store.data.tags.push(tag);
  return tag;
}

/** Applies a tag to a contact (idempotent); returns the application's time. */
function applyTag(ctx: RouteContext, c: ContactRecord, tag: TagRecord): number {
  const applied = c.tags.find((t) => t.id === tag.id);
  if (applied) return applied.applied_at;
  c.tags.push({ id: tag.id, applied_at: ctx.nowSec });
  return ctx.nowSec;
}

const POST_TAG_KEYS = new Set(["name", "id", "users", "companies"]);

/**
 * `POST /tags`: `{name}` creates the tag, or returns the existing one whose name matches case-insensitively (the
 * official description: "Names are case insensitive"); `{name, id}` renames tag `id`; `{name, users: [{id}]}`
 * also tags those contacts (2.15: an unknown one is a 404 and nothing changes; 2.16: unknown ones are skipped).
 * 2.16 answers `tag_create_response` (the tag plus `users` and `companies`), earlier versions `tag_basic`.
 */
export function createTag(ctx: RouteContext): Reply {
  const invalid = (field?: string) => fail(400, ctx.requestId, "parameter_invalid", "invalid tag parameters", field);
  const b = ctx.body;
  if (!isObject(b)) return invalid();
  for (const key of Object.keys(b)) if (!POST_TAG_KEYS.has(key)) return invalid(key);
  if (typeof b.name !== "string" || b.name.trim() === "" || b.name.length > MAX_STRING) return invalid("name");
  const name = b.name;
  if (b.companies !== undefined)
    return fail(400, ctx.requestId, "parameter_invalid", "The sandbox does not emulate tagging companies", "companies");
  const v216 = servesV216(ctx.version);
  const answer = (tag: TagRecord, users: JsonObject[] = []): Reply =>
    ok(v216 ? { ...tagBasicView(tag), users, companies: [] } : tagBasicView(tag));

  if (b.id !== undefined) {
    if (typeof b.id !== "string") return invalid("id");
    const tag = ctx.store.tag(b.id);
    if (!tag) return fail(404, ctx.requestId, "not_found", "Resource Not Found");
    const other = ctx.store.tagByName(name);
    if (other && other.id !== tag.id)
      return fail(400, ctx.requestId, "parameter_invalid", `A tag named '${other.name}' already exists`, "name");
    if (tag.name !== name.trim()) {
      tag.name = name.trim();
      ctx.store.changed();
    }
    return answer(tag);
  }

  if (b.users !== undefined) {
    if (!Array.isArray(b.users) || !b.users.every((u) => isObject(u) && typeof u.id === "string"))
      return invalid("users");
    const ids = (b.users as { id: string }[]).map((u) => u.id);
    const found = ids.map((id) => {
      const c = ctx.store.contact(id);
      return c && c.merged_into === null && !c.archived ? c : undefined;
    });
    // 2.15 refuses the whole request for one unknown user; 2.16 skips unknown users (its changelog).
    if (!v216 && found.some((c) => c === undefined)) return fail(404, ctx.requestId, "not_found", "User Not Found");
    const tag = findOrCreateTag(ctx, name);
    const tagged = found.filter((c): c is ContactRecord => c !== undefined);
    for (const c of tagged) applyTag(ctx, c, tag);
    ctx.store.changed();
    return answer(
      tag,
      tagged.map((c) => ({ id: c.id, tagged: true })),
    );
  }

  const before = ctx.store.data.tags.length;
  const tag = findOrCreateTag(ctx, name);
  if (ctx.store.data.tags.length !== before) ctx.store.changed();
  return answer(tag);
}

/** `POST /contacts/{id}/tags {id}`: tags the contact (idempotent); answers the tag with applied_at/applied_by. */
export function attachTag(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const b = ctx.body;
  if (!isObject(b) || b.id === undefined || b.id === null || b.id === "")
    return fail(400, ctx.requestId, "parameter_not_found", "tag not specified", "id");
  // The schema says string; the official example sends a number (`id: 81`): both are taken.
  if (typeof b.id !== "string" && !Number.isInteger(b.id))
    return fail(400, ctx.requestId, "parameter_invalid", "id must be a string", "id");
  const tag = ctx.store.tag(String(b.id));
  if (!tag) return tagNotFound(ctx);
  const before = c.tags.length;
  const appliedAt = applyTag(ctx, c, tag);
  if (c.tags.length !== before) ctx.store.changed();
  return ok(tagView(tag, appliedAt));
}

/**
 * `DELETE /contacts/{id}/tags/{tag_id}`: untags the contact and answers the tag as it was applied; a tag that
 * exists but is not applied answers 200 with the tag (idempotent); an unknown tag is a 404.
 */
export function detachTag(ctx: RouteContext): Reply {
  const c = resolveContact(ctx);
  if (isReply(c)) return c;
  const tag = ctx.store.tag(ctx.params.tag_id!);
  if (!tag) return tagNotFound(ctx);
  const applied = c.tags.find((t) => t.id === tag.id);
  if (!applied) return ok(tagBasicView(tag));
  c.tags = c.tags.filter((t) => t.id !== tag.id);
  ctx.store.changed();
  return ok(tagView(tag, applied.applied_at));
}
