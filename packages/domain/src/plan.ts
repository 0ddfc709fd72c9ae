/**
 * The one description of the calls. Every call the action makes is built here (path, query, body, purpose,
 * dependencies); `prepareUpdate` runs the lookup calls, `applyUpdate` runs the rest exactly as planned, replacing
 * only the placeholders for ids an earlier call answers with.
 */
import type { CompanyUpsertBody, Contact, SearchContactsBody, UpdateContactBody } from "@intercom-kit/core";
import { guessAttributeValue } from "./attributes.js";
import { FIELDS } from "./fields.js";
import type {
  AttributeDataType,
  CallKind,
  CallPhase,
  CustomAttributeValue,
  FieldSpec,
  IdentifyBy,
  OutputMode,
  PlannedCall,
  UpdatePlan,
  UpdateUserInput,
} from "./types.js";
import { ownerIdForVersion, sameEmail, storedSpend, supportsFindByExternalId } from "./values.js";

/** Shown in planned paths where the id is only known once an earlier call has answered. */
export const CONTACT_ID_PLACEHOLDER = "{contact_id}";
export const COMPANY_ID_PLACEHOLDER = "{company.id}";
export function tagPlaceholder(name: string): string {
  return `{tag:${name}}`;
}
export function isPlaceholder(value: string): boolean {
  return value === CONTACT_ID_PLACEHOLDER || value === COMPANY_ID_PLACEHOLDER || value.startsWith("{tag:");
}

export function identifyByOf(input: UpdateUserInput): IdentifyBy {
  if (input.intercomId !== undefined) return "intercomId";
  if (input.userId !== undefined) return "userId";
  return "lookupEmail";
}

// ---------------------------------------------------------------------------------------------------------------
// Calls

const PHASE: Record<CallKind, CallPhase> = {
  find: "lookup",
  search: "lookup",
  get: "lookup",
  "check-email": "lookup",
  "check-user-id": "lookup",
  "check-company": "lookup",
  "find-company": "lookup",
  "data-attributes": "lookup",
  "workspace-tags": "lookup",
  admins: "lookup",
  unarchive: "write",
  "create-attribute": "write",
  "create-tag": "write",
  company: "write",
  update: "write",
  attach: "write",
  tag: "write",
  untag: "write",
  archive: "write",
  companies: "output",
  tags: "output",
  segments: "output",
  "read-back": "lookup",
};

const seg = (id: string): string => (isPlaceholder(id) ? id : encodeURIComponent(id));

/** `/contacts/{contact_id}/tags` with its parameters filled in (each encoded, so no id can change the path). */
function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{([a-z_]+)\}/g, (_, name: string) => seg(params[name] ?? `{${name}}`));
}

function call(
  kind: CallKind,
  method: PlannedCall["method"],
  template: string,
  purpose: string,
  extra: {
    id?: string;
    params?: Record<string, string>;
    body?: unknown;
    query?: Record<string, string>;
  } = {},
): PlannedCall {
  const params = extra.params ?? {};
  const c: PlannedCall = {
    id: extra.id ?? kind,
    kind,
    phase: PHASE[kind],
    method,
    path: fill(template, params),
    purpose,
    after: [],
  };
  if (Object.keys(params).length > 0) c.params = params;
  if (extra.query) c.query = extra.query;
  if (extra.body !== undefined) c.body = extra.body;
  return c;
}

/** Users only: the action updates users, and user ID lookups (find_by_external_id) are users-only too. */
export function emailSearchBody(email: string, role: "user" | "any" = "user"): SearchContactsBody {
  return searchBody("email", email, role);
}

export function externalIdSearchBody(userId: string, role: "user" | "any" = "user"): SearchContactsBody {
  return searchBody("external_id", userId, role);
}

function searchBody(field: string, value: string, role: "user" | "any"): SearchContactsBody {
  const query: SearchContactsBody["query"] =
    role === "user"
      ? {
          operator: "AND",
          value: [
            { field, operator: "=", value },
            { field: "role", operator: "=", value: "user" },
          ],
        }
      : { field, operator: "=", value };
  return { query, pagination: { per_page: 50 } };
}

const onContact = (contactId: string, extra: Record<string, string> = {}) => ({ contact_id: contactId, ...extra });

/** The calls, one builder per kind; paths encode every id, so no identifier can change the path. */
export const CALLS = {
  find: (userId: string) =>
    call("find", "GET", "/contacts/find_by_external_id/{external_id}", `find the user with user ID ${userId}`, {
      params: { external_id: userId },
    }),
  searchByUserId: (userId: string) =>
    call("search", "POST", "/contacts/search", `search for the user with user ID ${userId}`, {
      body: externalIdSearchBody(userId),
    }),
  searchByEmail: (email: string) =>
    call("search", "POST", "/contacts/search", `search for the one user whose email is ${email}`, {
      body: emailSearchBody(email),
    }),
  get: (contactId: string, id = "get", purpose = "read the user") =>
    call("get", "GET", "/contacts/{contact_id}", purpose, { id, params: onContact(contactId) }),
  readBack: (contactId: string) =>
    call("read-back", "GET", "/contacts/{contact_id}", "read the user back to see whether the change was made", {
      params: onContact(contactId),
    }),
  checkEmail: (email: string) =>
    call("check-email", "POST", "/contacts/search", `check that no other contact has the email ${email}`, {
      body: emailSearchBody(email, "any"),
    }),
  checkUserId: (externalId: string) =>
    call("check-user-id", "POST", "/contacts/search", `check that no other contact has the user ID ${externalId}`, {
      body: externalIdSearchBody(externalId, "any"),
    }),
  checkCompany: (companyId: string) =>
    call(
      "check-company",
      "GET",
      "/companies/{company_id}",
      `check that the company with Intercom ID ${companyId} exists`,
      {
        params: { company_id: companyId },
      },
    ),
  findCompany: (companyId: string) =>
    call("find-company", "GET", "/companies", `read the company with company ID ${companyId}`, {
      query: { company_id: companyId },
    }),
  dataAttributes: () =>
    // Archived ones too, so an archived attribute is named as such rather than as unknown.
    call("data-attributes", "GET", "/data_attributes", "read the workspace's custom attributes", {
      query: { model: "contact", include_archived: "true" },
    }),
  workspaceTags: () => call("workspace-tags", "GET", "/tags", "read the workspace's tags"),
  admins: () => call("admins", "GET", "/admins", "read the workspace's admins (for the owner)"),

  unarchive: (contactId: string) =>
    call("unarchive", "POST", "/contacts/{contact_id}/unarchive", "restore the user from the archive", {
      params: onContact(contactId),
    }),
  createAttribute: (name: string, dataType: AttributeDataType) =>
    call("create-attribute", "POST", "/data_attributes", `create the custom attribute ${name} (${dataType})`, {
      id: `create-attribute:${name}`,
      body: { name, model: "contact", data_type: dataType },
    }),
  createTag: (name: string) =>
    call("create-tag", "POST", "/tags", `create the tag ${name}`, { id: `create-tag:${name}`, body: { name } }),
  company: (body: CompanyUpsertBody, isNew: boolean) =>
    call(
      "company",
      "POST",
      "/companies",
      `${isNew ? "create" : "update"} the company with company ID ${body.company_id}`,
      {
        body,
      },
    ),
  update: (contactId: string, body: UpdateContactBody) =>
    call("update", "PUT", "/contacts/{contact_id}", `update the user's fields (${Object.keys(body).join(", ")})`, {
      params: onContact(contactId),
      body,
    }),
  attach: (contactId: string, companyRef: string, label: string) =>
    call("attach", "POST", "/contacts/{contact_id}/companies", `attach the user to the company ${label}`, {
      params: onContact(contactId),
      body: { id: companyRef },
    }),
  tag: (contactId: string, tagRef: string, name: string) =>
    call("tag", "POST", "/contacts/{contact_id}/tags", `add the tag ${name}`, {
      id: `tag:${name}`,
      params: onContact(contactId),
      body: { id: tagRef },
    }),
  untag: (contactId: string, tagId: string, name: string) =>
    call("untag", "DELETE", "/contacts/{contact_id}/tags/{tag_id}", `remove the tag ${name}`, {
      id: `untag:${name}`,
      params: onContact(contactId, { tag_id: tagId }),
    }),
  archive: (contactId: string) =>
    call("archive", "POST", "/contacts/{contact_id}/archive", "archive the user", { params: onContact(contactId) }),

  companies: (contactId: string) =>
    call("companies", "GET", "/contacts/{contact_id}/companies", "read the user's companies (names and company IDs)", {
      params: onContact(contactId),
    }),
  tags: (contactId: string) =>
    call("tags", "GET", "/contacts/{contact_id}/tags", "read the user's tags", { params: onContact(contactId) }),
  segments: (contactId: string) =>
    call("segments", "GET", "/contacts/{contact_id}/segments", "read the user's segments", {
      params: onContact(contactId),
    }),
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Bodies: only what differs from the current contact (everything given, when the contact is not known)

/** What the diff needs to know; `contact: null` means not read, so every given value is sent. */
export interface BodyFacts {
  contact: Contact | null;
  apiVersion: string;
  /** Custom attribute values typed from the workspace's definitions (else the input's, best guess). */
  attributes?: Record<string, CustomAttributeValue>;
  /** The owner as an admin id. */
  ownerId?: string;
  fields?: readonly FieldSpec[];
}

/** The current value of a contact property as the PUT body would carry it (the avatar is an object on reads). */
export function currentProperty(contact: Contact, property: string): unknown {
  const value = (contact as Record<string, unknown>)[property];
  if (property === "avatar" && value !== null && typeof value === "object") {
    return (value as { image_url?: unknown }).image_url ?? null;
  }
  return value;
}

function sameValue(property: string, current: unknown, next: unknown): boolean {
  if (property === "email") return typeof current === "string" && current === next;
  if (property === "owner_id") return current !== null && current !== undefined && String(current) === String(next);
  return current === next;
}

/**
 * The `PUT /contacts/{id}` body: each given field whose value differs from the contact's (all given fields when the
 * contact is not known). `unsubscribed_from_emails: false` is a value and is sent; `email_verified` goes only with
 * `email` (API 2.16 requires both together).
 */
export function contactBody(input: UpdateUserInput, facts: BodyFacts): UpdateContactBody {
  const body: Record<string, unknown> = {};
  const { contact } = facts;
  const differs = (property: string, next: unknown) =>
    contact === null || !sameValue(property, currentProperty(contact, property), next);
  for (const field of facts.fields ?? FIELDS) {
    const property = field.contactProperty;
    const next = input[field.key];
    if (!property || next === undefined || property === "email_verified") continue;
    if (differs(property, next)) body[property] = next;
  }
  if (input.emailVerified !== undefined && input.email !== undefined) {
    const verifiedDiffers = contact === null || currentProperty(contact, "email_verified") !== input.emailVerified;
    if (verifiedDiffers || body.email !== undefined) {
      body.email = input.email;
      body.email_verified = input.emailVerified;
    }
  }
  if (input.owner !== undefined && facts.ownerId !== undefined) {
    const owner = ownerIdForVersion(facts.ownerId, facts.apiVersion);
    if (differs("owner_id", owner)) body.owner_id = owner;
  }
  const attributes = facts.attributes ?? guessAll(input.customAttributes);
  if (attributes) {
    const current = (contact?.custom_attributes ?? {}) as Record<string, unknown>;
    const changed: Record<string, CustomAttributeValue> = {};
    for (const [name, value] of Object.entries(attributes)) {
      if (contact === null || !Object.hasOwn(current, name) || current[name] !== value) {
        Object.defineProperty(changed, name, { value, enumerable: true, writable: true, configurable: true });
      }
    }
    if (Object.keys(changed).length > 0) body.custom_attributes = changed;
  }
  return body as UpdateContactBody;
}

function guessAll(
  attributes: Record<string, CustomAttributeValue> | undefined,
): Record<string, CustomAttributeValue> | undefined {
  if (!attributes) return undefined;
  const out: Record<string, CustomAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    Object.defineProperty(out, name, {
      value: guessAttributeValue(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** What is known about the company named by Company ID. */
export type CompanyFact =
  | { state: "exists"; id: string; name: string | null; monthlySpend: number | null }
  | { state: "missing" }
  | { state: "unknown" };

/**
 * The `POST /companies` body (upsert by company_id), or undefined when the company exists with the given name and
 * spend already. Intercom stores whole numbers only, so spend is truncated here, once.
 */
export function companyUpsertBody(input: UpdateUserInput, fact: CompanyFact): CompanyUpsertBody | undefined {
  if (input.companyId === undefined) return undefined;
  const body: CompanyUpsertBody = { company_id: input.companyId };
  let differs = fact.state !== "exists";
  if (input.companyName !== undefined) {
    body.name = input.companyName;
    if (fact.state === "exists" && fact.name !== input.companyName) differs = true;
  }
  if (input.companyMonthlySpend !== undefined) {
    body.monthly_spend = storedSpend(input.companyMonthlySpend);
    if (fact.state === "exists" && fact.monthlySpend !== body.monthly_spend) differs = true;
  }
  return differs ? body : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The write graph

/** Everything an update writes, decided; `applyUpdate` turns it into calls with {@link writeCalls}. */
export interface ChangeSet {
  contactId: string;
  unarchive: boolean;
  createAttributes: Array<{ name: string; dataType: AttributeDataType }>;
  /** Empty: no PUT. */
  contactBody: UpdateContactBody;
  companyUpsert?: { body: CompanyUpsertBody; isNew: boolean };
  /** The company to attach: its Intercom ID, or the placeholder the upsert answers. */
  attach?: { ref: string; label: string };
  createTags: string[];
  tag: Array<{ ref: string; name: string }>;
  untag: Array<{ id: string; name: string }>;
  archive: boolean;
}

/**
 * The calls for a change set, with their dependencies: a restore comes first and an archive last; attributes and
 * tags are created before the calls that use them, a new company before its attach; everything else runs at once.
 * Reads for the output run beside the writes (the writes' answers are merged in), before an archive.
 */
export function writeCalls(changes: ChangeSet, output: OutputMode, after: string[] = []): PlannedCall[] {
  const { contactId } = changes;
  const calls: PlannedCall[] = [];
  const add = (c: PlannedCall, deps: string[] = []) => {
    c.after = [...after, ...deps];
    calls.push(c);
    return c.id;
  };
  const restore = changes.unarchive ? [add(CALLS.unarchive(contactId))] : [];
  const created = changes.createAttributes.map((a) => add(CALLS.createAttribute(a.name, a.dataType)));
  const newTags = new Map(changes.createTags.map((name) => [name, add(CALLS.createTag(name))]));
  let upsert: string | undefined;
  if (changes.companyUpsert) upsert = add(CALLS.company(changes.companyUpsert.body, changes.companyUpsert.isNew));
  const writes: string[] = [...restore, ...created, ...newTags.values()];
  if (upsert) writes.push(upsert);
  if (Object.keys(changes.contactBody).length > 0) {
    writes.push(add(CALLS.update(contactId, changes.contactBody), [...restore, ...created]));
  }
  if (changes.attach) {
    const needsUpsert = changes.attach.ref === COMPANY_ID_PLACEHOLDER && upsert ? [upsert] : [];
    writes.push(add(CALLS.attach(contactId, changes.attach.ref, changes.attach.label), [...restore, ...needsUpsert]));
  }
  for (const t of changes.tag) {
    const made = newTags.get(t.name);
    writes.push(add(CALLS.tag(contactId, t.ref, t.name), [...restore, ...(made ? [made] : [])]));
  }
  for (const t of changes.untag) writes.push(add(CALLS.untag(contactId, t.id, t.name), restore));
  const reads = output === "full" ? [CALLS.companies(contactId), CALLS.tags(contactId), CALLS.segments(contactId)] : [];
  const readIds = reads.map((r) => add(r, restore));
  if (changes.archive) add(CALLS.archive(contactId), [...writes, ...readIds]);
  return calls;
}

/** True when the change set writes nothing. */
export function writesNothing(changes: ChangeSet): boolean {
  return (
    !changes.unarchive &&
    changes.createAttributes.length === 0 &&
    Object.keys(changes.contactBody).length === 0 &&
    !changes.companyUpsert &&
    !changes.attach &&
    changes.createTags.length === 0 &&
    changes.tag.length === 0 &&
    changes.untag.length === 0 &&
    !changes.archive
  );
}

/** Longest chain of `after` dependencies, counted in calls: what the person waits for. */
export function criticalPath(calls: readonly Pick<PlannedCall, "id" | "after">[]): number {
  const byId = new Map(calls.map((c) => [c.id, c]));
  const memo = new Map<string, number>();
  const depth = (id: string, seen: ReadonlySet<string>): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const c = byId.get(id);
    if (!c || seen.has(id)) return 0;
    const next = new Set(seen).add(id);
    const d = 1 + Math.max(0, ...c.after.map((a) => depth(a, next)));
    memo.set(id, d);
    return d;
  };
  return Math.max(0, ...calls.map((c) => depth(c.id, new Set())));
}

// ---------------------------------------------------------------------------------------------------------------
// Lookups: which reads an update needs before its first write

export interface LookupNeeds {
  /** Read the contact itself (always, except an Intercom ID with nothing to check, or a restore). */
  contact: boolean;
  checkEmail: boolean;
  checkUserId: boolean;
  checkCompany: boolean;
  findCompany: boolean;
  dataAttributes: boolean;
  workspaceTags: boolean;
  admins: boolean;
}

/** Whether the input sets anything `PUT /contacts/{id}` carries (so its answer is the user's record). */
export function writesContact(input: UpdateUserInput, fields: readonly FieldSpec[] = FIELDS): boolean {
  return (
    input.owner !== undefined ||
    input.customAttributes !== undefined ||
    fields.some((f) => f.contactProperty !== undefined && input[f.key] !== undefined)
  );
}

/** The reads an input calls for, before asking any cache. */
export function lookupNeeds(input: UpdateUserInput): LookupNeeds {
  const identifyBy = identifyByOf(input);
  const needs: LookupNeeds = {
    contact: identifyBy !== "intercomId",
    checkEmail: input.email !== undefined && !sameEmail(input.email, input.lookupEmail),
    checkUserId: input.externalId !== undefined && input.externalId !== input.userId,
    checkCompany: input.intercomCompanyId !== undefined,
    findCompany: input.companyId !== undefined,
    dataAttributes: input.customAttributes !== undefined,
    workspaceTags: input.tags !== undefined || input.untags !== undefined,
    admins: input.owner !== undefined,
  };
  if (identifyBy === "intercomId" && !input.unarchive) {
    // With an Intercom ID the contact is read only when a check costs a round trip anyway (then it is free), when
    // tags need the user's current tags, or when no PUT would answer with the record.
    const checks = needs.checkEmail || needs.checkUserId || needs.checkCompany || needs.findCompany;
    needs.contact = checks || needs.workspaceTags || !writesContact(input);
  }
  return needs;
}

/** The lookup calls for the needs (the contact read first). */
export function lookupCalls(input: UpdateUserInput, needs: LookupNeeds, apiVersion: string): PlannedCall[] {
  const calls: PlannedCall[] = [];
  if (needs.contact) {
    if (input.intercomId !== undefined) calls.push(CALLS.get(input.intercomId));
    else if (input.userId !== undefined) {
      calls.push(supportsFindByExternalId(apiVersion) ? CALLS.find(input.userId) : CALLS.searchByUserId(input.userId));
    } else if (input.lookupEmail !== undefined) calls.push(CALLS.searchByEmail(input.lookupEmail));
  }
  if (needs.checkEmail && input.email !== undefined) calls.push(CALLS.checkEmail(input.email));
  if (needs.checkUserId && input.externalId !== undefined) calls.push(CALLS.checkUserId(input.externalId));
  if (needs.checkCompany && input.intercomCompanyId !== undefined)
    calls.push(CALLS.checkCompany(input.intercomCompanyId));
  if (needs.findCompany && input.companyId !== undefined) calls.push(CALLS.findCompany(input.companyId));
  if (needs.dataAttributes) calls.push(CALLS.dataAttributes());
  if (needs.workspaceTags) calls.push(CALLS.workspaceTags());
  if (needs.admins) calls.push(CALLS.admins());
  return calls;
}

export interface PlanOptions {
  /** The Intercom-Version the client sends (default 2.15); decides how a user ID is resolved. */
  apiVersion?: string;
  output?: OutputMode;
  /** The field table (default FIELDS). */
  fields?: readonly FieldSpec[];
}

/**
 * The calls an update makes when nothing is known yet (no network): every lookup and check, then every given value
 * written (a prepared update writes only what differs), a company by Company ID and every tag counted as new. For dry runs
 * without a connection and for round-trip estimates; `prepareUpdate` gives the exact plan.
 */
export function planUpdate(input: UpdateUserInput, options: PlanOptions = {}): UpdatePlan {
  const apiVersion = options.apiVersion ?? "2.15";
  const identifyBy = identifyByOf(input);
  const needs = lookupNeeds(input);
  const lookups = lookupCalls(input, needs, apiVersion);
  const contactId = input.intercomId ?? CONTACT_ID_PLACEHOLDER;
  const company: CompanyFact = { state: input.companyId !== undefined ? "missing" : "unknown" };
  const upsert = companyUpsertBody(input, company);
  const changes: ChangeSet = {
    contactId,
    unarchive: input.unarchive === true,
    createAttributes: [],
    contactBody: contactBody(input, {
      contact: null,
      apiVersion,
      ...(input.owner !== undefined ? { ownerId: input.owner } : {}),
      ...(options.fields ? { fields: options.fields } : {}),
    }),
    ...(upsert ? { companyUpsert: { body: upsert, isNew: true } } : {}),
    ...(input.intercomCompanyId !== undefined
      ? { attach: { ref: input.intercomCompanyId, label: `with Intercom ID ${input.intercomCompanyId}` } }
      : input.companyId !== undefined
        ? { attach: { ref: COMPANY_ID_PLACEHOLDER, label: `with company ID ${input.companyId}` } }
        : {}),
    // Counted as missing (an upper bound, like a company counted as new): created, then added.
    createTags: [...(input.tags ?? [])],
    tag: (input.tags ?? []).map((name) => ({ ref: tagPlaceholder(name), name })),
    untag: (input.untags ?? []).map((name) => ({ id: tagPlaceholder(name), name })),
    archive: input.archive === true,
  };
  const calls = [
    ...lookups,
    ...writeCalls(
      changes,
      options.output ?? "full",
      lookups.map((c) => c.id),
    ),
  ];
  const notes = [...planNotes(input, apiVersion), ...spendNote(input.companyMonthlySpend)];
  return { identifyBy, calls, roundTrips: criticalPath(calls), notes };
}

/** Notes that hold whatever the lookup finds (the prepared plan adds what it learns). */
export function planNotes(input: UpdateUserInput, apiVersion: string): string[] {
  const notes: string[] = [];
  if (input.userId !== undefined && !supportsFindByExternalId(apiVersion)) {
    notes.push(
      `API ${apiVersion} has no find_by_external_id, so the user ID is searched; users created in the last few minutes may not be found yet.`,
    );
  }
  if (input.lookupEmail !== undefined) {
    notes.push(
      `Finding by email needs exactly one user (leads are not counted) with ${input.lookupEmail}; users created in the last few minutes may not be searchable yet.`,
    );
  }
  return notes;
}

/** Said when a monthly spend with a fraction is sent: Intercom keeps the whole number. */
export function spendNote(spend: number | undefined): string[] {
  return spend !== undefined && !Number.isInteger(spend)
    ? [`Monthly spend ${spend} is stored as ${storedSpend(spend)}: Intercom keeps whole numbers only.`]
    : [];
}
