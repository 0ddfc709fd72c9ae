/**
 * The pre-flight: find the user and check everything a person could fix, all at once and before the first write,
 * then decide exactly what to write (only what differs). Reads only; the result is a plan `applyUpdate` runs.
 */
import type { Contact, IntercomClient, IntercomFailure, IntercomResult } from "@intercom-kit/core";
import {
  type AttributeDefinition,
  closestName,
  guessAttributeValue,
  inferDataType,
  typeAttributeValue,
} from "./attributes.js";
import { candidateOf, contactRefs, describeContact, readContact, readContactList } from "./contact.js";
import {
  abortedError,
  ambiguousError,
  errorFromFailure,
  type FailureContext,
  invalidInputError,
  notFoundError,
  parseCanonicalContactId,
  problemsError,
  unexpectedAnswer,
} from "./errors.js";
import { FIELDS, labelOf } from "./fields.js";
import { toUserOutput } from "./output.js";
import {
  CALLS,
  type ChangeSet,
  COMPANY_ID_PLACEHOLDER,
  type CompanyFact,
  companyUpsertBody,
  contactBody,
  criticalPath,
  currentProperty,
  identifyByOf,
  lookupCalls,
  lookupNeeds,
  planNotes,
  spendNote,
  tagPlaceholder,
  writeCalls,
  writesNothing,
} from "./plan.js";
import { runRead, sentence } from "./send.js";
import type {
  AttributeDataType,
  CustomAttributeValue,
  FieldChange,
  FieldKey,
  PlannedCall,
  PrepareOptions,
  PrepareResult,
  Problem,
  RawUpdateUserInput,
  RunOptions,
  UpdateUserError,
  UpdateUserInput,
} from "./types.js";
import { validateUpdateUserInput } from "./validate.js";
import { sameEmail, sameTagName, showTime, storedSpend } from "./values.js";
import {
  CACHE_KEYS,
  cached,
  cacheFor,
  cachesCompanies,
  findCompanyIn,
  isCached,
  isObject,
  readAdmins,
  readDefinitions,
  readTags,
  type WorkspaceAdmin,
  type WorkspaceTag,
} from "./workspace.js";

type Outcome<T> = { ok: true; value: T } | { ok: false; error: UpdateUserError };

/**
 * Validates, finds the user and runs every check, beside each other (no write happens here), then plans exactly the
 * writes the update needs: only values that differ, no company upsert or attach when the user already has that
 * company as given, no tag the user already has. Every problem a person could fix is reported at once.
 */
export async function prepareUpdate(
  client: IntercomClient,
  input: UpdateUserInput | RawUpdateUserInput,
  options: PrepareOptions = {},
): Promise<PrepareResult> {
  const validation = validateUpdateUserInput(input, { apiVersion: client.version });
  if (!validation.ok) return { ok: false, error: invalidInputError(validation.errors) };
  if (options.signal?.aborted) return { ok: false, error: abortedError() };
  return prepareValid(client, validation.input, options);
}

interface Reads {
  contact?: Outcome<{ contact: Contact; mergedFrom?: string }>;
  email?: Outcome<Contact[]>;
  userId?: Outcome<Contact[]>;
  checkCompany?: Outcome<boolean>;
  company?: Outcome<CompanyFact>;
  definitions?: Outcome<AttributeDefinition[]>;
  tags?: Outcome<WorkspaceTag[]>;
  admins?: Outcome<WorkspaceAdmin[]>;
}

export async function prepareValid(
  client: IntercomClient,
  input: UpdateUserInput,
  options: PrepareOptions,
): Promise<PrepareResult> {
  const apiVersion = client.version;
  const cache = options.cache ?? cacheFor(client);
  const identifyBy = identifyByOf(input);
  const needs = lookupNeeds(input);
  const known = knownContact(input, options.contact);
  if (known) needs.contact = false;
  const companyCached = cachesCompanies(cache) && input.companyId !== undefined;
  const wire = lookupCalls(input, needs, apiVersion).filter((c) => {
    if (c.kind === "data-attributes") return !isCached(cache, CACHE_KEYS.dataAttributes);
    if (c.kind === "workspace-tags") return !isCached(cache, CACHE_KEYS.tags);
    if (c.kind === "admins") return !isCached(cache, CACHE_KEYS.admins);
    if (c.kind === "find-company" && companyCached) return !isCached(cache, CACHE_KEYS.company(input.companyId ?? ""));
    return true;
  });
  // An Intercom ID needs no lookup; but when a check costs a round trip anyway, reading the user beside it is free
  // and lets the update send only what differs. A plan shown before it is applied reads the user regardless.
  const readAnyway = wire.length > 0 || options.readCurrent === true;
  if (identifyBy === "intercomId" && !known && !needs.contact && !input.unarchive && readAnyway) {
    needs.contact = true;
    wire.unshift(CALLS.get(input.intercomId as string));
  }
  const lookups: PlannedCall[] = [...wire];
  const reads: Reads = {};
  const tasks: Promise<void>[] = [];
  const read = (c: PlannedCall) => runRead(client, c, options);
  const subject = subjectOf(input);

  if (needs.contact) {
    const first = wire.find(
      (c) => c.phase === "lookup" && (c.kind === "find" || c.kind === "search" || c.kind === "get"),
    );
    if (first) {
      tasks.push(
        resolveContact(client, input, first, options, lookups).then((r) => {
          reads.contact = r;
        }),
      );
    }
  }
  for (const c of wire) {
    switch (c.kind) {
      case "check-email":
      case "check-user-id":
        tasks.push(
          read(c).then((r) => {
            const o = listOutcome(r, c);
            if (c.kind === "check-email") reads.email = o;
            else reads.userId = o;
          }),
        );
        break;
      case "check-company":
        tasks.push(
          read(c).then((r) => {
            reads.checkCompany = r.ok
              ? isObject(r.data) && typeof r.data.id === "string"
                ? { ok: true, value: true }
                : { ok: false, error: unexpectedAnswer(c, "something that is not a company") }
              : isNotFound(r.error)
                ? { ok: true, value: false }
                : { ok: false, error: failureOf(r.error, c, `Intercom ID ${input.intercomCompanyId}`, "company") };
          }),
        );
        break;
      default:
        break;
    }
  }
  if (needs.findCompany && input.companyId !== undefined) {
    const companyId = input.companyId;
    const c = CALLS.findCompany(companyId);
    const answer = companyCached ? cached(cache, CACHE_KEYS.company(companyId), () => read(c)).result : read(c);
    tasks.push(
      answer.then((r) => {
        reads.company = companyFact(r, c, companyId);
      }),
    );
  }
  if (needs.dataAttributes) {
    const c = CALLS.dataAttributes();
    tasks.push(
      cached(cache, CACHE_KEYS.dataAttributes, () => read(c)).result.then((r) => {
        reads.definitions = parsed(r, c, readDefinitions, "something that is not a list of data attributes");
      }),
    );
  }
  if (needs.workspaceTags) {
    const c = CALLS.workspaceTags();
    tasks.push(
      cached(cache, CACHE_KEYS.tags, () => read(c)).result.then((r) => {
        reads.tags = parsed(r, c, readTags, "something that is not a list of tags");
      }),
    );
  }
  if (needs.admins) {
    const c = CALLS.admins();
    tasks.push(
      cached(cache, CACHE_KEYS.admins, () => read(c)).result.then((r) => {
        reads.admins = parsed(r, c, readAdmins, "something that is not a list of admins");
      }),
    );
  }
  await Promise.all(tasks);
  if (options.signal?.aborted) return { ok: false, error: abortedError() };

  // The user first: nothing else matters when they cannot be found.
  if (reads.contact && !reads.contact.ok) return reads.contact;
  for (const r of [
    reads.email,
    reads.userId,
    reads.checkCompany,
    reads.company,
    reads.definitions,
    reads.tags,
    reads.admins,
  ]) {
    if (r && !r.ok) return r;
  }
  const contact = known ?? (reads.contact?.ok ? reads.contact.value.contact : null);
  const mergedFrom = reads.contact?.ok ? reads.contact.value.mergedFrom : undefined;
  const contactId = contact?.id ?? (input.intercomId as string);
  const value = <T>(o: Outcome<T> | undefined): T | undefined => (o?.ok ? o.value : undefined);
  return decide(input, {
    apiVersion,
    contact,
    contactId,
    mergedFrom,
    emailOwners: value(reads.email),
    userIdOwners: value(reads.userId),
    companyExists: value(reads.checkCompany),
    company: value(reads.company) ?? { state: "unknown" },
    definitions: value(reads.definitions),
    tags: value(reads.tags),
    admins: value(reads.admins),
    lookups,
    createMissingAttributes: options.createMissingAttributes === true,
    subject,
    output: options.output ?? "full",
  });
}

function subjectOf(input: UpdateUserInput): string {
  if (input.intercomId !== undefined) return `Intercom ID ${input.intercomId}`;
  if (input.userId !== undefined) return `user ID ${input.userId}`;
  return `email ${input.lookupEmail}`;
}

/** A contact the caller already read, used when it is the one the input names. */
function knownContact(input: UpdateUserInput, contact: Contact | undefined): Contact | undefined {
  const c = contact ? readContact(contact) : undefined;
  if (!c || input.unarchive) return undefined;
  if (input.intercomId !== undefined) return c.id === input.intercomId ? c : undefined;
  if (input.userId !== undefined) return c.external_id === input.userId ? c : undefined;
  return sameEmail(c.email, input.lookupEmail) ? c : undefined;
}

function isNotFound(failure: IntercomFailure): boolean {
  return failure.kind === "http" && failure.status === 404;
}

function failureOf(
  failure: IntercomFailure,
  c: PlannedCall,
  subject: string,
  what?: FailureContext["what"],
): UpdateUserError {
  return errorFromFailure(failure, { step: c.id, kind: c.kind, subject, ...(what ? { what } : {}) });
}

function listOutcome(r: IntercomResult<unknown>, c: PlannedCall): Outcome<Contact[]> {
  if (!r.ok) return { ok: false, error: failureOf(r.error, c, "the check") };
  const list = readContactList(r.data);
  return list
    ? { ok: true, value: list.contacts }
    : { ok: false, error: unexpectedAnswer(c, "something that is not a contact list") };
}

function parsed<T>(
  r: IntercomResult<unknown>,
  c: PlannedCall,
  reader: (data: unknown) => T | undefined,
  what: string,
): Outcome<T> {
  if (!r.ok) return { ok: false, error: failureOf(r.error, c, c.path) };
  const value = reader(r.data);
  return value === undefined ? { ok: false, error: unexpectedAnswer(c, what) } : { ok: true, value };
}

/** What GET /companies?company_id= says: the company, or that none has that company ID (a 404). */
function companyFact(r: IntercomResult<unknown>, c: PlannedCall, companyId: string): Outcome<CompanyFact> {
  if (!r.ok) {
    return isNotFound(r.error)
      ? { ok: true, value: { state: "missing" } }
      : { ok: false, error: failureOf(r.error, c, `company ID ${companyId}`, "company") };
  }
  const found = findCompanyIn(r.data, companyId);
  if (found === undefined) return { ok: false, error: unexpectedAnswer(c, "something that is not a company list") };
  if (!found) return { ok: true, value: { state: "missing" } };
  return {
    ok: true,
    value: {
      state: "exists",
      id: found.id as string,
      name: typeof found.name === "string" ? found.name : null,
      monthlySpend: typeof found.monthly_spend === "number" ? found.monthly_spend : null,
    },
  };
}

/** Finds the contact (following a merge once) and records the calls it made. */
export async function resolveContact(
  client: IntercomClient,
  input: UpdateUserInput,
  first: PlannedCall,
  options: RunOptions,
  lookups: PlannedCall[],
): Promise<Outcome<{ contact: Contact; mergedFrom?: string }>> {
  const subject = subjectOf(input);
  const r = await runRead(client, first, options);
  if (r.ok) {
    if (first.kind === "search") {
      const list = readContactList(r.data);
      if (!list) return { ok: false, error: unexpectedAnswer(first, "something that is not a contact list") };
      const [one] = list.contacts;
      if (list.total === 1 && one) return { ok: true, value: { contact: one } };
      if (!one)
        return {
          ok: false,
          error: { ...notFoundError({ step: first.id, kind: first.kind, subject }), requestId: r.requestId },
        };
      return { ok: false, error: ambiguousError(subject, list.total, list.contacts.map(candidateOf), r.requestId) };
    }
    const contact = readContact(r.data);
    return contact
      ? { ok: true, value: { contact } }
      : { ok: false, error: unexpectedAnswer(first, "something that is not a contact") };
  }
  const failure = r.error;
  const canonical =
    failure.kind === "http" && failure.status === 410 ? parseCanonicalContactId(failure.link) : undefined;
  if (!canonical) return { ok: false, error: failureOf(failure, first, subject) };
  // Merged (API 2.16 answers 410 with the surviving contact in Link): update that one and say so before writing.
  const follow = CALLS.get(canonical, "merged", `read the contact ${canonical} it was merged into`);
  follow.after = [first.id];
  lookups.push(follow);
  const g = await runRead(client, follow, options);
  if (!g.ok) return { ok: false, error: failureOf(g.error, follow, `Intercom ID ${canonical}`) };
  const contact = readContact(g.data);
  if (!contact) return { ok: false, error: unexpectedAnswer(follow, "something that is not a contact") };
  return { ok: true, value: { contact, mergedFrom: input.intercomId ?? subject } };
}

interface Facts {
  apiVersion: string;
  contact: Contact | null;
  contactId: string;
  mergedFrom?: string;
  emailOwners?: Contact[];
  userIdOwners?: Contact[];
  companyExists?: boolean;
  company: CompanyFact;
  definitions?: AttributeDefinition[];
  tags?: WorkspaceTag[];
  admins?: WorkspaceAdmin[];
  lookups: PlannedCall[];
  createMissingAttributes: boolean;
  subject: string;
  output: "full" | "contact";
}

function problem(kind: Problem["kind"], field: FieldKey | "input", message: string): Problem {
  return { kind, field, label: labelOf(field), message };
}

/** From the facts to the plan: the problems, or exactly the writes and what each changes. */
function decide(input: UpdateUserInput, f: Facts): PrepareResult {
  const problems: Problem[] = [];
  const notes = planNotes(input, f.apiVersion);
  const { contact, contactId } = f;
  let existingContactId: string | undefined;

  const others = (list: Contact[] | undefined) => (list ?? []).filter((c) => c.id !== contactId);
  const emailTaken = others(f.emailOwners)[0];
  if (emailTaken && input.email !== undefined) {
    existingContactId = emailTaken.id as string;
    problems.push(
      problem("conflict", "email", `${input.email} already belongs to another contact: ${describeContact(emailTaken)}`),
    );
  }
  const userIdTaken = others(f.userIdOwners)[0];
  if (userIdTaken && input.externalId !== undefined) {
    existingContactId ??= userIdTaken.id as string;
    problems.push(
      problem(
        "conflict",
        "externalId",
        `${input.externalId} already belongs to another contact: ${describeContact(userIdTaken)}`,
      ),
    );
  }
  if (f.companyExists === false) {
    problems.push(
      problem(
        "not_found",
        "intercomCompanyId",
        `no company has Intercom ID ${input.intercomCompanyId}; give Company ID (and a name) to create one`,
      ),
    );
  }
  if (contact && input.role === "user" && contact.role !== "user" && contact.role !== "lead") {
    problems.push(
      problem(
        "invalid_input",
        "role",
        `the contact's role is "${String(contact.role)}"; only a lead can become a user`,
      ),
    );
  }

  // Owner: an admin of the workspace, by email or id.
  let ownerId: string | undefined;
  let ownerShown: string | undefined;
  if (input.owner !== undefined && f.admins) {
    const owner = input.owner;
    const admin = f.admins.find((a) => a.id === owner) ?? f.admins.find((a) => sameEmail(a.email, owner));
    if (admin) {
      ownerId = admin.id;
      ownerShown = `${admin.email ?? admin.name ?? admin.id} (admin ${admin.id})`;
    } else {
      const emails = f.admins.map((a) => a.email).filter((e): e is string => e !== null);
      const near = closestName(owner, emails);
      problems.push(
        problem(
          "invalid_input",
          "owner",
          `no admin of this workspace has the email or id "${owner}"${near ? `; did you mean ${near}?` : emails.length > 0 ? ` (admins: ${emails.slice(0, 5).join(", ")}${emails.length > 5 ? ", …" : ""})` : ""}`,
        ),
      );
    }
  }

  // Custom attributes: known, live, writable, and of the right type; typed from the workspace's definitions.
  const createAttributes: ChangeSet["createAttributes"] = [];
  let typed: Record<string, CustomAttributeValue> | undefined;
  if (input.customAttributes) {
    typed = {};
    const defs = f.definitions ?? [];
    const names = defs.filter((d) => !d.archived).map((d) => d.name);
    for (const [name, value] of Object.entries(input.customAttributes)) {
      const def = defs.find((d) => d.name === name);
      let result: ReturnType<typeof typeAttributeValue>;
      if (!def) {
        if (f.definitions === undefined) {
          result = { ok: true, value: guessAttributeValue(value) };
        } else if (f.createMissingAttributes) {
          const dataType: AttributeDataType = input.attributeTypes?.[name] ?? inferDataType(value);
          const near = closestName(name, names);
          if (near) {
            problems.push(
              problem(
                "invalid_input",
                "customAttributes",
                `"${name}" is not an attribute of this workspace, but "${near}" is; use that name (nothing is created when a name is this close)`,
              ),
            );
            continue;
          }
          result = typeAttributeValue({ name, dataType, options: [], archived: false, apiWritable: true }, value);
          if (result.ok) createAttributes.push({ name, dataType });
        } else {
          const near = closestName(name, names);
          const unknown = problem(
            "invalid_input",
            "customAttributes",
            `"${name}" is not a custom attribute of this workspace${near ? `; did you mean "${near}"?` : ""} (create it in Intercom, or ask for missing attributes to be created)`,
          );
          // With a name this close, creating is refused too (see above): only a name far from every other is creatable.
          problems.push(near ? unknown : { ...unknown, creatable: true });
          continue;
        }
      } else if (def.archived) {
        problems.push(
          problem(
            "invalid_input",
            "customAttributes",
            `"${name}" is archived in this workspace; restore it in Intercom (Settings > Data) or drop it`,
          ),
        );
        continue;
      } else if (!def.apiWritable) {
        problems.push(
          problem(
            "invalid_input",
            "customAttributes",
            `"${name}" cannot be written through the API (Intercom marks it read-only for apps)`,
          ),
        );
        continue;
      } else {
        result = typeAttributeValue(def, value);
      }
      if (!result.ok) {
        problems.push(problem("invalid_input", "customAttributes", result.message));
        continue;
      }
      Object.defineProperty(typed, name, { value: result.value, enumerable: true, writable: true, configurable: true });
    }
  }

  if (problems.length > 0) {
    const error = problemsError(problems);
    if (existingContactId) error.existingContactId = existingContactId;
    return { ok: false, error };
  }

  // The writes: only what differs from what the lookup read.
  const body = contactBody(input, {
    contact,
    apiVersion: f.apiVersion,
    ...(typed ? { attributes: typed } : {}),
    ...(ownerId !== undefined ? { ownerId } : {}),
  });
  const changes: FieldChange[] = [];
  const show = (v: unknown): string | null =>
    v === null || v === undefined ? null : typeof v === "string" ? v : String(v);
  const line = (
    key: FieldKey,
    current: string | null | undefined,
    next: string,
    changed: boolean,
    label = labelOf(key),
  ) => changes.push({ key, label, current, next, changed });

  for (const field of FIELDS) {
    const property = field.contactProperty;
    const next = input[field.key];
    if (!property || next === undefined) continue;
    const cur = contact ? currentProperty(contact, property) : undefined;
    const timeLike = field.kind === "time";
    const shownCur =
      cur === undefined
        ? contact
          ? null
          : undefined
        : timeLike && typeof cur === "number"
          ? showTime(cur)
          : show(cur);
    const shownNext = timeLike && typeof next === "number" ? showTime(next) : (show(next) as string);
    line(field.key, shownCur, shownNext, Object.hasOwn(body, property));
  }
  if (input.owner !== undefined && ownerId !== undefined) {
    const cur = contact ? show((contact as Record<string, unknown>).owner_id) : undefined;
    line(
      "owner",
      cur === null ? null : cur === undefined ? undefined : `admin ${cur}`,
      ownerShown ?? ownerId,
      Object.hasOwn(body, "owner_id"),
    );
  }
  for (const [name, value] of Object.entries(typed ?? {})) {
    const attrs = (contact?.custom_attributes ?? {}) as Record<string, unknown>;
    const cur = contact ? (Object.hasOwn(attrs, name) ? show(attrs[name]) : null) : undefined;
    const sentAttrs = (body.custom_attributes ?? {}) as Record<string, unknown>;
    line(
      "customAttributes",
      cur,
      show(value) as string,
      Object.hasOwn(sentAttrs, name),
      `${labelOf("customAttributes")}: ${name}`,
    );
  }

  // Company.
  const companies = contact ? contactRefs(contact, "companies") : { ids: new Set<string>(), complete: false };
  let attach: ChangeSet["attach"];
  let companyUpsert: ChangeSet["companyUpsert"];
  if (input.intercomCompanyId !== undefined) {
    const has = companies.ids.has(input.intercomCompanyId);
    line(
      "intercomCompanyId",
      contact ? (has ? input.intercomCompanyId : null) : undefined,
      input.intercomCompanyId,
      !has,
    );
    if (!has) attach = { ref: input.intercomCompanyId, label: `with Intercom ID ${input.intercomCompanyId}` };
  }
  if (input.companyId !== undefined) {
    const fact = f.company;
    const exists = fact.state === "exists" ? fact : undefined;
    const upsert = companyUpsertBody(input, fact);
    if (upsert) companyUpsert = { body: upsert, isNew: !exists };
    if (upsert?.monthly_spend !== undefined) notes.push(...spendNote(input.companyMonthlySpend));
    const has = exists ? companies.ids.has(exists.id) : false;
    line(
      "companyId",
      contact && exists ? (has ? input.companyId : null) : contact ? null : undefined,
      input.companyId,
      !has,
    );
    if (input.companyName !== undefined) {
      line(
        "companyName",
        exists ? exists.name : null,
        input.companyName,
        exists ? exists.name !== input.companyName : true,
      );
    }
    if (input.companyMonthlySpend !== undefined) {
      const next = storedSpend(input.companyMonthlySpend);
      line(
        "companyMonthlySpend",
        exists ? show(exists.monthlySpend) : fact.state === "missing" ? null : undefined,
        String(next),
        exists ? exists.monthlySpend !== next : true,
      );
    }
    if (!has) {
      attach = exists
        ? { ref: exists.id, label: `with company ID ${input.companyId}` }
        : { ref: COMPANY_ID_PLACEHOLDER, label: `with company ID ${input.companyId}` };
    }
    if (!exists) {
      notes.push(
        input.companyName === undefined
          ? `Company ID ${input.companyId} is new: the company is created without a name (give Company name to name it).`
          : `Company ID ${input.companyId} is new: the company is created.`,
      );
    }
  }

  // Tags.
  const held = contact ? contactRefs(contact, "tags") : { ids: new Set<string>(), complete: false };
  const createTags: string[] = [];
  const tag: ChangeSet["tag"] = [];
  const untag: ChangeSet["untag"] = [];
  for (const name of input.tags ?? []) {
    const existing = f.tags?.find((t) => sameTagName(t.name, name));
    const has = existing ? held.ids.has(existing.id) : false;
    line(
      "tags",
      contact ? (has ? "tagged" : "not tagged") : undefined,
      "tagged",
      !has,
      `Tag ${existing?.name ?? name}`,
    );
    if (has) continue;
    if (existing) tag.push({ ref: existing.id, name: existing.name });
    else {
      createTags.push(name);
      tag.push({ ref: tagPlaceholder(name), name });
      notes.push(`Tag ${name} is new: it is created first.`);
    }
  }
  for (const name of input.untags ?? []) {
    const existing = f.tags?.find((t) => sameTagName(t.name, name));
    if (!existing) {
      notes.push(`No tag is named ${name}, so there is nothing to remove.`);
      continue;
    }
    const has = contact ? held.ids.has(existing.id) || !held.complete : true;
    if (!has) {
      notes.push(`The user does not have the tag ${existing.name}, so there is nothing to remove.`);
      continue;
    }
    line("untags", contact ? "tagged" : undefined, "not tagged", true, `Tag ${existing.name}`);
    untag.push({ id: existing.id, name: existing.name });
  }
  for (const a of createAttributes)
    notes.push(`Custom attribute ${a.name} is new: it is created first, as ${a.dataType}.`);

  if (input.unarchive) {
    line("unarchive", undefined, "restored", true);
    notes.push(
      "The user is restored from the archive first; an archived user cannot be read, so every given value is sent.",
    );
  }
  if (input.archive) line("archive", contact ? "not archived" : undefined, "archived", true);
  if (!contact && !input.unarchive) {
    notes.push("The user is not read first (nothing needed checking), so every given value is sent as it is.");
  }
  if (f.mergedFrom) {
    notes.push(
      `${sentence(f.subject)} belonged to a contact that was merged into ${contactId}; the update goes to ${contactId}.`,
    );
  }
  const unchangedLines = changes.filter((c) => !c.changed);
  if (unchangedLines.length > 0) {
    notes.push(`Already as asked, so not sent: ${unchangedLines.map((c) => c.label).join(", ")}.`);
  }

  const set: ChangeSet = {
    contactId,
    unarchive: input.unarchive === true,
    createAttributes,
    contactBody: body,
    ...(companyUpsert ? { companyUpsert } : {}),
    ...(attach ? { attach } : {}),
    createTags,
    tag,
    untag,
    archive: input.archive === true,
  };
  const unchanged = writesNothing(set);
  const calls = writeCalls(set, f.output);
  const lookupDepth = criticalPath(f.lookups);
  const plan = {
    input,
    apiVersion: f.apiVersion,
    identifyBy: identifyByOf(input),
    contactId,
    current: contact ? toUserOutput({ contact, companies: null, tags: null, segments: null }) : null,
    currentUpdatedAt: contact && typeof contact.updated_at === "number" ? contact.updated_at : null,
    contact,
    changes,
    lookups: f.lookups,
    calls,
    roundTrips: lookupDepth + criticalPath(calls),
    notes,
    unchanged,
    ...(f.mergedFrom ? { mergedFrom: f.mergedFrom } : {}),
  };
  if (unchanged) notes.push("Nothing to change: the user already has every value given, so nothing is written.");
  return { ok: true, plan };
}
