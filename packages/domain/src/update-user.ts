import type { Company, Contact, IntercomClient, IntercomFailure, SegmentList, TagList } from "@intercom-kit/core";
import {
  errorFromFailure,
  type FailureContext,
  invalidInputError,
  parseCanonicalContactId,
  partialError,
} from "./errors.js";
import { attachedCompanies, toUserOutput } from "./output.js";
import {
  CONTACT_ID_PLACEHOLDER,
  companyUpsertBody,
  criticalPath,
  emailSearchBody,
  externalIdSearchBody,
  identifyByOf,
  planUpdate,
  updateContactBody,
} from "./plan.js";
import type {
  AppliedStep,
  LookupResult,
  PlannedCall,
  RawUpdateUserInput,
  Step,
  UpdatePlan,
  UpdateUserError,
  UpdateUserInput,
  UpdateUserOptions,
  UpdateUserResult,
} from "./types.js";
import { validateUpdateUserInput } from "./validate.js";

const WRITE_STEPS: ReadonlySet<Step> = new Set(["update", "company", "attach"]);
const CONTACT_WRITES: ReadonlySet<Step> = new Set(["update", "attach"]);
/** Companies a contact can have before we stop paging (Intercom lists 50 per page here). */
const MAX_COMPANY_PAGES = 20;

interface RunState {
  input: UpdateUserInput;
  contactId?: string;
  contact?: Contact;
  updated?: Contact;
  companyIntercomId?: string;
  companies?: Company[];
  /** The company the attach call answered with (added to the list read beside it). */
  attachedCompany?: Company;
  tags?: TagList;
  segments?: SegmentList;
  applied: AppliedStep[];
  notes: string[];
}

type StepOutcome = { ok: true } | { ok: false; error: UpdateUserError };

const OK: StepOutcome = { ok: true };

function abortedError(): UpdateUserError {
  return {
    kind: "aborted",
    message: "Cancelled before anything was sent to Intercom",
    hint: "Run it again to make the change",
    requestId: null,
  };
}

function fail(failure: IntercomFailure, ctx: FailureContext): StepOutcome {
  return { ok: false, error: { ...errorFromFailure(failure, ctx), failedStep: ctx.step } };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One search that must match exactly one user. */
function pickOne(
  list: { data?: Contact[]; total_count?: number } | undefined,
  subject: string,
): Contact | UpdateUserError {
  const data = list?.data ?? [];
  const total = Math.max(list?.total_count ?? data.length, data.length);
  const first = data[0];
  if (total === 1 && first?.id) return first;
  if (total === 0 || !first) {
    return {
      kind: "not_found",
      message: `No user has ${subject}`,
      hint: "Check the value; users created in the last few minutes may not be searchable yet, so try their User ID or Intercom ID. This action never creates users",
      requestId: null,
      failedStep: "search",
    };
  }
  const ids = data.map((c) => c.id).filter((id): id is string => typeof id === "string");
  return {
    kind: "ambiguous",
    message: `${total} users have ${subject}${total > ids.length ? ` (showing the first ${ids.length})` : ""}: ${ids.join(", ")}`,
    hint: "Identify the user by User ID or Intercom ID instead",
    requestId: null,
    matches: ids,
    failedStep: "search",
  };
}

async function execStep(
  client: IntercomClient,
  step: Step,
  state: RunState,
  signal: AbortSignal | undefined,
): Promise<StepOutcome> {
  const { input } = state;
  const opts = { signal };
  const contactId = state.contactId ?? CONTACT_ID_PLACEHOLDER;
  const contactCtx = (s: Step): FailureContext => ({ step: s, subject: `Intercom ID ${contactId}` });
  switch (step) {
    case "find": {
      const userId = input.userId as string;
      const r = await client.findContactByExternalId(userId, opts);
      if (r.ok) {
        state.contact = r.data;
        state.contactId = r.data.id;
        return OK;
      }
      const canonical =
        r.error.kind === "http" && r.error.status === 410 ? parseCanonicalContactId(r.error.link) : undefined;
      if (!canonical) return fail(r.error, { step, subject: `user ID ${userId}` });
      // Merged: Intercom points at the surviving contact; update that one and say so.
      const g = await client.getContact(canonical, opts);
      if (!g.ok) return fail(g.error, { step, subject: `Intercom ID ${canonical}` });
      state.contact = g.data;
      state.contactId = g.data.id ?? canonical;
      state.notes.push(
        `User ID ${userId} belonged to a contact that was merged into ${state.contactId}; that one was used.`,
      );
      return OK;
    }
    case "search": {
      const byEmail = input.lookupEmail !== undefined;
      const subject = byEmail ? `email ${input.lookupEmail}` : `user ID ${input.userId}`;
      const body = byEmail
        ? emailSearchBody(input.lookupEmail as string)
        : externalIdSearchBody(input.userId as string);
      const r = await client.searchContacts(body, opts);
      if (!r.ok) return fail(r.error, { step, subject });
      const one = pickOne(r.data, subject);
      if ("kind" in one) return { ok: false, error: { ...one, requestId: r.requestId } };
      state.contact = one;
      state.contactId = one.id;
      return OK;
    }
    case "get": {
      const r = await client.getContact(contactId, opts);
      if (!r.ok) return fail(r.error, contactCtx(step));
      state.contact = r.data;
      return OK;
    }
    case "company": {
      const body = companyUpsertBody(input);
      if (!body) return OK;
      const r = await client.createOrUpdateCompany(body, opts);
      if (!r.ok) return fail(r.error, { step, subject: `company ID ${input.companyId}` });
      if (!r.data.id) {
        return {
          ok: false,
          error: {
            kind: "intercom_error",
            message: `Intercom did not return an id for company ${input.companyId}`,
            hint: "Try again",
            requestId: r.requestId,
            failedStep: step,
          },
        };
      }
      state.companyIntercomId = r.data.id;
      const spend = input.companyMonthlySpend;
      if (spend !== undefined && !Number.isInteger(spend)) {
        state.notes.push(
          `Monthly spend ${spend} was stored as ${Math.trunc(spend)}: Intercom keeps whole numbers only.`,
        );
      }
      state.applied.push({
        step,
        summary: `company ${input.companyId} created or updated (Intercom ID ${r.data.id})`,
      });
      return OK;
    }
    case "update": {
      const body = updateContactBody(input);
      const r = await client.updateContact(contactId, body, opts);
      if (!r.ok) return fail(r.error, contactCtx(step));
      state.updated = r.data;
      state.applied.push({ step, summary: `user updated (${Object.keys(body).join(", ")})` });
      return OK;
    }
    case "attach": {
      const companyRef = input.intercomCompanyId ?? state.companyIntercomId;
      if (!companyRef) return OK;
      const r = await client.attachCompany(contactId, companyRef, opts);
      if (!r.ok) {
        const codes = r.error.kind === "http" ? r.error.errors.map((e) => e.code) : [];
        const contactMissing =
          r.error.kind === "http" && r.error.status === 404 && !codes.includes("company_not_found");
        return fail(
          r.error,
          contactMissing
            ? { ...contactCtx(step), what: "user" }
            : { step, subject: `Intercom ID ${companyRef}`, what: "company" },
        );
      }
      state.attachedCompany = { ...r.data, id: r.data.id ?? companyRef };
      state.applied.push({ step, summary: `user attached to company ${companyRef}` });
      return OK;
    }
    case "companies": {
      const all: Company[] = [];
      for (let page = 1; page <= MAX_COMPANY_PAGES; page++) {
        const r = await client.listContactCompanies(contactId, { page, perPage: 50 }, opts);
        if (!r.ok) return fail(r.error, contactCtx(step));
        const rows = attachedCompanies(r.data);
        all.push(...rows);
        const totalPages = r.data.pages?.total_pages ?? 1;
        if (page >= totalPages || rows.length === 0) break;
      }
      state.companies = all;
      return OK;
    }
    case "tags": {
      const r = await client.listContactTags(contactId, opts);
      if (!r.ok) return fail(r.error, contactCtx(step));
      state.tags = r.data;
      return OK;
    }
    case "segments": {
      const r = await client.listContactSegments(contactId, opts);
      if (!r.ok) return fail(r.error, contactCtx(step));
      state.segments = r.data;
      return OK;
    }
  }
}

/** The list read beside the attach, plus the attached company unless the read already saw it. */
function withAttached(list: Company[] | undefined, attached: Company | undefined): Company[] | null {
  if (!list) return null;
  if (!attached || list.some((c) => c.id === attached.id)) return list;
  return [...list, attached];
}

interface RunOutcome {
  state: RunState;
  succeeded: Set<Step>;
  failures: Array<{ step: Step; error: UpdateUserError }>;
}

/**
 * Runs the plan's calls as a dependency graph: each call starts as soon as the calls it is `after` have succeeded,
 * so independent calls overlap and the person waits only for the critical path. After the first failure no new
 * call starts (calls already in flight finish), so as little as possible is half-done.
 */
async function runPlan(
  client: IntercomClient,
  plan: UpdatePlan,
  input: UpdateUserInput,
  options: UpdateUserOptions,
): Promise<RunOutcome> {
  // Notes in results say what happened; the plan's notes (what will happen) are for previews.
  const state: RunState = { input, applied: [], notes: [] };
  if (input.intercomId !== undefined) state.contactId = input.intercomId;
  const succeeded = new Set<Step>();
  const failures: RunOutcome["failures"] = [];
  const started = new Map<Step, Promise<boolean>>();
  const byId = new Map(plan.calls.map((c) => [c.id, c]));

  const start = (call: PlannedCall): Promise<boolean> => {
    const existing = started.get(call.id);
    if (existing) return existing;
    const promise = (async () => {
      const deps = await Promise.all(
        call.after.map((id) => {
          const dep = byId.get(id);
          return dep ? start(dep) : Promise.resolve(true);
        }),
      );
      if (!deps.every(Boolean) || failures.length > 0 || options.signal?.aborted) return false;
      try {
        options.onStep?.(call.id, capitalise(call.purpose));
      } catch {
        // A progress callback must not break the action.
      }
      const outcome = await execStep(client, call.id, state, options.signal);
      if (!outcome.ok) {
        failures.push({ step: call.id, error: outcome.error });
        return false;
      }
      succeeded.add(call.id);
      return true;
    })();
    started.set(call.id, promise);
    return promise;
  };
  await Promise.all(plan.calls.map(start));
  return { state, succeeded, failures };
}

function pickFailure(plan: UpdatePlan, failures: RunOutcome["failures"]): { step: Step; error: UpdateUserError } {
  // Concurrent calls can fail together (an unknown contact id fails the PUT and the reads); the earliest call in
  // plan order names the root cause best.
  const order = plan.calls.map((c) => c.id);
  return [...failures].sort((a, b) => order.indexOf(a.step) - order.indexOf(b.step))[0]!;
}

function failureResult(plan: UpdatePlan, outcome: RunOutcome, signal: AbortSignal | undefined): UpdateUserError {
  const { state, succeeded, failures } = outcome;
  const notApplied = plan.calls.map((c) => c.id).filter((id) => !succeeded.has(id));
  const applied = [...state.applied];
  const contactChanged = applied.some((a) => CONTACT_WRITES.has(a.step));
  const picked =
    failures.length > 0 ? pickFailure(plan, failures) : { step: notApplied[0] ?? "update", error: abortedError() };
  const aborted = signal?.aborted === true || picked.error.kind === "aborted";
  if (aborted) {
    const error: UpdateUserError = {
      ...picked.error,
      kind: "aborted",
      message:
        applied.length > 0
          ? `Cancelled after part of the update was made (${applied.map((a) => a.summary).join(", ")})`
          : "Cancelled before Intercom confirmed any change",
      // A request in flight when the signal fired may still have been applied by Intercom.
      hint: "Run the same update again to finish it (it is safe to repeat), or look the user up to see where it stopped",
      failedStep: picked.step,
    };
    if (applied.length > 0) return { ...error, applied, notApplied };
    return { ...error, notApplied };
  }
  if (contactChanged) {
    return {
      ...partialError(picked.error, picked.step, applied, notApplied),
      failedStep: picked.step,
      failedKind: picked.error.kind,
    };
  }
  const error: UpdateUserError = { ...picked.error, failedStep: picked.step, notApplied };
  if (applied.length > 0) {
    // Only the company upsert ran (it overlaps the lookup); the user was not changed.
    error.applied = applied;
    error.message = `${error.message}; the user was not changed (but ${applied.map((a) => a.summary).join(", ")})`;
  }
  return error;
}

/**
 * Updates one Intercom user (API 2.x), strictly: an unknown user is `not_found`, never a new contact.
 * Validates first (invalid input sends nothing), then runs {@link planUpdate}'s calls with independent ones
 * overlapping, and returns the full legacy-shaped user record or a typed error. Never throws for bad input or
 * Intercom failures.
 */
export async function updateUser(
  client: IntercomClient,
  input: UpdateUserInput | RawUpdateUserInput,
  options: UpdateUserOptions = {},
): Promise<UpdateUserResult> {
  const validation = validateUpdateUserInput(input);
  if (!validation.ok) return { ok: false, error: invalidInputError(validation.errors) };
  if (options.signal?.aborted) return { ok: false, error: abortedError() };
  return runUpdate(client, validation.input, options, 0);
}

async function runUpdate(
  client: IntercomClient,
  input: UpdateUserInput,
  options: UpdateUserOptions,
  merges: number,
): Promise<UpdateUserResult> {
  const plan = planUpdate(input, { apiVersion: client.version });
  const outcome = await runPlan(client, plan, input, options);
  const { state, failures } = outcome;
  if (failures.length > 0 || options.signal?.aborted) {
    const error = failureResult(plan, outcome, options.signal);
    // An Intercom ID of a merged contact: Intercom names the survivor in Link; retry once against it when the
    // contact itself was not touched (the company upsert is safe to repeat).
    const canonical =
      error.cause?.kind === "http" && error.cause.status === 410
        ? parseCanonicalContactId(error.cause.link)
        : undefined;
    if (
      canonical &&
      merges === 0 &&
      identifyByOf(input) === "intercomId" &&
      !state.applied.some((a) => CONTACT_WRITES.has(a.step))
    ) {
      const again = await runUpdate(client, { ...input, intercomId: canonical }, options, merges + 1);
      const note = `Intercom ID ${input.intercomId} was merged into ${canonical}; that contact was used.`;
      return again.ok ? { ...again, notes: [note, ...(again.notes ?? [])] } : again;
    }
    return { ok: false, error };
  }
  const contact = state.updated ?? state.contact;
  const companies = withAttached(state.companies, state.attachedCompany);
  if (!contact) {
    return {
      ok: false,
      error: { kind: "intercom_error", message: "Intercom returned no contact", hint: "Try again", requestId: null },
    };
  }
  return {
    ok: true,
    user: toUserOutput({
      contact,
      companies,
      tags: state.tags ?? null,
      segments: state.segments ?? null,
    }),
    applied: state.applied,
    notes: state.notes,
  };
}

export interface LookupInput {
  userId?: string | null;
  intercomId?: string | null;
  lookupEmail?: string | null;
}

/** The read-only calls of a lookup: resolve, then companies, tags and segments together. */
export function planLookup(input: UpdateUserInput, options: { apiVersion?: string } = {}): UpdatePlan {
  const identifyBy = identifyByOf(input);
  const full = planUpdate({ ...input, name: "x" }, options);
  const calls = full.calls
    .filter((c) => !WRITE_STEPS.has(c.id))
    .map((c) => ({ ...c, after: c.after.filter((a) => !WRITE_STEPS.has(a)) }));
  if (identifyBy === "intercomId") {
    const path = `/contacts/${encodeURIComponent(input.intercomId as string)}`;
    calls.unshift({ id: "get", method: "GET", path, purpose: "read the user", after: [] });
  }
  return { identifyBy, calls, roundTrips: criticalPath(calls), notes: [] };
}

/**
 * Finds a user and reads their full record without changing anything (for review screens and diffs).
 * Takes the identify fields of an update input (other fields are ignored).
 */
export async function lookupUser(
  client: IntercomClient,
  input: LookupInput | UpdateUserInput | RawUpdateUserInput,
  options: UpdateUserOptions = {},
): Promise<LookupResult> {
  const raw = (input ?? {}) as Record<string, unknown>;
  const validation = validateUpdateUserInput(
    typeof raw === "object" && raw !== null
      ? { userId: raw.userId, intercomId: raw.intercomId, lookupEmail: raw.lookupEmail }
      : raw,
    { requireChange: false },
  );
  if (!validation.ok) return { ok: false, error: invalidInputError(validation.errors) };
  if (options.signal?.aborted) return { ok: false, error: abortedError() };
  const plan = planLookup(validation.input, { apiVersion: client.version });
  const outcome = await runPlan(client, plan, validation.input, options);
  if (outcome.failures.length > 0 || options.signal?.aborted) {
    const error = failureResult(plan, outcome, options.signal);
    return { ok: false, error };
  }
  const { state } = outcome;
  if (!state.contact) {
    return {
      ok: false,
      error: { kind: "intercom_error", message: "Intercom returned no contact", hint: "Try again", requestId: null },
    };
  }
  return {
    ok: true,
    user: toUserOutput({
      contact: state.contact,
      companies: state.companies ?? null,
      tags: state.tags ?? null,
      segments: state.segments ?? null,
    }),
  };
}
