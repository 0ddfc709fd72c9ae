import { customAttributeView, type Model, standardAttributeViews, standardNames } from "../data-attributes.js";
import { fail, type Reply } from "../errors.js";
import type { DataAttribute, DataType } from "../model.js";
import { servesV216 } from "../versions.js";
import { isObject, ok, type RouteContext } from "./context.js";

/** A workspace holds at most this many (unarchived) custom attributes per model. */
export const MAX_CUSTOM_ATTRIBUTES = 250;
const MAX_NAME = 190;
const MODEL_WORD: Record<Model, string> = { contact: "people", company: "company" };
/** Letters, digits, currency symbols (but not `$`), hyphens, underscores and spaces (the official examples use spaces). */
const NAME_RE = /^[\p{L}\p{N}\p{Sc}_\- ]+$/u;
const CREATE_TYPES: Record<string, DataType> = {
  string: "string",
  integer: "integer",
  float: "float",
  boolean: "boolean",
  date: "date",
  // Served as `date`: the attribute schema's data_type has no `datetime`.
  datetime: "date",
  // A list: served as `string` with `options`.
  options: "string",
};
const CREATE_KEYS = new Set(["name", "model", "data_type", "options", "description", "messenger_writable"]);

/** `GET /data_attributes?model=contact|company&include_archived=true|false` (model defaults to contact). */
export function listDataAttributes(ctx: RouteContext): Reply {
  const model = ctx.query.get("model") ?? "contact";
  const archived = ctx.query.get("include_archived");
  if (archived !== null && archived !== "true" && archived !== "false")
    return fail(400, ctx.requestId, "parameter_invalid", "include_archived must be true or false", "include_archived");
  if (model === "conversation") {
    // 2.16 moved conversation attributes elsewhere (its documented 422); the sandbox has none to list before that.
    if (servesV216(ctx.version))
      return fail(
        422,
        ctx.requestId,
        "parameter_invalid",
        "model=conversation is no longer supported. Use GET /conversations/attributes instead",
        "model",
      );
    return ok({ type: "list", data: [] });
  }
  if (model !== "contact" && model !== "company")
    return fail(400, ctx.requestId, "parameter_invalid", "model must be contact, company or conversation", "model");
  const custom = ctx.store.data.data_attributes.filter(
    (a) => a.model === model && (archived === "true" || !a.archived),
  );
  return ok({ type: "list", data: [...standardAttributeViews(model), ...custom.map(customAttributeView)] });
}

/** Why `name` cannot be used for a new attribute of `model` (null when it can). */
function nameTaken(ctx: RouteContext, name: string, model: Model): string | null {
  const key = name.toLowerCase();
  const other: Model = model === "contact" ? "company" : "contact";
  const clash = (m: Model) =>
    standardNames(m).find((n) => n.toLowerCase() === key && m === model) ??
    ctx.store.data.data_attributes.find((a) => a.model === m && a.name.toLowerCase() === key)?.name;
  const same = clash(model);
  if (same !== undefined)
    return `You already have '${same}' as ${MODEL_WORD[model]} data in this workspace; give the new attribute another name`;
  const across = clash(other);
  if (across !== undefined)
    return `You already have '${across}' as ${MODEL_WORD[other]} data in this workspace; a new ${MODEL_WORD[model]} attribute needs another name`;
  return null;
}

/**
 * `POST /data_attributes {name, model, data_type, options?, description?, messenger_writable?}`: creates a custom
 * attribute. Every refusal is a 400 `parameter_invalid` (as the official examples), checked in this order: model,
 * name, data_type, options, other fields, name already taken, attribute limit.
 */
export function createDataAttribute(ctx: RouteContext): Reply {
  const bad = (message: string, field?: string) => fail(400, ctx.requestId, "parameter_invalid", message, field);
  const b = ctx.body;
  if (!isObject(b)) return bad("The request body must be a JSON object");
  if (b.model !== "contact" && b.model !== "company") return bad("model must be contact or company", "model");
  const model: Model = b.model;
  if (typeof b.name !== "string" || b.name.trim() === "") return bad("name must be a non-empty string", "name");
  const name = b.name;
  if (!NAME_RE.test(name) || name.includes("$") || name !== name.trim())
    return bad(
      "An attribute name may contain only letters, digits, currency symbols (not $), hyphens, underscores and spaces",
      "name",
    );
  if (name.length > MAX_NAME) return bad(`An attribute name may be at most ${MAX_NAME} characters long`, "name");
  const dataType = typeof b.data_type === "string" && Object.hasOwn(CREATE_TYPES, b.data_type) ? b.data_type : null;
  if (dataType === null) return bad(`data_type must be one of ${Object.keys(CREATE_TYPES).join(", ")}`, "data_type");
  let options: string[] | null = null;
  if (dataType === "options") {
    const raw = b.options;
    if (!Array.isArray(raw) || !raw.every((o) => isObject(o) && typeof o.value === "string" && o.value !== ""))
      return bad("options must be a list of {value} objects with non-empty values", "options");
    options = [...new Set(raw.map((o) => (o as { value: string }).value))];
    if (options.length < 2) return bad("A list attribute needs at least two different options", "options");
  } else if (b.options !== undefined) return bad("options are only for data_type options", "options");
  if (b.description !== undefined && typeof b.description !== "string")
    return bad("description must be a string", "description");
  if (b.messenger_writable !== undefined && typeof b.messenger_writable !== "boolean")
    return bad("messenger_writable must be a boolean", "messenger_writable");
  for (const key of Object.keys(b))
    if (!CREATE_KEYS.has(key)) return fail(400, ctx.requestId, "bad_request", `bad '${key}' parameter`, key);
  const taken = nameTaken(ctx, name, model);
  if (taken) return bad(taken, "name");
  const count = ctx.store.data.data_attributes.filter((a) => a.model === model && !a.archived).length;
  if (count >= MAX_CUSTOM_ATTRIBUTES)
    return bad(
      `This workspace already has ${MAX_CUSTOM_ATTRIBUTES} custom ${MODEL_WORD[model]} attributes, the most it can hold; archive one to make room`,
      "name",
    );
  const attr: DataAttribute = {
    id: ctx.store.newAttributeId(),
    name,
    model,
    data_type: CREATE_TYPES[dataType]!,
    label: name,
    description: typeof b.description === "string" ? b.description : null,
    options,
    api_writable: true,
    messenger_writable: b.messenger_writable === true,
    ui_writable: false,
    archived: false,
    admin_id: ctx.store.apiAdminId(),
    created_at: ctx.nowSec,
    updated_at: ctx.nowSec,
  };
  ctx.store.data.data_attributes.push(attr);
  ctx.store.changed();
  return ok(customAttributeView(attr));
}
