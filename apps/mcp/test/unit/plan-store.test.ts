import type { PreparedUpdate, WorkspaceCache } from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import { createPlanStore } from "../../src/plan-store.js";

const plan = { contactId: "c1" } as PreparedUpdate;
const cache = { entries: new Map() } as WorkspaceCache;

function store(options: { ttlMs?: number; maxPlans?: number } = {}) {
  let t = 1_000_000;
  let n = 0;
  const s = createPlanStore({
    ttlMs: options.ttlMs ?? 1000,
    rememberMs: 1000,
    maxPlans: options.maxPlans,
    now: () => t,
    newId: () => `p${++n}`,
  });
  return { s, advance: (ms: number) => (t += ms) };
}

describe("the plan store", () => {
  it("hands a plan out once: a second take while applying is refused, and a spent plan says how it ended", () => {
    const { s } = store();
    const { id, expiresAt, createdAt } = s.add(plan, cache);
    expect(expiresAt - createdAt).toBe(1000);
    const first = s.take(id);
    expect(first.ok && first.entry.plan).toBe(plan);
    expect(s.take(id)).toMatchObject({ ok: false, reason: "applying" });
    s.finish(id, { spent: true, outcome: "partial", errorKind: "partial" });
    expect(s.take(id)).toMatchObject({
      ok: false,
      reason: "spent",
      entry: { state: { outcome: "partial", errorKind: "partial" } },
    });
  });

  it("a plan whose apply wrote nothing may be taken again", () => {
    const { s } = store();
    const { id } = s.add(plan, cache);
    s.take(id);
    s.finish(id, { spent: false });
    expect(s.take(id).ok).toBe(true);
  });

  it("expires after its TTL, is remembered as expired for rememberMs, then forgotten", () => {
    const { s, advance } = store();
    const { id } = s.add(plan, cache);
    advance(1000);
    expect(s.take(id).ok).toBe(true);
    s.finish(id, { spent: false });
    advance(1);
    expect(s.take(id)).toMatchObject({ ok: false, reason: "expired" });
    advance(1000);
    expect(s.take(id)).toMatchObject({ ok: false, reason: "unknown" });
  });

  it("a spent plan is remembered for rememberMs after it would have expired", () => {
    const { s, advance } = store();
    const { id } = s.add(plan, cache);
    s.take(id);
    s.finish(id, { spent: true, outcome: "applied" });
    advance(1999);
    expect(s.take(id)).toMatchObject({ reason: "spent" });
    advance(2);
    expect(s.take(id)).toMatchObject({ reason: "unknown" });
  });

  it("keeps at most maxPlans, forgetting the oldest, but never one being applied", () => {
    const { s } = store({ maxPlans: 2 });
    const a = s.add(plan, cache).id;
    s.take(a);
    const b = s.add(plan, cache).id;
    const c = s.add(plan, cache).id;
    expect(s.size()).toBe(2);
    expect(s.take(b)).toMatchObject({ reason: "unknown" });
    expect(s.take(a)).toMatchObject({ reason: "applying" });
    expect(s.take(c).ok).toBe(true);
  });

  it("an unknown id is unknown", () => {
    expect(store().s.take("nope")).toEqual({ ok: false, reason: "unknown" });
  });

  it("remembers expired plans for at least 15 minutes, however short the TTL", () => {
    let t = 0;
    const s = createPlanStore({ ttlMs: 300, now: () => t });
    const { id } = s.add(plan, cache);
    t = 300 + 15 * 60_000;
    expect(s.take(id)).toMatchObject({ reason: "expired" });
    t += 1;
    expect(s.take(id)).toMatchObject({ reason: "unknown" });
  });

  it("makes ids that cannot be guessed", () => {
    const s = createPlanStore({ ttlMs: 1000 });
    const ids = new Set(Array.from({ length: 50 }, () => s.add(plan, cache).id));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^plan_[0-9a-f-]{36}$/);
  });
});
