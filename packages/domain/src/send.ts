/**
 * Sends one planned call through the client: the method, parameters, query and body are the plan's, with the
 * placeholders for ids earlier calls answered with filled in. Nothing here decides what to send.
 */
import type {
  CompanyUpsertBody,
  CreateDataAttributeBody,
  IntercomClient,
  IntercomFailure,
  IntercomResult,
  SearchContactsBody,
  UpdateContactBody,
} from "@intercom-kit/core";
import { isPlaceholder } from "./plan.js";
import type { PlannedCall, RunOptions } from "./types.js";

/** Ids learned while applying: placeholder -> id (e.g. "{company.id}" -> the upserted company's Intercom id). */
export type Refs = Map<string, string>;

export type Unresolved = { unresolved: string };

function resolve(value: string, refs: Refs): string | Unresolved {
  if (!isPlaceholder(value)) return value;
  const id = refs.get(value);
  return id === undefined ? { unresolved: value } : id;
}

/** The call with every placeholder replaced, or the first placeholder no earlier call has answered. */
export function resolveCall(c: PlannedCall, refs: Refs): PlannedCall | Unresolved {
  if (refs.size === 0 && !/\{[a-z_.:]/.test(JSON.stringify([c.params, c.body]))) return c;
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(c.params ?? {})) {
    const r = resolve(value, refs);
    if (typeof r !== "string") return r;
    params[name] = r;
  }
  let body = c.body;
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    for (const [key, value] of Object.entries(copy)) {
      if (typeof value !== "string") continue;
      const r = resolve(value, refs);
      if (typeof r !== "string") return r;
      copy[key] = r;
    }
    body = copy;
  }
  const out: PlannedCall = { ...c, body };
  if (c.params) out.params = params;
  if (c.body === undefined) delete out.body;
  return out;
}

const param = (c: PlannedCall, name: string): string => c.params?.[name] ?? "";
const field = (c: PlannedCall, name: string): string =>
  String((c.body as Record<string, unknown> | undefined)?.[name] ?? "");

/** Sends a resolved call with the client method for its kind. */
export function sendCall(
  client: IntercomClient,
  c: PlannedCall,
  signal?: AbortSignal,
): Promise<IntercomResult<unknown>> {
  const o = { signal };
  const contactId = param(c, "contact_id");
  switch (c.kind) {
    case "find":
      return client.findContactByExternalId(param(c, "external_id"), o);
    case "search":
    case "check-email":
    case "check-user-id":
      return client.searchContacts(c.body as SearchContactsBody, o);
    case "get":
    case "read-back":
      return client.getContact(contactId, o);
    case "check-company":
      return client.getCompany(param(c, "company_id"), o);
    case "find-company":
      return client.findCompanyByCompanyId(c.query?.company_id ?? "", o);
    case "data-attributes":
      return client.listDataAttributes("contact", { includeArchived: c.query?.include_archived === "true" }, o);
    case "workspace-tags":
      return client.listTags(o);
    case "admins":
      return client.listAdmins(o);
    case "unarchive":
      return client.unarchiveContact(contactId, o);
    case "archive":
      return client.archiveContact(contactId, o);
    case "create-attribute":
      return client.createDataAttribute(c.body as CreateDataAttributeBody, o);
    case "create-tag":
      return client.createTag(field(c, "name"), o);
    case "company":
      return client.createOrUpdateCompany(c.body as CompanyUpsertBody, o);
    case "update":
      return client.updateContact(contactId, c.body as UpdateContactBody, o);
    case "attach":
      return client.attachCompany(contactId, field(c, "id"), o);
    case "tag":
      return client.tagContact(contactId, field(c, "id"), o);
    case "untag":
      return client.untagContact(contactId, param(c, "tag_id"), o);
    case "companies":
      return client.listContactCompanies(contactId, { page: 1, perPage: 50 }, o);
    case "tags":
      return client.listContactTags(contactId, o);
    case "segments":
      return client.listContactSegments(contactId, o);
  }
}

/** Runs one read with step events; a throw (never expected) becomes an error value. */
export async function runRead(
  client: IntercomClient,
  c: PlannedCall,
  options: RunOptions,
  send: () => Promise<IntercomResult<unknown>> = () => sendCall(client, c, options.signal),
): Promise<IntercomResult<unknown>> {
  const label = sentence(c.purpose);
  emit(options, { step: c.id, kind: c.kind, phase: c.phase, label, state: "started" });
  let result: IntercomResult<unknown>;
  try {
    result = await send();
  } catch (error) {
    result = { ok: false, error: thrownFailure(c, error) };
  }
  emit(options, { step: c.id, kind: c.kind, phase: c.phase, label, state: result.ok ? "done" : "failed" });
  return result;
}

export function thrownFailure(c: PlannedCall, error: unknown): IntercomFailure {
  return {
    kind: "network",
    cause: "internal",
    // Thrown before or while sending: it may have left, so treat it as possibly sent.
    notSent: false,
    message: `Could not send ${c.method} ${c.path}: ${error instanceof Error ? error.message : String(error)}`,
    method: c.method,
    path: c.path,
    attempts: 0,
    retries: 0,
  };
}

export function emit(options: RunOptions, event: Parameters<NonNullable<RunOptions["onStep"]>>[0]): void {
  try {
    options.onStep?.(event);
  } catch {
    // A progress callback must not break the action.
  }
}

export function sentence(purpose: string): string {
  return purpose.charAt(0).toUpperCase() + purpose.slice(1);
}
