import { randomUUID } from "node:crypto";
import type { PreparedUpdate, WorkspaceCache } from "@intercom-kit/domain";

/** What became of a plan once applying it was tried: the outcome a second apply is told about. */
export type PlanOutcome = "applied" | "unchanged" | "partial" | "unknown" | "not_applied";

export type PlanState =
  | { status: "ready" }
  | { status: "applying"; since: number }
  /** Applying was tried and may have written something (or the plan can never apply): it is not applied again. */
  | { status: "spent"; at: number; outcome: PlanOutcome; errorKind?: string };

export interface StoredPlan {
  id: string;
  plan: PreparedUpdate;
  /** The workspace facts the plan was checked against; applying it uses the same ones. */
  cache: WorkspaceCache;
  createdAt: number;
  expiresAt: number;
  state: PlanState;
}

export type TakeResult =
  | { ok: true; entry: StoredPlan }
  | { ok: false; reason: "unknown" }
  | { ok: false; reason: "expired"; entry: StoredPlan }
  | { ok: false; reason: "applying"; entry: StoredPlan }
  | { ok: false; reason: "spent"; entry: StoredPlan & { state: { status: "spent" } } };

export interface PlanStoreOptions {
  ttlMs: number;
  /**
   * How long an expired or spent plan is remembered, so a late apply is told what happened rather than "unknown
   * plan". Default: the TTL, and at least 15 minutes.
   */
  rememberMs?: number;
  /** Plans kept at once (live, spent or expired); the oldest is forgotten first. */
  maxPlans?: number;
  now?: () => number;
  newId?: () => string;
}

export interface PlanStore {
  readonly ttlMs: number;
  add(plan: PreparedUpdate, cache: WorkspaceCache): StoredPlan;
  /** Claims a plan for applying: only a ready, unexpired plan is handed out, and only to one caller at a time. */
  take(id: string): TakeResult;
  /** Applying ended: spent (never again) or back to ready (nothing was written; it may be tried again). */
  finish(id: string, result: { spent: false } | { spent: true; outcome: PlanOutcome; errorKind?: string }): void;
  size(): number;
}

export const DEFAULT_MAX_PLANS = 100;
const MIN_REMEMBER_MS = 15 * 60_000;

/**
 * Plans live in this process's memory only, for a bounded time and in a bounded number: a plan is a promise about
 * the user as they were, and it goes stale. Expired and spent plans are remembered a while longer (`rememberMs`).
 */
export function createPlanStore(options: PlanStoreOptions): PlanStore {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? (() => `plan_${randomUUID()}`);
  const maxPlans = options.maxPlans ?? DEFAULT_MAX_PLANS;
  const ttlMs = options.ttlMs;
  const rememberMs = options.rememberMs ?? Math.max(ttlMs, MIN_REMEMBER_MS);
  const plans = new Map<string, StoredPlan>();

  const prune = () => {
    const t = now();
    for (const [id, entry] of plans) {
      const settled = entry.state.status === "spent" ? Math.max(entry.expiresAt, entry.state.at) : entry.expiresAt;
      if (entry.state.status !== "applying" && t > settled + rememberMs) plans.delete(id);
    }
    // Insertion order is age order: forget the oldest beyond the bound (never one being applied).
    for (const [id, entry] of plans) {
      if (plans.size <= maxPlans) break;
      if (entry.state.status !== "applying") plans.delete(id);
    }
  };

  return {
    ttlMs,
    add(plan, cache) {
      const createdAt = now();
      const entry: StoredPlan = {
        id: newId(),
        plan,
        cache,
        createdAt,
        expiresAt: createdAt + ttlMs,
        state: { status: "ready" },
      };
      plans.set(entry.id, entry);
      prune();
      return entry;
    },
    take(id) {
      prune();
      const entry = plans.get(id);
      if (!entry) return { ok: false, reason: "unknown" };
      if (entry.state.status === "spent") return { ok: false, reason: "spent", entry: entry as never };
      if (entry.state.status === "applying") return { ok: false, reason: "applying", entry };
      if (now() > entry.expiresAt) return { ok: false, reason: "expired", entry };
      entry.state = { status: "applying", since: now() };
      return { ok: true, entry };
    },
    finish(id, result) {
      const entry = plans.get(id);
      if (!entry) return;
      entry.state = result.spent
        ? {
            status: "spent",
            at: now(),
            outcome: result.outcome,
            ...(result.errorKind ? { errorKind: result.errorKind } : {}),
          }
        : { status: "ready" };
    },
    size: () => plans.size,
  };
}
