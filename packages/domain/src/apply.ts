/**
 * Applies a prepared update exactly as planned: the writes (each as soon as the calls it needs have succeeded), and
 * the reads for the output beside them. A write whose answer is lost (reset, timeout, a malformed or 5xx answer)
 * is read back and compared, so the outcome says what happened for certain; only when that read fails too is it
 * `unknown`. Never throws.
 */
import type { Company, Contact, IntercomClient, IntercomFailure, IntercomResult } from "@intercom-kit/core";
import { canonicalJson } from "./canonical-json.js";
import { contactRefs, readContact } from "./contact.js";
import { abortedError, errorFromFailure, oneLine, parseCanonicalContactId, unexpectedAnswer } from "./errors.js";
import { FIELDS } from "./fields.js";
import { attachedCompanies, toUserOutput } from "./output.js";
import { CALLS, COMPANY_ID_PLACEHOLDER, currentProperty, tagPlaceholder } from "./plan.js";
import { prepareValid } from "./prepare.js";
import { emit, type Refs, resolveCall, runRead, sendCall, sentence, thrownFailure } from "./send.js";
import type {
  AppliedStep,
  ApplyOptions,
  ErrorKind,
  PlannedCall,
  PreparedUpdate,
  Step,
  UpdateUserError,
  UpdateUserResult,
  WorkspaceCache,
} from "./types.js";
import { sameEmail, sameTagName } from "./values.js";
import {
  CACHE_KEYS,
  cached,
  cacheFor,
  cachesCompanies,
  findCompanyIn,
  isObject,
  readDefinitions,
  readTags,
} from "./workspace.js";

/** Companies a contact can have before we stop paging the output read (Intercom lists 50 per page here). */
const MAX_COMPANY_PAGES = 20;

type CallState =
  | { status: "ok"; data: unknown; verified?: boolean }
  | { status: "failed"; error: UpdateUserError }
  /** The write may have been made; the read-back could not tell (`readBack` says why, when it did answer). */
  | { status: "unknown"; error: UpdateUserError; readBack?: string }
  | { status: "skipped" };

interface Run {
  client: IntercomClient;
  plan: PreparedUpdate;
  options: ApplyOptions;
  cache: WorkspaceCache;
  refs: Refs;
  states: Map<string, CallState>;
  /** Set when a write failed or its outcome is unknown: no new call starts. */
  stopped: boolean;
  /** The freshest contact seen: the PUT's answer or a read-back. */
  contact: Contact | null;
  notes: string[];
}

/** A failure after which the request may still have reached Intercom and been applied. */
function mayHaveApplied(failure: IntercomFailure): boolean {
  if (failure.kind === "network") return !failure.notSent;
  // Cancelled once an attempt had started: the request may have left and been applied (Intercom does not roll back).
  if (failure.kind === "aborted") return failure.attempts > 0;
  if (failure.kind === "timeout" || failure.kind === "malformed") return true;
  return failure.kind === "http" && (failure.status >= 500 || failure.status === 408);
}

/**
 * A failure after which the request may still be on its way or being processed: no answer came in time, or a
 * gateway gave up waiting for Intercom (504). Reading back then shows only "not yet", never "not applied".
 */
function mayStillApply(failure: IntercomFailure): boolean {
  return failure.kind === "timeout" || (failure.kind === "http" && failure.status === 504);
}

/**
 * Makes the writes of `plan` (from {@link prepareUpdate}) and reads the user for the result. With
 * `refuseIfChanged`, the user is read again first and nothing is written if they changed since the plan was made.
 */
export async function applyUpdate(
  client: IntercomClient,
  plan: PreparedUpdate,
  options: ApplyOptions = {},
): Promise<UpdateUserResult> {
  const result = await applyOnce(client, plan, options);
  // An Intercom ID not read first (nothing to check) may name a merged contact: on API 2.16 the write answers 410
  // with the survivor in Link, and nothing was written. Update the survivor instead, once, and say so.
  const first = plan.input.intercomId;
  if (result.ok || plan.contact !== null || first === undefined) return result;
  if (result.error.applied?.length || result.error.unknown?.length) return result;
  const cause = result.error.cause;
  const canonical = cause?.kind === "http" && cause.status === 410 ? parseCanonicalContactId(cause.link) : undefined;
  if (!canonical || canonical === first) return result;
  const again = await prepareValid(
    client,
    { ...plan.input, intercomId: canonical },
    {
      output: plan.calls.some((c) => c.phase === "output") ? "full" : "contact",
      createMissingAttributes: plan.calls.some((c) => c.kind === "create-attribute"),
      ...(options.cache ? { cache: options.cache } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onStep ? { onStep: options.onStep } : {}),
    },
  );
  if (!again.ok) return again;
  const followed = await applyOnce(client, again.plan, options);
  if (!followed.ok) return followed;
  followed.user.merged_from = first;
  const note = `Intercom ID ${first} was merged into ${canonical}; the update went to ${canonical}.`;
  return { ...followed, notes: [note, ...followed.notes] };
}

async function applyOnce(
  client: IntercomClient,
  plan: PreparedUpdate,
  options: ApplyOptions,
): Promise<UpdateUserResult> {
  if (options.signal?.aborted) return { ok: false, error: abortedError() };
  const run: Run = {
    client,
    plan,
    options,
    cache: options.cache ?? cacheFor(client),
    refs: new Map(),
    states: new Map(),
    stopped: false,
    contact: plan.contact,
    notes: [],
  };
  if (options.refuseIfChanged && plan.contact) {
    const stale = await checkUnchanged(run);
    if (stale) return { ok: false, error: stale };
  }
  await runCalls(run);
  return outcome(run);
}

async function checkUnchanged(run: Run): Promise<UpdateUserError | undefined> {
  const { plan } = run;
  const c = CALLS.get(plan.contactId, "recheck", "check that the user has not changed since the plan was made");
  const r = await runRead(run.client, c, run.options);
  if (!r.ok) return errorFromFailure(r.error, { step: c.id, kind: c.kind, subject: `Intercom ID ${plan.contactId}` });
  const now = readContact(r.data);
  if (!now) return unexpectedAnswer(c, "something that is not a contact");
  if (now.updated_at !== plan.currentUpdatedAt || valuesMoved(plan, now)) {
    const when = typeof now.updated_at === "number" ? new Date(now.updated_at * 1000).toISOString() : "since";
    return {
      kind: "stale",
      message: `The user changed after the plan was made (updated ${when}); nothing was written`,
      hint: "Plan the update again to see the user as they are now, then apply that plan",
      requestId: r.requestId,
      failedStep: c.id,
    };
  }
  run.contact = now;
  return undefined;
}

/**
 * Whether a value the plan read for something it was asked to set is different now. `updated_at` counts whole
 * seconds, so a change made in the same second as the one before the plan leaves it as it was; the values cannot.
 */
function valuesMoved(plan: PreparedUpdate, now: Contact): boolean {
  const before = plan.contact;
  if (!before) return false;
  const { input } = plan;
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const properties = FIELDS.filter((f) => f.contactProperty && input[f.key] !== undefined).map(
    (f) => f.contactProperty as string,
  );
  if (input.owner !== undefined) properties.push("owner_id");
  if (properties.some((p) => !same(currentProperty(before, p), currentProperty(now, p)))) return true;
  const was = (before.custom_attributes ?? {}) as Record<string, unknown>;
  const is = (now.custom_attributes ?? {}) as Record<string, unknown>;
  return Object.keys(input.customAttributes ?? {}).some((name) => !same(was[name], is[name]));
}

function runCalls(run: Run): Promise<unknown> {
  const byId = new Map(run.plan.calls.map((c) => [c.id, c]));
  const started = new Map<string, Promise<boolean>>();
  const start = (c: PlannedCall): Promise<boolean> => {
    const known = started.get(c.id);
    if (known) return known;
    const p = (async () => {
      const deps = await Promise.all(c.after.map((id) => (byId.has(id) ? start(byId.get(id) as PlannedCall) : true)));
      if (!deps.every(Boolean) || run.stopped || run.options.signal?.aborted) {
        run.states.set(c.id, { status: "skipped" });
        return false;
      }
      const state = await execute(run, c);
      run.states.set(c.id, state);
      if (state.status !== "ok" && c.phase === "write") run.stopped = true;
      return state.status === "ok";
    })();
    started.set(c.id, p);
    return p;
  };
  return Promise.all(run.plan.calls.map(start));
}

/** Sends one planned call (sharing creates and upserts other rows already sent), then checks and records its answer. */
async function execute(run: Run, planned: PlannedCall): Promise<CallState> {
  const resolved = resolveCall(planned, run.refs);
  if ("unresolved" in resolved) return { status: "skipped" };
  const c = resolved;
  const label = sentence(planned.purpose);
  const event = (state: "started" | "done" | "failed") =>
    emit(run.options, { step: c.id, kind: c.kind, phase: c.phase, label, state });
  event("started");
  let r: IntercomResult<unknown>;
  try {
    r = await sendShared(run, c);
    if (r.ok && c.kind === "companies") r = await morePages(run, r);
  } catch (error) {
    r = { ok: false, error: thrownFailure(c, error) };
  }
  let state: CallState;
  if (r.ok && answerFits(c, r.data)) state = { status: "ok", data: r.data };
  else if (c.phase !== "write") {
    state = {
      status: "failed",
      error: r.ok ? unexpectedAnswer(c, "an answer of an unexpected shape") : failureError(run, c, r.error),
    };
  } else if (!r.ok && !mayHaveApplied(r.error)) {
    state = { status: "failed", error: failureError(run, c, r.error) };
  } else if (run.options.signal?.aborted) {
    state = {
      status: "unknown",
      error: r.ok ? unexpectedAnswer(c, "an unreadable answer") : failureError(run, c, r.error),
    };
  } else {
    // The answer was lost or unreadable after the request may have been applied: look, instead of guessing.
    const lost = r.ok ? unexpectedAnswer(c, "an answer of an unexpected shape") : failureError(run, c, r.error);
    state = await readBack(run, c, lost, !r.ok && mayStillApply(r.error));
  }
  if (state.status === "ok") learn(run, c, state.data);
  event(state.status === "ok" ? "done" : "failed");
  return state;
}

function failureError(run: Run, c: PlannedCall, failure: IntercomFailure): UpdateUserError {
  const subject =
    c.kind === "company"
      ? `company ID ${run.plan.input.companyId}`
      : c.kind === "attach" && failure.kind === "http" && failure.errors.some((e) => e.code === "company_not_found")
        ? `Intercom ID ${String((c.body as { id?: unknown }).id)}`
        : `Intercom ID ${run.plan.contactId}`;
  const contactMissing =
    c.kind === "attach" &&
    failure.kind === "http" &&
    failure.status === 404 &&
    !failure.errors.some((e) => e.code === "company_not_found");
  return errorFromFailure(failure, {
    step: c.id,
    kind: c.kind,
    subject,
    ...(contactMissing ? { what: "user" as const } : {}),
  });
}

/** Creates and company upserts are shared through the cache: a bulk run sends each distinct one once. */
function sendShared(run: Run, c: PlannedCall): Promise<IntercomResult<unknown>> {
  const send = () => sendCall(run.client, c, run.options.signal);
  // Tag names match in any case (Intercom answers the existing tag), so one create per name whatever its case.
  if (c.kind === "create-tag") {
    return cached(
      run.cache,
      `create-tag:${String((c.body as { name: string }).name)
        .trim()
        .toLowerCase()}`,
      send,
    ).result;
  }
  if (c.kind === "create-attribute") return cached(run.cache, `create-attribute:${canonicalJson(c.body)}`, send).result;
  if (c.kind === "company" && cachesCompanies(run.cache)) {
    return cached(run.cache, CACHE_KEYS.upsert(canonicalJson(c.body)), send).result;
  }
  return send();
}

async function morePages(run: Run, first: IntercomResult<unknown> & { ok: true }) {
  const pages = isObject(first.data) && isObject(first.data.pages) ? first.data.pages.total_pages : undefined;
  if (typeof pages !== "number" || pages <= 1) return first;
  const all: Company[] = [...attachedCompanies(first.data as never)];
  for (let page = 2; page <= Math.min(pages, MAX_COMPANY_PAGES); page++) {
    const r = await run.client.listContactCompanies(
      run.plan.contactId,
      { page, perPage: 50 },
      { signal: run.options.signal },
    );
    if (!r.ok) return r;
    const rows = attachedCompanies(r.data);
    if (rows.length === 0) break;
    all.push(...rows);
  }
  return { ...first, data: { ...(first.data as object), data: all, companies: all } };
}

/** The answer has what the rest of the action reads from it. */
function answerFits(c: PlannedCall, data: unknown): boolean {
  switch (c.kind) {
    case "update":
      return readContact(data) !== undefined;
    case "company":
    case "create-tag":
      return isObject(data) && typeof data.id === "string";
    case "tags":
    case "segments":
      return isObject(data) && Array.isArray(data.data);
    case "companies":
      return isObject(data) && (Array.isArray(data.companies) || Array.isArray(data.data));
    default:
      return isObject(data);
  }
}

/** Adds what a create made to a cached list (so the next update of the run need not read the list again). */
function remember(cache: WorkspaceCache, key: string, item: Record<string, unknown>): void {
  const known = cache.entries.get(key) as Promise<IntercomResult<unknown>> | undefined;
  if (!known) return;
  cache.entries.set(
    key,
    known.then((r) => {
      if (!r.ok || !isObject(r.data) || !Array.isArray(r.data.data)) return r;
      const list = r.data.data as Array<Record<string, unknown>>;
      if (list.some((x) => isObject(x) && x.name === item.name)) return r;
      return { ...r, data: { ...r.data, data: [...list, item] } };
    }),
  );
}

/** Records ids the later calls need, the freshest contact, and keeps the workspace cache true. */
function learn(run: Run, c: PlannedCall, data: unknown): void {
  if (!isObject(data)) return;
  if (c.kind === "update") {
    const contact = readContact(data);
    if (contact) run.contact = contact;
  }
  if (c.kind === "company" && typeof data.id === "string") {
    run.refs.set(COMPANY_ID_PLACEHOLDER, data.id);
    const companyId = run.plan.input.companyId;
    if (companyId !== undefined && cachesCompanies(run.cache)) {
      run.cache.entries.set(
        CACHE_KEYS.company(companyId),
        Promise.resolve({
          ok: true,
          data: { type: "list", data: [data] },
          status: 200,
          requestId: null,
          rateLimit: { limit: null, remaining: null, resetAt: null },
          attempts: 1,
        }),
      );
    }
  }
  if (c.kind === "create-tag" && typeof data.id === "string") {
    run.refs.set(tagPlaceholder(String((c.body as { name: string }).name)), data.id);
    remember(run.cache, CACHE_KEYS.tags, {
      type: "tag",
      id: data.id,
      name: data.name ?? (c.body as { name: string }).name,
    });
  }
  if (c.kind === "create-attribute") {
    const body = c.body as { name: string; data_type: string };
    remember(run.cache, CACHE_KEYS.dataAttributes, {
      type: "data_attribute",
      model: "contact",
      name: body.name,
      full_name: `custom_attributes.${body.name}`,
      data_type: body.data_type,
      custom: true,
      archived: false,
      api_writable: true,
      ...data,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Read-back: was a write whose answer was lost made?

async function readBack(run: Run, c: PlannedCall, lost: UpdateUserError, inFlight: boolean): Promise<CallState> {
  const check = verifier(run, c);
  const r = await runRead(run.client, check.call, run.options);
  if (!r.ok && !(check.notFoundMeans && r.error.kind === "http" && r.error.status === 404)) {
    return { status: "unknown", error: lost };
  }
  const verdict = check.judge(r);
  if (verdict === undefined) return { status: "unknown", error: lost };
  if (verdict.applied) {
    run.notes.push(`${sentence(c.purpose)}: Intercom's answer was lost, but reading back shows it was done.`);
    return { status: "ok", data: verdict.data ?? {}, verified: true };
  }
  if (inFlight) {
    // Not there yet is not "not applied": a request that got no answer may still be queued or running.
    return {
      status: "unknown",
      error: lost,
      readBack: "reading back shows it not done yet, but it may still be in progress",
    };
  }
  return {
    status: "failed",
    error: { ...lost, message: oneLine(`${lost.message}; reading back shows it was not done`) },
  };
}

interface Verifier {
  call: PlannedCall;
  /** A 404 is an answer (archive: the archived user is gone from reads). */
  notFoundMeans?: boolean;
  /** applied (with the data later calls need), not applied, or undefined when the answer cannot tell. */
  judge(r: IntercomResult<unknown>): { applied: boolean; data?: unknown } | undefined;
}

function verifier(run: Run, c: PlannedCall): Verifier {
  const contactId = run.plan.contactId;
  const readContactBack = (judge: (contact: Contact) => boolean | undefined): Verifier => ({
    call: { ...CALLS.readBack(contactId), id: `read-back:${c.id}` },
    judge(r) {
      const contact = r.ok ? readContact(r.data) : undefined;
      if (!contact) return undefined;
      const applied = judge(contact);
      if (applied === undefined) return undefined;
      if (applied) run.contact = contact;
      return { applied, data: contact };
    },
  });
  const body = (c.body ?? {}) as Record<string, unknown>;
  switch (c.kind) {
    case "update":
      return readContactBack((contact) =>
        Object.entries(body).every(([key, sent]) => sentIsStored(contact, key, sent)),
      );
    case "attach":
      return readContactBack((contact) => {
        const refs = contactRefs(contact, "companies");
        return refs.ids.has(String(body.id)) ? true : refs.complete ? false : undefined;
      });
    case "tag":
    case "untag": {
      const tagId = c.kind === "tag" ? String(body.id) : (c.params?.tag_id ?? "");
      return readContactBack((contact) => {
        const refs = contactRefs(contact, "tags");
        const has = refs.ids.has(tagId);
        if (c.kind === "tag") return has ? true : refs.complete ? false : undefined;
        return !has && refs.complete ? true : has ? false : undefined;
      });
    }
    case "unarchive":
      return {
        ...readContactBack(() => true),
        notFoundMeans: true,
        judge: (r) => (r.ok ? { applied: true, data: r.data } : { applied: false }),
      };
    case "archive":
      return {
        call: { ...CALLS.readBack(contactId), id: `read-back:${c.id}` },
        notFoundMeans: true,
        judge: (r) => (r.ok ? { applied: false } : { applied: true, data: { id: contactId, archived: true } }),
      };
    case "company": {
      const companyId = String(body.company_id);
      return {
        call: { ...CALLS.findCompany(companyId), id: `read-back:${c.id}` },
        notFoundMeans: true,
        judge(r) {
          if (!r.ok) return { applied: false };
          const found = findCompanyIn(r.data, companyId);
          if (!found) return found === null ? { applied: false } : undefined;
          const same =
            (body.name === undefined || found.name === body.name) &&
            (body.monthly_spend === undefined || found.monthly_spend === body.monthly_spend);
          return { applied: same, data: found };
        },
      };
    }
    case "create-tag": {
      const name = String(body.name);
      return {
        call: { ...CALLS.workspaceTags(), id: `read-back:${c.id}` },
        judge(r) {
          const tags = r.ok ? readTags(r.data) : undefined;
          if (!tags) return undefined;
          const found = tags.find((t) => sameTagName(t.name, name));
          return found ? { applied: true, data: found } : { applied: false };
        },
      };
    }
    case "create-attribute": {
      const name = String(body.name);
      return {
        call: { ...CALLS.dataAttributes(), id: `read-back:${c.id}` },
        judge(r) {
          const defs = r.ok ? readDefinitions(r.data) : undefined;
          if (!defs) return undefined;
          return defs.some((d) => d.name === name) ? { applied: true, data: { name } } : { applied: false };
        },
      };
    }
    default:
      return { call: { ...CALLS.readBack(contactId), id: `read-back:${c.id}` }, judge: () => undefined };
  }
}

/** Whether the contact now holds what the PUT sent for `key`. */
function sentIsStored(contact: Contact, key: string, sent: unknown): boolean {
  const now = currentProperty(contact, key);
  if (key === "email") return sameEmail(now as string, sent as string);
  if (key === "owner_id") return now !== null && now !== undefined && String(now) === String(sent);
  if (key === "email_verified") return now === undefined || now === sent;
  if (key === "custom_attributes" && isObject(sent)) {
    const stored = isObject(now) ? now : {};
    return Object.entries(sent).every(([name, value]) => stored[name] === value);
  }
  return now === sent;
}

// ---------------------------------------------------------------------------------------------------------------
// The outcome

/** The `id` a call's body sends, with its placeholder filled in (the attached company, the added tag). */
function bodyId(run: Run, c: PlannedCall): string {
  const resolved = resolveCall(c, run.refs);
  const body = ("unresolved" in resolved ? c : resolved).body as { id?: unknown } | undefined;
  return String(body?.id ?? "");
}

function summaryOf(run: Run, c: PlannedCall): string {
  const body = (c.body ?? {}) as Record<string, unknown>;
  switch (c.kind) {
    case "update":
      return `user updated (${Object.keys(body).join(", ")})`;
    case "company":
      return `company ${String(body.company_id)} ${c.purpose.startsWith("create") ? "created" : "updated"}`;
    case "attach":
      return `user attached to company ${bodyId(run, c)}`;
    case "tag":
      return `tag ${c.id.slice(4)} added`;
    case "untag":
      return `tag ${c.id.slice(6)} removed`;
    case "create-tag":
      return `tag ${String(body.name)} created`;
    case "create-attribute":
      return `custom attribute ${String(body.name)} created (${String(body.data_type)})`;
    case "unarchive":
      return "user restored from the archive";
    case "archive":
      return "user archived";
    default:
      return c.purpose;
  }
}

function outcome(run: Run): UpdateUserResult {
  const { plan } = run;
  const writes = plan.calls.filter((c) => c.phase === "write");
  const applied: AppliedStep[] = [];
  const notApplied: Step[] = [];
  const unknown: Step[] = [];
  const failures: Failure[] = [];
  for (const c of writes) {
    const s = run.states.get(c.id) ?? { status: "skipped" };
    if (s.status === "ok") {
      applied.push({ step: c.id, kind: c.kind, summary: summaryOf(run, c), ...(s.verified ? { verified: true } : {}) });
    } else if (s.status === "unknown") {
      unknown.push(c.id);
      failures.push({ call: c, error: s.error, ...(s.readBack ? { readBack: s.readBack } : {}) });
    } else {
      notApplied.push(c.id);
      if (s.status === "failed") failures.push({ call: c, error: s.error });
    }
  }
  const aborted = run.options.signal?.aborted === true;
  if (failures.length > 0 || (aborted && notApplied.length > 0)) {
    return { ok: false, error: failureOutcome(run, failures, applied, notApplied, unknown, aborted) };
  }
  const user = buildOutput(run);
  if (!user) {
    return {
      ok: false,
      error: {
        kind: "intercom_error",
        message: "Intercom returned no contact to show",
        hint: "Look the user up",
        requestId: null,
      },
    };
  }
  return {
    ok: true,
    outcome: writes.length === 0 ? "unchanged" : "applied",
    user,
    applied,
    changes: plan.changes,
    notes: [...plan.notes.filter((n) => !n.startsWith("Nothing to change") || writes.length === 0), ...run.notes],
  };
}

interface Failure {
  call: PlannedCall;
  error: UpdateUserError;
  /** Unknown although the read-back answered: what it showed. */
  readBack?: string;
}

function failureOutcome(
  run: Run,
  failures: Failure[],
  applied: AppliedStep[],
  notApplied: Step[],
  unknown: Step[],
  aborted: boolean,
): UpdateUserError {
  if (aborted) return abortedError(applied, unknown, notApplied);
  const order = run.plan.calls.map((c) => c.id);
  // Unknown outcomes first (they matter most), then the earliest failed call in plan order.
  const [first] = [...failures].sort(
    (a, b) =>
      Number(!unknown.includes(a.call.id)) - Number(!unknown.includes(b.call.id)) ||
      order.indexOf(a.call.id) - order.indexOf(b.call.id),
  );
  const picked = first as Failure;
  const failedKind: ErrorKind = picked.error.kind;
  const done = applied.map((a) => a.summary).join(", ");
  const common = { ...picked.error, failedStep: picked.call.id, applied, notApplied };
  if (unknown.length > 0) {
    return {
      ...common,
      kind: "unknown",
      failedKind,
      unknown,
      message: oneLine(
        `${sentence(picked.call.purpose)} may have been applied: ${picked.error.message}, and ${picked.readBack ?? "reading the user back failed too"}${done ? ` (done for certain: ${done})` : ""}`,
      ),
      hint: "Running the same update again is safe: it sets the same values. Or look the user up to see what Intercom holds",
    };
  }
  if (applied.length > 0) {
    return {
      ...common,
      kind: "partial",
      failedKind,
      message: oneLine(
        `Only part of the update was made (${done}); ${picked.call.purpose} failed: ${picked.error.message}`,
      ),
      hint: `${picked.error.hint}. Running the same update again is safe: it sets the same values`,
    };
  }
  // Said when it is not obvious: a refused write, not a user that does not exist.
  const nothing = failedKind === "not_found" ? "" : "; nothing was changed";
  return { ...common, message: oneLine(`${picked.error.message}${nothing}`) };
}

/** The user record: the freshest contact, with the output reads and the writes' own effects merged in. */
function buildOutput(run: Run) {
  const { plan } = run;
  const contact = run.contact;
  if (!contact) return undefined;
  const data = (id: string) => {
    const s = run.states.get(id);
    return s?.status === "ok" ? s.data : undefined;
  };
  const incomplete: string[] = [];
  const read = (kind: "companies" | "tags" | "segments") => {
    const call = plan.calls.find((c) => c.kind === kind);
    if (!call) return undefined;
    const s = run.states.get(call.id);
    if (s?.status === "ok") return s.data;
    incomplete.push(kind);
    if (s?.status === "failed")
      run.notes.push(`The user's ${kind} could not be read for this record: ${s.error.message}.`);
    return undefined;
  };
  const companiesData = read("companies");
  const tagsData = read("tags");
  const segmentsData = read("segments");

  // Companies: the list read (or the ids on the contact), plus the one attached.
  let companies: Company[] | null = companiesData ? attachedCompanies(companiesData as never) : null;
  const attach = plan.calls.find((c) => c.kind === "attach");
  const attachedAnswer = attach ? data(attach.id) : undefined;
  if (attach && attachedAnswer !== undefined) {
    const upserted = data("company");
    const company = (isObject(upserted) ? upserted : isObject(attachedAnswer) ? attachedAnswer : {}) as Company;
    const id = typeof company.id === "string" ? company.id : bodyId(run, attach);
    const row = { ...company, id } as Company;
    if (companies) {
      if (!companies.some((c) => c.id === id)) companies = [...companies, row];
    } else {
      const inline = contactRefs(contact, "companies").ids;
      companies = [...[...inline].filter((i) => i !== id).map((i) => ({ id: i }) as Company), row];
    }
  }

  // Tags: the list read (or the ids on the contact), plus added, minus removed.
  const added = plan.calls.filter((c) => c.kind === "tag" && data(c.id) !== undefined);
  const removed = plan.calls.filter((c) => c.kind === "untag" && data(c.id) !== undefined);
  let tags: Array<{ id: string; name: string | null }> | null = null;
  const fromList = tagsData ? readTags(tagsData) : undefined;
  if (fromList || added.length > 0 || removed.length > 0) {
    const base = fromList ?? [...contactRefs(contact, "tags").ids].map((id) => ({ id, name: "" }));
    const removedIds = new Set(removed.map((c) => c.params?.tag_id));
    const rows = base
      .filter((t) => !removedIds.has(t.id))
      .map((t) => ({ id: t.id, name: t.name === "" ? null : t.name }));
    for (const c of added) {
      const id = bodyId(run, c);
      if (!rows.some((t) => t.id === id)) rows.push({ id, name: c.id.slice(4) });
    }
    tags = rows;
  }

  const output = toUserOutput({
    contact,
    companies,
    tags: tags
      ? ({ type: "list", data: tags.map((t) => ({ type: "tag", id: t.id, name: t.name ?? "" })) } as never)
      : null,
    segments: (segmentsData as never) ?? null,
  });
  if (tags) output.tags.tags = tags.map((t) => ({ type: "tag", id: t.id, name: t.name }));
  if (plan.mergedFrom) output.merged_from = plan.mergedFrom;
  if (incomplete.length > 0 && plan.calls.some((c) => c.phase === "output")) output.incomplete = incomplete;
  return output;
}
