/** Finding a user and reading their whole record, without changing anything (review screens, agents' find). */
import type { IntercomClient } from "@intercom-kit/core";
import { abortedError, invalidInputError } from "./errors.js";
import { attachedCompanies, toUserOutput } from "./output.js";
import { CALLS, criticalPath, identifyByOf, lookupCalls, planNotes } from "./plan.js";
import { resolveContact } from "./prepare.js";
import { runRead } from "./send.js";
import type { LookupResult, OutputMode, PlannedCall, RunOptions, UpdatePlan, UpdateUserInput } from "./types.js";
import { validateUpdateUserInput } from "./validate.js";
import { isObject, readTags } from "./workspace.js";

export interface LookupInput {
  userId?: string | null;
  intercomId?: string | null;
  lookupEmail?: string | null;
}

export interface LookupOptions extends RunOptions {
  /** "full" (default): companies, tags and segments with their names; "contact": the contact alone (one call). */
  output?: OutputMode;
}

const NONE = {
  contact: false,
  checkEmail: false,
  checkUserId: false,
  checkCompany: false,
  findCompany: false,
  dataAttributes: false,
  workspaceTags: false,
  admins: false,
};

/** The calls of a lookup: resolve the user, and read their companies, tags and segments (beside the read, by Intercom ID). */
export function planLookup(
  input: UpdateUserInput,
  options: { apiVersion?: string; output?: OutputMode } = {},
): UpdatePlan {
  const apiVersion = options.apiVersion ?? "2.15";
  const [resolve] = lookupCalls(input, { ...NONE, contact: true }, apiVersion);
  const calls: PlannedCall[] = resolve ? [resolve] : [];
  const contactId = input.intercomId ?? "{contact_id}";
  if ((options.output ?? "full") === "full") {
    const after = input.intercomId !== undefined || !resolve ? [] : [resolve.id];
    for (const c of [CALLS.companies(contactId), CALLS.tags(contactId), CALLS.segments(contactId)]) {
      c.after = after;
      c.phase = "lookup";
      calls.push(c);
    }
  }
  return {
    identifyBy: identifyByOf(input),
    calls,
    roundTrips: criticalPath(calls),
    notes: planNotes(input, apiVersion),
  };
}

/**
 * Finds a user and reads their full record without changing anything. Takes the identify fields of an input (others
 * are ignored). An email several users share is `ambiguous`, with every candidate to choose from.
 */
export async function lookupUser(
  client: IntercomClient,
  input: LookupInput | UpdateUserInput,
  options: LookupOptions = {},
): Promise<LookupResult> {
  const raw = (isObject(input) ? input : {}) as Record<string, unknown>;
  const validation = validateUpdateUserInput(
    { userId: raw.userId, intercomId: raw.intercomId, lookupEmail: raw.lookupEmail },
    { requireChange: false },
  );
  if (!validation.ok) return { ok: false, error: invalidInputError(validation.errors) };
  if (options.signal?.aborted) return { ok: false, error: abortedError() };
  const plan = planLookup(validation.input, {
    apiVersion: client.version,
    ...(options.output ? { output: options.output } : {}),
  });
  const [resolve, ...reads] = plan.calls;
  if (!resolve) return { ok: false, error: invalidInputError([]) };
  const lookups: PlannedCall[] = [resolve];
  const byId = validation.input.intercomId !== undefined;
  const found = resolveContact(client, validation.input, resolve, options, lookups);
  const readAll = async (contactId: string) =>
    Promise.all(
      reads.map((c) =>
        runRead(
          client,
          {
            ...c,
            params: { contact_id: contactId },
            path: c.path.replace("{contact_id}", encodeURIComponent(contactId)),
          },
          options,
        ),
      ),
    );
  const early = byId ? readAll(validation.input.intercomId as string) : undefined;
  const contact = await found;
  if (!contact.ok) return contact;
  // A merged contact is read at its new id; reads made beside the first try were for the old one.
  const sameId = contact.value.contact.id === validation.input.intercomId;
  const answers = early && sameId ? await early : await readAll(contact.value.contact.id as string);
  if (options.signal?.aborted) return { ok: false, error: abortedError() };
  const notes: string[] = [];
  const data = (kind: string) => {
    const i = reads.findIndex((c) => c.kind === kind);
    const r = answers[i];
    if (i < 0 || !r) return null;
    if (r.ok && isObject(r.data)) return r.data;
    notes.push(`The user's ${kind} could not be read${r.ok ? "" : `: ${r.error.message}`}.`);
    return null;
  };
  const companies = data("companies");
  const tags = data("tags");
  const user = toUserOutput({
    contact: contact.value.contact,
    companies: companies ? attachedCompanies(companies as never) : null,
    tags: tags && readTags(tags) ? (tags as never) : null,
    segments: (data("segments") as never) ?? null,
  });
  if (contact.value.mergedFrom) {
    user.merged_from = contact.value.mergedFrom;
    notes.push(
      `${contact.value.mergedFrom} belonged to a contact that was merged into ${user.id}; this is ${user.id}.`,
    );
  }
  const missing = notes.filter((n) => n.includes("could not be read")).length;
  if (missing > 0)
    user.incomplete = ["companies", "tags", "segments"].filter((k) => notes.some((n) => n.includes(`user's ${k}`)));
  return { ok: true, user, contact: contact.value.contact, notes };
}
