/**
 * The three tools as services: plain inputs in, a result out (structured JSON and the text a person reads). They know
 * nothing of the protocol; server.ts registers them. Every rule, check and sentence about users is the domain's.
 */
import {
  applyUpdate,
  type BackendInfo,
  createWorkspaceCache,
  errorDetailLines,
  errorDocument,
  errorMessage,
  escapeControl,
  formatUserText,
  type IntercomClient,
  identifyFields,
  invalidInputError,
  lookupUser,
  outcomeLine,
  type PreparedUpdate,
  planText,
  prepareUpdate,
  type RunOptions,
  type UpdateUserError,
  type UpdateUserOutput,
  type UpdateUserResult,
  validateUpdateUserInput,
  whoIs,
} from "@intercom-kit/domain";
import { backendLine, expiredPlan, planInProgress, type ServerError, spentPlan, unknownPlan } from "./messages.js";
import type { PlanOutcome, PlanStore } from "./plan-store.js";

export interface ToolDeps {
  client: IntercomClient;
  backend: BackendInfo;
  plans: PlanStore;
}

/** What a tool call answers: the exact JSON (`structured`) and the same facts as escaped text. */
export interface ToolResult {
  structured: Record<string, unknown>;
  text: string;
  isError: boolean;
}

export type Run = Pick<RunOptions, "signal" | "onStep">;

function runOptions(run: Run): RunOptions {
  return { ...(run.signal ? { signal: run.signal } : {}), ...(run.onStep ? { onStep: run.onStep } : {}) };
}

/** The back end as every result names it: kind, label, base URL, API version, where the token came from (never it). */
export function backendDocument(info: BackendInfo): BackendInfo {
  return {
    kind: info.kind,
    label: info.label,
    baseUrl: info.baseUrl,
    apiVersion: info.apiVersion,
    tokenSource: info.tokenSource,
  };
}

function errorText(error: UpdateUserError | ServerError): string[] {
  return [
    `Error (${escapeControl(error.kind)}): ${errorMessage(error)}`,
    ...errorDetailLines(error as UpdateUserError).map((l) => `  ${l}`),
  ];
}

/** A failure as a tool result: the error document in the structured content, its message and hint as text. */
export function failure(
  deps: ToolDeps,
  error: UpdateUserError | ServerError,
  extra: Record<string, unknown> = {},
  more: string[] = [],
): ToolResult {
  return {
    structured: {
      ok: false,
      backend: backendDocument(deps.backend),
      ...extra,
      ...errorDocument(error as UpdateUserError),
    },
    text: [backendLine(deps.backend), ...errorText(error), ...more].join("\n"),
    isError: true,
  };
}

function noteLines(notes: readonly string[]): string[] {
  return notes.map((n) => `Note: ${escapeControl(n)}`);
}

// ---------------------------------------------------------------------------------------------------------------

/** find_user: the user's record by exactly one identifier; an email several users share answers with candidates. */
export async function findUser(deps: ToolDeps, args: Record<string, unknown>, run: Run = {}): Promise<ToolResult> {
  // Only the identify fields are known here, so `name` and friends are named as unknown, not silently dropped.
  const valid = validateUpdateUserInput(args, { requireChange: false, fields: identifyFields });
  if (!valid.ok) return failure(deps, invalidInputError(valid.errors));
  const found = await lookupUser(deps.client, valid.input, runOptions(run));
  if (!found.ok) return failure(deps, found.error);
  return {
    structured: { ok: true, backend: backendDocument(deps.backend), user: found.user, notes: found.notes },
    text: [
      backendLine(deps.backend),
      `Found ${whoIs(found.user)}.`,
      ...noteLines(found.notes),
      formatUserText(found.user),
    ].join("\n"),
    isError: false,
  };
}

// ---------------------------------------------------------------------------------------------------------------

function planDocument(plan: PreparedUpdate) {
  // Who the plan is for. Not the whole record: the plan reads the contact alone (no company names, tags or
  // segments), and a partial record would mislead; find_user reads the whole one.
  const user = plan.current
    ? { id: plan.current.id, user_id: plan.current.user_id, email: plan.current.email, name: plan.current.name }
    : null;
  return {
    user,
    changes: plan.changes,
    calls: plan.calls,
    reads_made: plan.lookups,
    notes: plan.notes,
    unchanged: plan.unchanged,
    round_trips: plan.roundTrips,
  };
}

/** plan_user_update: validate and pre-flight (reads only), then keep the plan under a new id for apply_user_update. */
export async function planUserUpdate(
  deps: ToolDeps,
  args: Record<string, unknown>,
  run: Run = {},
): Promise<ToolResult> {
  const { createMissingAttributes, ...input } = args;
  if (createMissingAttributes !== undefined && typeof createMissingAttributes !== "boolean") {
    return failure(
      deps,
      invalidInputError([{ field: "input", label: "createMissingAttributes", message: "must be true or false" }]),
    );
  }
  // Facts about the workspace (attributes, tags, admins, companies) are read for this plan, not kept from earlier
  // ones: this server runs for hours, and the plan is applied against exactly what it was checked against.
  const cache = createWorkspaceCache();
  const prepared = await prepareUpdate(deps.client, input, {
    ...runOptions(run),
    cache,
    readCurrent: true,
    createMissingAttributes: createMissingAttributes === true,
  });
  if (!prepared.ok) return failure(deps, prepared.error);
  const stored = deps.plans.add(prepared.plan, cache);
  const expiresAt = new Date(stored.expiresAt).toISOString();
  const head = prepared.plan.unchanged
    ? `Plan ${stored.id} (expires ${expiresAt}): the user already has every value given; applying it writes nothing.`
    : `Plan ${stored.id} (expires ${expiresAt}): nothing has been written. Show these changes to the person; apply_user_update with this plan_id makes exactly them.`;
  return {
    structured: {
      ok: true,
      backend: backendDocument(deps.backend),
      plan_id: stored.id,
      expires_at: expiresAt,
      ...planDocument(prepared.plan),
    },
    text: [backendLine(deps.backend), head, ...planText(prepared.plan)].join("\n"),
    isError: false,
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** The outcome a result stands for, and whether the plan may be tried again (only when nothing can have been written). */
export function judgeOutcome(result: UpdateUserResult): { outcome: PlanOutcome; spent: boolean } {
  if (result.ok) return { outcome: result.outcome, spent: true };
  const error = result.error;
  if (error.kind === "unknown" || (error.unknown?.length ?? 0) > 0) return { outcome: "unknown", spent: true };
  if (error.kind === "partial" || (error.applied?.length ?? 0) > 0) return { outcome: "partial", spent: true };
  // A stale plan can never apply; anything else failed before a write, so the same plan may be tried again.
  return { outcome: "not_applied", spent: error.kind === "stale" };
}

/** apply_user_update: exactly the stored plan, at most once, refused when the user changed since it was made. */
export async function applyUserUpdate(
  deps: ToolDeps,
  args: Record<string, unknown>,
  run: Run = {},
): Promise<ToolResult> {
  const unknownKeys = Object.keys(args).filter((k) => k !== "plan_id");
  const id = args.plan_id;
  if (typeof id !== "string" || id.trim() === "" || unknownKeys.length > 0) {
    const errors = [
      ...(typeof id !== "string" || id.trim() === ""
        ? [{ field: "input" as const, label: "plan_id", message: "give the plan_id plan_user_update returned" }]
        : []),
      ...unknownKeys.map((k) => ({
        field: "input" as const,
        label: "Input",
        message: `unknown field "${k}" (only plan_id)`,
      })),
    ];
    return failure(deps, invalidInputError(errors), {
      plan_id: typeof id === "string" ? id : "",
      outcome: "not_applied",
    });
  }
  const planId = id.trim();
  const refused = (error: ServerError) => failure(deps, error, { plan_id: planId, outcome: "not_applied" });
  const taken = deps.plans.take(planId);
  if (!taken.ok) {
    switch (taken.reason) {
      case "unknown":
        return refused(unknownPlan(planId, deps.plans.ttlMs));
      case "expired":
        return refused(expiredPlan(planId, taken.entry.expiresAt, deps.plans.ttlMs));
      case "applying":
        return refused(planInProgress(planId));
      case "spent":
        return refused(spentPlan(planId, taken.entry.state.outcome, taken.entry.state.errorKind));
    }
  }
  const { plan, cache } = taken.entry;
  let result: UpdateUserResult;
  try {
    result = await applyUpdate(deps.client, plan, { ...runOptions(run), refuseIfChanged: true, cache });
  } catch (error) {
    // The domain never throws; if it ever did, what was written is not known, and the plan is never tried again.
    deps.plans.finish(planId, { spent: true, outcome: "unknown", errorKind: "internal" });
    throw error;
  }
  const judged = judgeOutcome(result);
  deps.plans.finish(
    planId,
    judged.spent
      ? { spent: true, outcome: judged.outcome, ...(result.ok ? {} : { errorKind: result.error.kind }) }
      : { spent: false },
  );
  const base = { plan_id: planId, outcome: judged.outcome };
  if (result.ok) {
    return {
      structured: {
        ok: true,
        backend: backendDocument(deps.backend),
        ...base,
        user: result.user,
        applied: result.applied,
        changes: result.changes,
        notes: result.notes,
      },
      text: [
        backendLine(deps.backend),
        outcomeLine(result),
        ...noteLines(result.notes),
        formatUserText(result.user),
      ].join("\n"),
      isError: false,
    };
  }
  if (judged.outcome === "partial" || judged.outcome === "unknown") {
    // Show what Intercom holds now, so the agent need not guess; a failed read says so and changes no outcome.
    const after = await lookupUser(deps.client, { intercomId: plan.contactId }, runOptions(run));
    const user: UpdateUserOutput | null = after.ok ? after.user : null;
    const more = after.ok
      ? ["The user as read after the failure:", formatUserText(after.user)]
      : [`The user could not be read after the failure: ${errorMessage(after.error)}`];
    return failure(deps, result.error, { ...base, user }, more);
  }
  return failure(deps, result.error, base);
}
