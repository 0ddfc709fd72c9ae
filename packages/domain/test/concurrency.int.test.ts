import { createIntercomClient } from "@intercom-kit/core";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyUpdate, planUpdate, prepareUpdate, type UpdateUserInput } from "../src/index.js";

/**
 * The concurrency claims, checked by structure rather than wall time: a fetch wrapper records when each request
 * started and when its answer arrived, against a sandbox that delays every request, and the tests check which
 * requests overlapped and how long the longest chain of "started after that one ended" is.
 */
interface Span {
  label: string;
  start: number;
  end: number;
}

const LATENCY_MS = 40;
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ latencyMs: LATENCY_MS });
});
afterAll(async () => {
  await sb?.stop();
});
beforeEach(() => sb.reset());

function recordingClient() {
  const spans: Span[] = [];
  const recording: typeof fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const path = url.pathname.replace(/[0-9a-f]{24}/g, ":id").replace(/find_by_external_id\/.*/, "find_by_external_id");
    const span: Span = { label: `${request.method} ${path}`, start: performance.now(), end: Number.NaN };
    spans.push(span);
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    span.end = performance.now();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  const client = createIntercomClient({ token: sb.token, baseUrl: sb.url, fetch: recording });
  return { client, spans };
}

/** Longest chain of requests where each one started only after the previous one had ended. */
function chainLength(spans: readonly Span[]): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const depth = new Map<Span, number>();
  for (const s of sorted) {
    const before = sorted.filter((p) => p.end <= s.start).map((p) => depth.get(p) ?? 1);
    depth.set(s, 1 + Math.max(0, ...before));
  }
  return Math.max(0, ...depth.values());
}

const span = (spans: Span[], label: string): Span => {
  const found = spans.find((s) => s.label === label);
  if (!found) throw new Error(`no request ${label}; got ${spans.map((s) => s.label).join(", ")}`);
  return found;
};
const overlap = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/**
 * Prepares and applies over the recording client. `plan` is the prepared plan (its roundTrips is exact); the static
 * `planUpdate` (nothing known yet) is an upper bound.
 */
async function run(input: UpdateUserInput) {
  const { client, spans } = recordingClient();
  const prepared = await prepareUpdate(client, input);
  if (!prepared.ok) throw new Error(prepared.error.message);
  const result = await applyUpdate(client, prepared.plan);
  expect(result.ok).toBe(true);
  expect(planUpdate(input).roundTrips).toBeGreaterThanOrEqual(prepared.plan.roundTrips);
  return { spans, plan: prepared.plan };
}

describe("round trips on the critical path", () => {
  it("by Intercom ID attaching an existing company: 2 (the company is checked beside reading the user)", async () => {
    const { spans, plan } = await run({ intercomId: SEED.plainUser.id, intercomCompanyId: SEED.company.id });
    expect(plan.roundTrips).toBe(2);
    expect(chainLength(spans)).toBe(2);
    expect(overlap(span(spans, "GET /contacts/:id"), span(spans, "GET /companies/:id"))).toBe(true);
    expect(spans.map((s) => s.label).sort()).toEqual(
      [
        "GET /companies/:id",
        "GET /contacts/:id",
        "POST /contacts/:id/companies",
        "GET /contacts/:id/companies",
        "GET /contacts/:id/tags",
        "GET /contacts/:id/segments",
      ].sort(),
    );
  });

  it("by Intercom ID without a company: 1 (PUT and the three reads together)", async () => {
    const { spans, plan } = await run({ intercomId: SEED.user.id, name: "One Trip" });
    expect(spans).toHaveLength(4);
    expect(plan.roundTrips).toBe(1);
    expect(chainLength(spans)).toBe(1);
    const latestStart = Math.max(...spans.map((s) => s.start));
    const earliestEnd = Math.min(...spans.map((s) => s.end));
    expect(latestStart).toBeLessThan(earliestEnd);
  });

  it("by user ID: 2 (find, then PUT beside the reads)", async () => {
    const { spans, plan } = await run({ userId: "25", name: "Two Trips" });
    expect(plan.roundTrips).toBe(2);
    expect(chainLength(spans)).toBe(2);
    const find = span(spans, "GET /contacts/find_by_external_id");
    const rest = spans.filter((s) => s !== find);
    expect(rest).toHaveLength(4);
    for (const s of rest) expect(s.start).toBeGreaterThanOrEqual(find.end);
    for (const s of rest) for (const t of rest) expect(overlap(s, t)).toBe(true);
  });

  it("an existing company renamed: 2 (find beside the company read; then upsert, attach, PUT and reads together)", async () => {
    const { spans, plan } = await run({
      userId: "30",
      name: "Two",
      companyId: SEED.company.companyId,
      companyName: "Serenity II",
    });
    expect(plan.roundTrips).toBe(2);
    expect(chainLength(spans)).toBe(2);
    const find = span(spans, "GET /contacts/find_by_external_id");
    const read = span(spans, "GET /companies");
    const upsert = span(spans, "POST /companies");
    const attach = span(spans, "POST /contacts/:id/companies");
    const put = span(spans, "PUT /contacts/:id");
    expect(overlap(find, read)).toBe(true);
    for (const w of [upsert, attach, put]) expect(w.start).toBeGreaterThanOrEqual(Math.max(find.end, read.end));
    expect(overlap(upsert, attach)).toBe(true);
    expect(overlap(put, attach)).toBe(true);
  });

  it("a new company: 3 (no write before the checks; created, then attached)", async () => {
    const { spans, plan } = await run({ userId: "30", name: "Three", companyId: "fresh-co", companyMonthlySpend: 10 });
    expect(plan.roundTrips).toBe(3);
    expect(chainLength(spans)).toBe(3);
    const find = span(spans, "GET /contacts/find_by_external_id");
    const read = span(spans, "GET /companies");
    const upsert = span(spans, "POST /companies");
    const attach = span(spans, "POST /contacts/:id/companies");
    const put = span(spans, "PUT /contacts/:id");
    expect(overlap(find, read)).toBe(true);
    expect(upsert.start).toBeGreaterThanOrEqual(Math.max(find.end, read.end));
    expect(overlap(upsert, put)).toBe(true);
    expect(attach.start).toBeGreaterThanOrEqual(upsert.end);
    expect(overlap(span(spans, "GET /contacts/:id/tags"), put)).toBe(true);
  });

  it("a missing tag: 3 (the tag list read beside the find; the tag created; then the user tagged)", async () => {
    const { spans, plan } = await run({ userId: "30", tags: ["Fresh Tag"] });
    expect(plan.roundTrips).toBe(3);
    expect(chainLength(spans)).toBe(3);
    const create = span(spans, "POST /tags");
    const tag = span(spans, "POST /contacts/:id/tags");
    expect(overlap(span(spans, "GET /contacts/find_by_external_id"), span(spans, "GET /tags"))).toBe(true);
    expect(tag.start).toBeGreaterThanOrEqual(create.end);
  });

  it("nothing differs: the lookup and the reads for the record, no write", async () => {
    const { spans, plan } = await run({ userId: "25", name: SEED.user.name });
    expect(plan.unchanged).toBe(true);
    expect(spans.some((s) => /^(PUT|POST)/.test(s.label))).toBe(false);
    expect(chainLength(spans)).toBe(plan.roundTrips);
  });
});
