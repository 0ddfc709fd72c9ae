/**
 * Issue 10's fault matrix: every fault on every call one update makes, against the sandbox over real HTTP.
 *
 * One scenario touches every call at once: by user ID, a new name, a new email (a search checks it is free), a
 * custom attribute (the workspace's attributes are read), a company that does not exist yet (read, then upserted
 * and attached) and a tag the user does not have (the workspace's tags are read), with the full record (companies,
 * tags and segments read beside the writes). Each row puts one fault on one call and says, explicitly, what the
 * outcome is and which writes the sandbox holds afterwards. Every row also checks the invariants:
 *
 * - the sandbox holds no write the result does not name (result.applied, or error.applied / error.unknown), and
 *   the request log's handled writes are exactly what the sandbox holds;
 * - nothing reported not applied (error.notApplied) was applied, and everything reported applied was;
 * - a failure before the first write leaves no write at all (an unknown user leaves no company behind);
 * - reads for the output never turn an applied update into a failure;
 * - a problem a person can fix (token, permission, user not found, conflict, refused values) has its own kind,
 *   never a 5xx-like one (intercom_error, rate_limited, network, timeout).
 *
 * Timing is part of the scenario, not luck: the first company upsert answers after 1200 ms, and the client gives
 * each attempt 2500 ms. So a write that fails at once (a 4xx, a 5xx read back, a redirect) stops the run before the
 * upsert answers and the attach never starts; a write that fails slowly (a stall: 2 x 2500 ms, or 429s whose
 * retries wait behind the upsert because the injected 429 spent the window) fails after the upsert answered, so
 * the attach has started and is applied. The margins are a second or more either way.
 */
import { createIntercomClient } from "@intercom-kit/core";
import { type FaultRule, type RecordedRequest, type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ErrorKind, type UpdateUserResult, updateUser } from "../src/index.js";

const USER = SEED.user.id;
const COMPANY_ID = "matrix-co";
const SCENARIO = {
  userId: "25",
  name: "Matrix Name",
  email: "matrix@example.com",
  customAttributes: { [SEED.dataAttributes.integer]: 77 },
  companyId: COMPANY_ID,
  companyName: "Matrix Co",
  tags: ["VIP"],
};
const CLIENT = { maxRetries: 1, maxDelayMs: 5, maxRateLimitWaitMs: 50, timeoutMs: 2500 };
/** The first upsert answers late, so a write that fails at once stops the run before the attach can start. */
const SLOW_UPSERT: FaultRule = { method: "POST", path: "/companies", latencyMs: 1200, times: 1 };
/** The read-back row: every PUT is applied and its answer cut off, so the PUT is read back. */
const PUT_ANSWER_LOST: FaultRule = { method: "PUT", path: "/contacts/:id", reset: true };

const CALLS = {
  find: { method: "GET", path: "/contacts/find_by_external_id/:id" },
  search: { method: "POST", path: "/contacts/search" },
  "company read": { method: "GET", path: "/companies" },
  "data attributes": { method: "GET", path: "/data_attributes" },
  "workspace tags": { method: "GET", path: "/tags" },
  PUT: { method: "PUT", path: "/contacts/:id" },
  "company upsert": { method: "POST", path: "/companies" },
  attach: { method: "POST", path: "/contacts/:id/companies" },
  tag: { method: "POST", path: "/contacts/:id/tags" },
  "companies read": { method: "GET", path: "/contacts/:id/companies" },
  "tags read": { method: "GET", path: "/contacts/:id/tags" },
  "segments read": { method: "GET", path: "/contacts/:id/segments" },
  "read-back": { method: "GET", path: "/contacts/:id" },
} as const;
type Call = keyof typeof CALLS;

const FAULTS = {
  "400": { status: 400 },
  "401": { status: 401 },
  "403": { status: 403 },
  "404": { status: 404 },
  "409": { status: 409 },
  "410": { status: 410 },
  "422": { status: 422 },
  "429 once": { status: 429, times: 1 },
  "429 forever": { status: 429 },
  "5xx once": { status: 502, times: 1 },
  "5xx forever": { status: [500, 502, 503] },
  stall: { stall: true },
  reset: { reset: true },
  malformed: { malformed: true },
  redirect: { redirect: { status: 302, location: "https://elsewhere.example/api" } },
} satisfies Record<string, Omit<FaultRule, "method" | "path">>;
type Fault = keyof typeof FAULTS;

/** The writes, by the name the table uses. */
type Write = "company" | "update" | "attach" | "tag";
const WRITE_OF_STEP: Record<string, Write> = {
  company: "company",
  update: "update",
  attach: "attach",
  "tag:VIP": "tag",
};
const WRITE_OF_ROUTE: Record<string, Write> = {
  "POST /companies": "company",
  "PUT /contacts/:contact_id": "update",
  "POST /contacts/:contact_id/companies": "attach",
  "POST /contacts/:contact_id/tags": "tag",
};

const ALL = "company update attach tag";
const NONE = "";

/**
 * [fault, call, outcome, writes the sandbox holds]. Outcome: "applied" (+ ", verified" when a lost answer was read
 * back, + ", incomplete <list>" when a read for the record failed), else the error kind (+ ": <failedKind>" for
 * partial and unknown).
 */
type Row = [Fault, Call, string, string];
const ROWS: Row[] = [
  // 400: Intercom refused the request. On a read, our request was wrong (not the person's); on a write, the values.
  ["400", "find", "intercom_error", NONE],
  ["400", "search", "intercom_error", NONE],
  ["400", "company read", "intercom_error", NONE],
  ["400", "data attributes", "intercom_error", NONE],
  ["400", "workspace tags", "intercom_error", NONE],
  ["400", "PUT", "partial: invalid_input", "company tag"],
  ["400", "company upsert", "partial: invalid_input", "update tag"],
  ["400", "attach", "partial: invalid_input", "company update tag"],
  ["400", "tag", "partial: invalid_input", "company update"],
  ["400", "companies read", "applied, incomplete companies", ALL],
  ["400", "tags read", "applied, incomplete tags", ALL],
  ["400", "segments read", "applied, incomplete segments", ALL],
  ["400", "read-back", "unknown: network", "company update tag"],

  ["401", "find", "unauthorized", NONE],
  ["401", "search", "unauthorized", NONE],
  ["401", "company read", "unauthorized", NONE],
  ["401", "data attributes", "unauthorized", NONE],
  ["401", "workspace tags", "unauthorized", NONE],
  ["401", "PUT", "partial: unauthorized", "company tag"],
  ["401", "company upsert", "partial: unauthorized", "update tag"],
  ["401", "attach", "partial: unauthorized", "company update tag"],
  ["401", "tag", "partial: unauthorized", "company update"],
  ["401", "companies read", "applied, incomplete companies", ALL],
  ["401", "tags read", "applied, incomplete tags", ALL],
  ["401", "segments read", "applied, incomplete segments", ALL],
  ["401", "read-back", "unknown: network", "company update tag"],

  ["403", "find", "forbidden", NONE],
  ["403", "search", "forbidden", NONE],
  ["403", "company read", "forbidden", NONE],
  ["403", "data attributes", "forbidden", NONE],
  ["403", "workspace tags", "forbidden", NONE],
  ["403", "PUT", "partial: forbidden", "company tag"],
  ["403", "company upsert", "partial: forbidden", "update tag"],
  ["403", "attach", "partial: forbidden", "company update tag"],
  ["403", "tag", "partial: forbidden", "company update"],
  ["403", "companies read", "applied, incomplete companies", ALL],
  ["403", "tags read", "applied, incomplete tags", ALL],
  ["403", "segments read", "applied, incomplete segments", ALL],
  ["403", "read-back", "unknown: network", "company update tag"],

  // 404: "not found" only where it names the user (or company) the call is about; a 404 from a list or a check
  // says nothing about the user, so it is Intercom's error, not "no user".
  ["404", "find", "not_found", NONE],
  ["404", "search", "intercom_error", NONE],
  // A company read answering 404 means no company has that company ID: it is created, as planned anyway.
  ["404", "company read", "applied", ALL],
  ["404", "data attributes", "intercom_error", NONE],
  ["404", "workspace tags", "intercom_error", NONE],
  ["404", "PUT", "partial: not_found", "company tag"],
  ["404", "company upsert", "partial: intercom_error", "update tag"],
  ["404", "attach", "partial: not_found", "company update tag"],
  ["404", "tag", "partial: not_found", "company update"],
  ["404", "companies read", "applied, incomplete companies", ALL],
  ["404", "tags read", "applied, incomplete tags", ALL],
  ["404", "segments read", "applied, incomplete segments", ALL],
  ["404", "read-back", "unknown: network", "company update tag"],

  // 409: a conflict is about what a write would store; on a read it is Intercom's error.
  ["409", "find", "intercom_error", NONE],
  ["409", "search", "intercom_error", NONE],
  ["409", "company read", "intercom_error", NONE],
  ["409", "data attributes", "intercom_error", NONE],
  ["409", "workspace tags", "intercom_error", NONE],
  ["409", "PUT", "partial: conflict", "company tag"],
  ["409", "company upsert", "partial: conflict", "update tag"],
  ["409", "attach", "partial: conflict", "company update tag"],
  ["409", "tag", "partial: conflict", "company update"],
  ["409", "companies read", "applied, incomplete companies", ALL],
  ["409", "tags read", "applied, incomplete tags", ALL],
  ["409", "segments read", "applied, incomplete segments", ALL],
  ["409", "read-back", "unknown: network", "company update tag"],

  // 410 (merged, no Link here): the user is gone where the call is about the user.
  ["410", "find", "not_found", NONE],
  ["410", "search", "intercom_error", NONE],
  ["410", "company read", "intercom_error", NONE],
  ["410", "data attributes", "intercom_error", NONE],
  ["410", "workspace tags", "intercom_error", NONE],
  ["410", "PUT", "partial: not_found", "company tag"],
  ["410", "company upsert", "partial: intercom_error", "update tag"],
  ["410", "attach", "partial: not_found", "company update tag"],
  ["410", "tag", "partial: not_found", "company update"],
  ["410", "companies read", "applied, incomplete companies", ALL],
  ["410", "tags read", "applied, incomplete tags", ALL],
  ["410", "segments read", "applied, incomplete segments", ALL],
  ["410", "read-back", "unknown: network", "company update tag"],

  ["422", "find", "intercom_error", NONE],
  ["422", "search", "intercom_error", NONE],
  ["422", "company read", "intercom_error", NONE],
  ["422", "data attributes", "intercom_error", NONE],
  ["422", "workspace tags", "intercom_error", NONE],
  ["422", "PUT", "partial: invalid_input", "company tag"],
  ["422", "company upsert", "partial: invalid_input", "update tag"],
  ["422", "attach", "partial: invalid_input", "company update tag"],
  ["422", "tag", "partial: invalid_input", "company update"],
  ["422", "companies read", "applied, incomplete companies", ALL],
  ["422", "tags read", "applied, incomplete tags", ALL],
  ["422", "segments read", "applied, incomplete segments", ALL],
  ["422", "read-back", "unknown: network", "company update tag"],

  // One 429 is waited out and retried: always applied.
  ["429 once", "find", "applied", ALL],
  ["429 once", "search", "applied", ALL],
  ["429 once", "company read", "applied", ALL],
  ["429 once", "data attributes", "applied", ALL],
  ["429 once", "workspace tags", "applied", ALL],
  ["429 once", "PUT", "applied", ALL],
  ["429 once", "company upsert", "applied", ALL],
  ["429 once", "attach", "applied", ALL],
  ["429 once", "tag", "applied", ALL],
  ["429 once", "companies read", "applied", ALL],
  ["429 once", "tags read", "applied", ALL],
  ["429 once", "segments read", "applied", ALL],
  ["429 once", "read-back", "applied, verified", ALL],

  // 429 forever: refused unprocessed, so never applied; the retries wait behind the slow upsert (the window is
  // spent), so a write refused this way fails after the attach has started.
  ["429 forever", "find", "rate_limited", NONE],
  ["429 forever", "search", "rate_limited", NONE],
  ["429 forever", "company read", "rate_limited", NONE],
  ["429 forever", "data attributes", "rate_limited", NONE],
  ["429 forever", "workspace tags", "rate_limited", NONE],
  ["429 forever", "PUT", "partial: rate_limited", "company attach tag"],
  ["429 forever", "company upsert", "partial: rate_limited", "update tag"],
  ["429 forever", "attach", "partial: rate_limited", "company update tag"],
  ["429 forever", "tag", "partial: rate_limited", "company update attach"],
  ["429 forever", "companies read", "applied, incomplete companies", ALL],
  ["429 forever", "tags read", "applied, incomplete tags", ALL],
  ["429 forever", "segments read", "applied, incomplete segments", ALL],
  ["429 forever", "read-back", "unknown: network", ALL],

  ["5xx once", "find", "applied", ALL],
  ["5xx once", "search", "applied", ALL],
  ["5xx once", "company read", "applied", ALL],
  ["5xx once", "data attributes", "applied", ALL],
  ["5xx once", "workspace tags", "applied", ALL],
  ["5xx once", "PUT", "applied", ALL],
  ["5xx once", "company upsert", "applied", ALL],
  ["5xx once", "attach", "applied", ALL],
  ["5xx once", "tag", "applied", ALL],
  ["5xx once", "companies read", "applied", ALL],
  ["5xx once", "tags read", "applied", ALL],
  ["5xx once", "segments read", "applied", ALL],
  ["5xx once", "read-back", "applied, verified", ALL],

  // 5xx forever (500, 502, 503): Intercom answered, so it is done with the request; a write is read back, and the
  // sandbox did not handle it, so it is not applied, for certain. (A 504 is a gateway giving up: see below.)
  ["5xx forever", "find", "intercom_error", NONE],
  ["5xx forever", "search", "intercom_error", NONE],
  ["5xx forever", "company read", "intercom_error", NONE],
  ["5xx forever", "data attributes", "intercom_error", NONE],
  ["5xx forever", "workspace tags", "intercom_error", NONE],
  ["5xx forever", "PUT", "partial: intercom_error", "company tag"],
  ["5xx forever", "company upsert", "partial: intercom_error", "update tag"],
  ["5xx forever", "attach", "partial: intercom_error", "company update tag"],
  ["5xx forever", "tag", "partial: intercom_error", "company update"],
  ["5xx forever", "companies read", "applied, incomplete companies", ALL],
  ["5xx forever", "tags read", "applied, incomplete tags", ALL],
  ["5xx forever", "segments read", "applied, incomplete segments", ALL],
  ["5xx forever", "read-back", "unknown: network", "company update tag"],

  // A stall (never answered, never handled): the client gives up after 2 x 2500 ms. A write is read back: it is not
  // there yet, but a request that got no answer may still be in progress, so its outcome is unknown, never "not
  // applied". It fails after the upsert answered, so the attach has started.
  ["stall", "find", "timeout", NONE],
  ["stall", "search", "timeout", NONE],
  ["stall", "company read", "timeout", NONE],
  ["stall", "data attributes", "timeout", NONE],
  ["stall", "workspace tags", "timeout", NONE],
  ["stall", "PUT", "unknown: timeout", "company attach tag"],
  ["stall", "company upsert", "unknown: timeout", "update tag"],
  ["stall", "attach", "unknown: timeout", "company update tag"],
  ["stall", "tag", "unknown: timeout", "company update attach"],
  ["stall", "companies read", "applied, incomplete companies", ALL],
  ["stall", "tags read", "applied, incomplete tags", ALL],
  ["stall", "segments read", "applied, incomplete segments", ALL],
  ["stall", "read-back", "unknown: network", ALL],

  // A reset after the sandbox handled the request: a write is applied, and reading it back says so.
  ["reset", "find", "network", NONE],
  ["reset", "search", "network", NONE],
  ["reset", "company read", "network", NONE],
  ["reset", "data attributes", "network", NONE],
  ["reset", "workspace tags", "network", NONE],
  ["reset", "PUT", "applied, verified", ALL],
  ["reset", "company upsert", "applied, verified", ALL],
  ["reset", "attach", "applied, verified", ALL],
  ["reset", "tag", "applied, verified", ALL],
  ["reset", "companies read", "applied, incomplete companies", ALL],
  ["reset", "tags read", "applied, incomplete tags", ALL],
  ["reset", "segments read", "applied, incomplete segments", ALL],
  ["reset", "read-back", "unknown: network", "company update tag"],

  ["malformed", "find", "intercom_error", NONE],
  ["malformed", "search", "intercom_error", NONE],
  // A malformed answer keeps the route's status: here 404 (no company has that company ID) with a cut body, which
  // still says "no such company", so it is created as planned.
  ["malformed", "company read", "applied", ALL],
  ["malformed", "data attributes", "intercom_error", NONE],
  ["malformed", "workspace tags", "intercom_error", NONE],
  ["malformed", "PUT", "applied, verified", ALL],
  ["malformed", "company upsert", "applied, verified", ALL],
  ["malformed", "attach", "applied, verified", ALL],
  ["malformed", "tag", "applied, verified", ALL],
  ["malformed", "companies read", "applied, incomplete companies", ALL],
  ["malformed", "tags read", "applied, incomplete tags", ALL],
  ["malformed", "segments read", "applied, incomplete segments", ALL],
  ["malformed", "read-back", "unknown: network", "company update tag"],

  // A redirect is never followed (the token stays with the base URL) and the request was not handled.
  ["redirect", "find", "intercom_error", NONE],
  ["redirect", "search", "intercom_error", NONE],
  ["redirect", "company read", "intercom_error", NONE],
  ["redirect", "data attributes", "intercom_error", NONE],
  ["redirect", "workspace tags", "intercom_error", NONE],
  ["redirect", "PUT", "partial: intercom_error", "company tag"],
  ["redirect", "company upsert", "partial: intercom_error", "update tag"],
  ["redirect", "attach", "partial: intercom_error", "company update tag"],
  ["redirect", "tag", "partial: intercom_error", "company update"],
  ["redirect", "companies read", "applied, incomplete companies", ALL],
  ["redirect", "tags read", "applied, incomplete tags", ALL],
  ["redirect", "segments read", "applied, incomplete segments", ALL],
  ["redirect", "read-back", "unknown: network", "company update tag"],
];

const OUTPUT_READS: readonly Call[] = ["companies read", "tags read", "segments read"];

/** Kinds a person cannot act on beyond "try again": never the answer to a problem they can fix. */
const FIVE_XX_LIKE: ReadonlySet<ErrorKind> = new Set(["intercom_error", "rate_limited", "network", "timeout"]);
/** Faults that are a problem a person can fix, on the calls where that is what they mean. */
function fixable(fault: Fault, call: Call): boolean {
  if (fault === "401" || fault === "403") return call !== "read-back" && !OUTPUT_READS.includes(call);
  if (fault === "404" || fault === "410") return call === "find" || call === "PUT" || call === "attach";
  if (fault === "409") return call === "PUT";
  if (fault === "400" || fault === "422") return ["PUT", "company upsert", "attach", "tag"].includes(call);
  return false;
}

interface Seen {
  result: UpdateUserResult;
  outcome: string;
  /** Writes the sandbox holds. */
  held: Write[];
  /** Writes the request log shows handled (a 2xx from the route, even if the answer was then cut). */
  handled: Write[];
  requests: RecordedRequest[];
  ms: number;
  /** When each call started and ended (ms from the start), to read a row that failed. */
  timeline: string[];
}

function rulesFor(fault: Fault, call: Call): FaultRule[] {
  const rule: FaultRule = { ...CALLS[call], ...FAULTS[fault] };
  return call === "read-back" ? [PUT_ANSWER_LOST, rule, SLOW_UPSERT] : [rule, SLOW_UPSERT];
}

function describeOutcome(result: UpdateUserResult): string {
  if (result.ok) {
    const extra = [
      ...(result.applied.some((a) => a.verified) ? ["verified"] : []),
      ...(result.user.incomplete ? [`incomplete ${result.user.incomplete.join(" ")}`] : []),
    ];
    return [result.outcome, ...extra].join(", ");
  }
  const e = result.error;
  return e.failedKind && (e.kind === "partial" || e.kind === "unknown") ? `${e.kind}: ${e.failedKind}` : e.kind;
}

function holds(sb: Sandbox): Write[] {
  const contact = sb.state.getContact(USER) as Record<string, unknown>;
  const attrs = contact.custom_attributes as Record<string, unknown>;
  const fields = [contact.name === SCENARIO.name, contact.email === SCENARIO.email, attrs.team_mates === 77];
  // One PUT carries all three: they are stored together or not at all.
  expect(new Set(fields).size, "the PUT was stored in part").toBe(1);
  const held: Write[] = [];
  if (sb.state.findCompanyByCompanyId(COMPANY_ID)) held.push("company");
  if (fields[0]) held.push("update");
  if (sb.state.companiesOf(USER).some((c) => c.company_id === COMPANY_ID)) held.push("attach");
  if (sb.state.tagsOf(USER).some((t) => t.name === "VIP")) held.push("tag");
  return held;
}

const ORDER: Write[] = ["company", "update", "attach", "tag"];
const sorted = (writes: Iterable<Write>) => ORDER.filter((w) => new Set(writes).has(w));

async function runRow(fault: Fault, call: Call): Promise<Seen> {
  const sb = await startSandbox({ faults: rulesFor(fault, call) });
  try {
    const client = createIntercomClient({ token: sb.token, baseUrl: sb.url, ...CLIENT });
    const t0 = Date.now();
    const timeline: string[] = [];
    const result = await updateUser(client, SCENARIO, {
      onStep: (e) => timeline.push(`${Date.now() - t0} ms ${e.step} ${e.state}`),
    });
    const ms = Date.now() - t0;
    const requests = sb.requests();
    const handled = requests
      .filter((r) => r.status >= 200 && r.status < 300)
      .map((r) => WRITE_OF_ROUTE[`${r.method} ${r.route}`])
      .filter((w): w is Write => w !== undefined);
    const outcome = describeOutcome(result);
    return { result, outcome, held: holds(sb), handled: sorted(handled), requests, ms, timeline };
  } finally {
    await sb.stop();
  }
}

/** Runs every row, `width` at a time (each on its own sandbox), so the table takes seconds, not minutes. */
async function runAll(rows: Row[], width: number): Promise<Map<string, Seen | Error>> {
  const out = new Map<string, Seen | Error>();
  let next = 0;
  const lane = async () => {
    while (next < rows.length) {
      const [fault, call] = rows[next++] as Row;
      out.set(`${fault} x ${call}`, await runRow(fault, call).catch((e: unknown) => e as Error));
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return out;
}

let seen: Map<string, Seen | Error>;
beforeAll(async () => {
  // Warm up first (module loading, JIT), so the first rows are timed like the others.
  await runRow("5xx once", "find");
  seen = await runAll(ROWS, 13);
}, 240_000);
afterAll(() => {
  // The whole table, as observed, for the record (and for a reader comparing it with ROWS).
  const lines = ROWS.map(([fault, call]) => {
    const s = seen?.get(`${fault} x ${call}`);
    if (!s || s instanceof Error) return `${fault} | ${call} | ${s instanceof Error ? s.message : "not run"}`;
    const message = s.result.ok ? "" : ` | ${s.result.error.message}`;
    return `${fault} | ${call} | ${s.outcome} | ${s.held.join(" ") || "-"} | ${s.ms} ms${message}`;
  });
  if (process.env.FAULT_MATRIX_PRINT) console.log(lines.join("\n"));
});

describe("the table itself", () => {
  it("has one row for every fault on every call, and nothing else", () => {
    const keys = ROWS.map(([f, c]) => `${f} x ${c}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(Object.keys(FAULTS).length * Object.keys(CALLS).length);
  });

  it("without a fault, the scenario makes every write and every call once", async () => {
    const sb = await startSandbox({ faults: [SLOW_UPSERT] });
    try {
      const client = createIntercomClient({ token: sb.token, baseUrl: sb.url, ...CLIENT });
      const result = await updateUser(client, SCENARIO);
      expect(describeOutcome(result)).toBe("applied");
      expect(holds(sb)).toEqual(ORDER);
      const calls = sb.requests().map((r) => `${r.method} ${r.route}`);
      expect(calls.sort()).toEqual(
        [
          "GET /contacts/find_by_external_id/:external_id",
          "POST /contacts/search",
          "GET /companies",
          "GET /data_attributes",
          "GET /tags",
          "PUT /contacts/:contact_id",
          "POST /companies",
          "POST /contacts/:contact_id/companies",
          "POST /contacts/:contact_id/tags",
          "GET /contacts/:contact_id/companies",
          "GET /contacts/:contact_id/tags",
          "GET /contacts/:contact_id/segments",
        ].sort(),
      );
    } finally {
      await sb.stop();
    }
  });
});

describe.each(Object.keys(FAULTS) as Fault[])("%s", (fault) => {
  it.each(ROWS.filter((r) => r[0] === fault).map(([, call, outcome, held]) => [call, outcome, held] as const))(
    "on %s: %s; the sandbox holds: %s",
    (call, outcome, held) => {
      const s = seen.get(`${fault} x ${call}`);
      if (s instanceof Error) throw s;
      if (!s) throw new Error("row not run");
      const { result } = s;

      // Never a token, and a hint for every failure.
      expect(JSON.stringify(result)).not.toMatch(/sbx_/);
      if (!result.ok) expect(result.error.hint.length).toBeGreaterThan(0);

      // The explicit expectation.
      expect({ outcome: s.outcome, held: s.held.join(" ") }, s.timeline.join("\n")).toEqual({ outcome, held });

      // The request log agrees with the state: every handled write is held, and nothing else is.
      expect(s.handled).toEqual(s.held);

      // No write the result does not name; nothing named applied that is not held; nothing named not applied held.
      if (result.ok) {
        expect(sorted(result.applied.map((a) => WRITE_OF_STEP[a.step] as Write))).toEqual(s.held);
      } else {
        const e = result.error;
        const applied = sorted((e.applied ?? []).map((a) => WRITE_OF_STEP[a.step] as Write));
        const unknown = sorted((e.unknown ?? []).map((step) => WRITE_OF_STEP[step] as Write));
        const notApplied = sorted((e.notApplied ?? []).map((step) => WRITE_OF_STEP[step] as Write));
        expect(
          s.held.filter((w) => !applied.includes(w) && !unknown.includes(w)),
          "held but not named",
        ).toEqual([]);
        expect(
          applied.filter((w) => !s.held.includes(w)),
          "named applied but not held",
        ).toEqual([]);
        expect(
          notApplied.filter((w) => s.held.includes(w)),
          "named not applied but held",
        ).toEqual([]);
        if (e.kind !== "partial" && e.kind !== "unknown") {
          // A failure before the first write: no write was even sent (no company left behind).
          expect(applied).toEqual([]);
          const sent = s.requests.filter((r) => WRITE_OF_ROUTE[`${r.method} ${r.route}`] !== undefined);
          expect(sent.map((r) => `${r.method} ${r.route}`)).toEqual([]);
        }
        if (fixable(fault, call)) expect(FIVE_XX_LIKE.has(e.failedKind ?? e.kind)).toBe(false);
        // The sentence says what happened: no "no user" unless a user is missing, no "another contact" unless the
        // PUT's values belong to one, and a redirect is called one.
        const said = e.failedKind ?? e.kind;
        if (said !== "not_found") expect(e.message).not.toContain("No user has");
        if (said !== "conflict" || call !== "PUT") expect(e.message).not.toContain("Another contact");
        if (fault === "redirect" && call !== "read-back") expect(e.message).toContain("redirect");
      }

      // Reads for the output never fail an applied update.
      if (OUTPUT_READS.includes(call)) expect(result.ok).toBe(true);
    },
  );
});

describe("beyond the table", () => {
  const one = async (faults: FaultRule[], client: Partial<typeof CLIENT> = {}) => {
    const sb = await startSandbox({ faults });
    return { sb, c: createIntercomClient({ token: sb.token, baseUrl: sb.url, ...CLIENT, ...client }) };
  };

  it("a 410 naming the contact it was merged into is followed: the survivor is updated and the record says so", async () => {
    const { sb, c } = await one([{ ...CALLS.find, status: 410, mergedInto: USER }]);
    try {
      const result = await updateUser(c, { userId: "old-25", name: "Survivor" });
      expect(result.ok && result.user.merged_from).toBe("user ID old-25");
      expect(sb.state.getContact(USER)?.name).toBe("Survivor");
    } finally {
      await sb.stop();
    }
  });

  it('a PUT handled but never answered (stall "after"): read back, applied for certain', async () => {
    const { sb, c } = await one([{ ...CALLS.PUT, stall: "after" }], { timeoutMs: 300, maxRetries: 0 });
    try {
      const result = await updateUser(c, { userId: "25", name: "Stored Unanswered" });
      expect(describeOutcome(result)).toBe("applied, verified");
      expect(sb.state.getContact(USER)?.name).toBe("Stored Unanswered");
    } finally {
      await sb.stop();
    }
  });
});
