/**
 * The few sentences that belong to this server alone: its instructions and the refusals about plan ids (the domain
 * has no plan store). Every sentence about users, changes, calls and Intercom's errors comes from the domain.
 */
import { type BackendInfo, escapeControl, plural, type UpdateUserError } from "@intercom-kit/domain";
import type { PlanOutcome } from "./plan-store.js";

/** An error this server makes itself; the same shape as the domain's, so agents read one kind of error. */
export type ServerError = Omit<UpdateUserError, "kind"> & {
  kind: "plan_unknown" | "plan_expired" | "plan_already_applied" | "plan_in_progress" | "internal";
};

/** "15 minutes", "30 seconds". */
export function duration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return plural(ms / 60_000, "minute");
  if (ms >= 1000) return plural(Math.round(ms / 1000), "second");
  return plural(ms, "millisecond");
}

/** One line naming the back end, for the top of every result. */
export function backendLine(info: BackendInfo): string {
  const sandbox =
    info.kind === "sandbox" ? ". No access token is configured: nothing reaches a real Intercom workspace" : "";
  return escapeControl(`Back end: ${info.label}, API ${info.apiVersion}${sandbox}.`);
}

const SANDBOX_NOTE =
  "No access token is configured, so this server talks to the embedded sandbox: an Intercom-compatible server in this process's memory, with sample users (user ID 25 is Joe Example, joe@example.com). Nothing reaches a real Intercom workspace, and changes are gone when the server stops. To use Intercom, set INTERCOM_ACCESS_TOKEN in this server's environment (the \"env\" of its entry in the MCP client's configuration) or run `intercom-kit login`, then restart the server.";

/** The server's `instructions`: what the tools are for, in which order, and which back end they reach. */
export function instructions(info: BackendInfo, planTtlMs: number): string {
  return [
    "intercom-kit updates one Intercom user at a time and says exactly what happened.",
    "1. find_user looks a user up by userId, intercomId or lookupEmail (exactly one). When several users share an email it returns them as candidates: ask the person which one, then use its intercomId.",
    "2. plan_user_update validates a change and checks everything that could go wrong (another contact with the new email, an unknown company or attribute, ...) without writing anything. It returns current -> new values, the exact calls it would make, notes, and a plan_id. Show the changes to the person before applying.",
    `3. apply_user_update applies exactly that plan, once. A plan expires ${duration(planTtlMs)} after it was made, and is refused (kind "stale") if the user changed after it was made: plan again.`,
    "Every result names the back end it reached. Failures are results with isError true, an error kind, a message and a hint; invalid input sends nothing.",
    info.kind === "sandbox" ? SANDBOX_NOTE : `Back end: ${info.label}, Intercom API ${info.apiVersion}.`,
  ].join("\n");
}

function planError(kind: ServerError["kind"], message: string, hint: string): ServerError {
  return { kind, message, hint, requestId: null };
}

export function unknownPlan(id: string, ttlMs: number): ServerError {
  return planError(
    "plan_unknown",
    `No plan has the ID ${id}; nothing was written`,
    `Plans live in this server's memory for ${duration(ttlMs)} and are lost when it restarts: call plan_user_update again and apply the plan_id it returns`,
  );
}

export function expiredPlan(id: string, expiresAt: number, ttlMs: number): ServerError {
  return planError(
    "plan_expired",
    `Plan ${id} expired at ${new Date(expiresAt).toISOString()} (a plan can be applied for ${duration(ttlMs)}); nothing was written`,
    "Call plan_user_update again to see the user as they are now, then apply the new plan_id",
  );
}

export function planInProgress(id: string): ServerError {
  return planError(
    "plan_in_progress",
    `Plan ${id} is being applied right now; it is not applied twice`,
    "Wait for the result of the apply_user_update call already running",
  );
}

export function spentPlan(id: string, outcome: PlanOutcome, errorKind: string | undefined): ServerError {
  const how = errorKind ? `${outcome}, ${errorKind}` : outcome;
  const hint =
    outcome === "applied" || outcome === "unchanged"
      ? "To change more, call plan_user_update again and apply the new plan"
      : outcome === "not_applied"
        ? "Call plan_user_update again to see the user as they are now, then apply the new plan"
        : "Running the same update again is safe: plan it again (only what still differs is written) and apply the new plan; find_user shows what Intercom holds now";
  return planError(
    "plan_already_applied",
    `Plan ${id} was already applied (outcome: ${how}); a plan is applied at most once, so nothing was written now`,
    hint,
  );
}

export function internalError(error: unknown): ServerError {
  const message = error instanceof Error ? error.message : String(error);
  return planError(
    "internal",
    `intercom-kit-mcp failed unexpectedly: ${message}`,
    "This is a bug in intercom-kit-mcp; try again, and report it with the server's log (stderr)",
  );
}
