import { join } from "node:path";
import { createIntercomClient } from "@intercom-kit/core";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { createOfficialValidator, findRepoRoot, loadOpenApiFile } from "@intercom-kit/spec-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyUpdate,
  lookupUser,
  planUpdate,
  prepareUpdate,
  type UpdateUserInput,
  updateUser,
  validateUpdateUserInput,
} from "../src/index.js";

const root = findRepoRoot(import.meta.dirname);
if (!root) throw new Error("repo root not found");
const fragment = createOfficialValidator("2.15", {
  document: loadOpenApiFile(join(root, "specs", "intercom-update-user.yaml")),
});
const official = createOfficialValidator("2.15");

const KEYS = [
  "userId",
  "intercomId",
  "lookupEmail",
  "name",
  "email",
  "phone",
  "unsubscribedFromEmails",
  "intercomCompanyId",
  "companyId",
  "companyName",
  "companyMonthlySpend",
  "customAttributes",
];

/** Values of every type a frontend might hand over, including hostile ones. */
const anyValue = fc.oneof(
  fc.string(),
  fc.constantFrom("", " ", "true", "no", "1e3", "-1", "NaN", "a@b.co", "x.y@", '{"a":1}', "{", "plan=pro"),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null))),
);
const rawInput = fc.oneof(
  fc.anything(),
  fc.dictionary(fc.constantFrom(...KEYS, "nmae", "__proto__", "user-id"), anyValue, { maxKeys: 8 }),
);

/** Valid inputs that name seeded users and attributes, so runs against the sandbox mostly succeed. */
const validInput: fc.Arbitrary<UpdateUserInput> = fc
  .record(
    {
      identify: fc.oneof(
        fc.constantFrom(...SEED.userExternalIds).map((userId) => ({ userId })),
        fc.constant({ intercomId: SEED.user.id }),
        fc.constant({ lookupEmail: SEED.user.email }),
      ),
      name: fc.string({ minLength: 1, maxLength: 30 }),
      email: fc.emailAddress(),
      phone: fc.stringMatching(/^\+?[0-9 ]{3,15}$/),
      unsubscribedFromEmails: fc.boolean(),
      company: fc.oneof(
        fc.constant({}),
        fc.constant({ intercomCompanyId: SEED.company.id }),
        fc.record(
          {
            companyId: fc.stringMatching(/^[a-z0-9-]{1,12}$/),
            companyName: fc.string({ minLength: 1, maxLength: 20 }),
            companyMonthlySpend: fc.double({ min: 0, max: 2_147_483_647, noNaN: true }),
          },
          { requiredKeys: ["companyId"] },
        ),
      ),
      // Typed as the seeded data attributes are, so Intercom (the sandbox) accepts them.
      customAttributes: fc.record(
        {
          plan: fc.string({ maxLength: 20 }),
          nickname: fc.string({ maxLength: 20 }),
          team_mates: fc.integer({ min: 0, max: 1000 }),
          paid_subscriber: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ["identify"] },
  )
  .map(({ identify, company, ...rest }) => ({ ...identify, ...(company ?? {}), ...rest }))
  .map((raw) => validateUpdateUserInput(raw))
  .filter((r) => r.ok)
  .map((r) => (r.ok ? r.input : {}));

describe("properties of validation", () => {
  it("never throws, and every error names a field with a label and a message", () => {
    fc.assert(
      fc.property(rawInput, (raw) => {
        const result = validateUpdateUserInput(raw);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) {
            expect(e.label).not.toBe("");
            expect(e.message).not.toBe("");
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("is idempotent: a valid result validates to itself", () => {
    fc.assert(
      fc.property(rawInput, (raw) => {
        const first = validateUpdateUserInput(raw);
        if (first.ok) expect(validateUpdateUserInput(first.input)).toEqual(first);
      }),
      { numRuns: 1000 },
    );
  });

  it("invalid input never sends a request", async () => {
    const sent: string[] = [];
    const recording: typeof fetch = async (input) => {
      sent.push(String(input instanceof Request ? input.url : input));
      return new Response("{}", { status: 500 });
    };
    const client = createIntercomClient({ token: "test-token-xyz", baseUrl: "http://127.0.0.1:9", fetch: recording });
    await fc.assert(
      fc.asyncProperty(rawInput, async (raw) => {
        if (validateUpdateUserInput(raw).ok) return;
        const result = await updateUser(client, raw as UpdateUserInput);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.kind).toBe("invalid_input");
        expect(sent).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

describe("properties of plans", () => {
  it("every planned body is accepted by the fragment and by the official 2.15 description", () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const plan = planUpdate(input);
        expect(plan.roundTrips).toBeGreaterThanOrEqual(1);
        // Lookup, a new company created, then attached: never more.
        expect(plan.roundTrips).toBeLessThanOrEqual(3);
        for (const call of plan.calls) {
          if (call.body === undefined) continue;
          for (const v of [fragment, official]) {
            const outcome = v.validateRequest(call.method, call.path, call.body);
            expect(outcome.errors, `${call.method} ${call.path} ${JSON.stringify(call.body)}`).toEqual([]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("properties over HTTP (sandbox)", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it("what is sent is what was planned, and the fragment accepts every request body", { timeout: 60_000 }, async () => {
    const client = createIntercomClient({ token: sb.token, baseUrl: sb.url, maxDelayMs: 5 });
    let succeeded = 0;
    await fc.assert(
      fc.asyncProperty(validInput, async (input) => {
        sb.reset();
        const prepared = await prepareUpdate(client, input);
        // The lookup and checks are exactly the reads the plan lists, and none of them writes.
        const reads = sb.requests();
        for (const r of reads) expect(r.method === "GET" || r.route === "/contacts/search").toBe(true);
        if (!prepared.ok) return; // e.g. the generated email belongs to another user: found, nothing written
        expect(reads.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
          prepared.plan.lookups.map((c) => `${c.method} ${c.path}`).sort(),
        );
        sb.clearRequests();
        const result = await applyUpdate(client, prepared.plan);
        const sent = sb.requests();
        for (const r of sent) {
          if (r.body === undefined || r.body === null) continue;
          const outcome = fragment.validateRequest(r.method, r.path, r.body);
          expect(outcome.errors, `${r.method} ${r.path}`).toEqual([]);
        }
        const planned = (kind: string) => prepared.plan.calls.find((c) => c.kind === kind)?.body;
        const put = sent.find((r) => r.method === "PUT");
        if (put) expect(put.body).toEqual(planned("update"));
        const upsert = sent.find((r) => r.method === "POST" && r.path === "/companies");
        if (upsert) expect(upsert.body).toEqual(planned("company"));
        if (result.ok) {
          succeeded++;
          expect(sent.map((r) => r.method).sort()).toEqual(prepared.plan.calls.map((c) => c.method).sort());
          expect(sent.some((r) => r.method === "POST" && r.path === "/contacts")).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
    // Most generated inputs must really succeed, or the comparison above would rarely run.
    expect(succeeded).toBeGreaterThan(30);
  });
});

/** Identifiers a person (or a file) might hand over that once broke paths or threw: lone surrogates, controls, dots. */
const hostileId = fc.oneof(
  fc.constantFrom("..", ".", " .. ", "a/../b", "\ud800", "x\udc00y", "\u0000", "\u001b[31m", "%2e%2e", "?a=1", "#x"),
  fc.string({ unit: "binary", maxLength: 8 }),
);

describe("never a throw", () => {
  it("hostile identifiers: a value, never an exception, and no path is ever changed", { timeout: 60_000 }, async () => {
    const paths: string[] = [];
    const recording: typeof fetch = async (input) => {
      paths.push(new URL(String(input instanceof Request ? input.url : input)).pathname);
      return new Response(
        JSON.stringify({ type: "error.list", errors: [{ code: "not_found", message: "User Not Found" }] }),
        {
          status: 404,
          headers: { "content-type": "application/json" },
        },
      );
    };
    const client = createIntercomClient({
      token: "t0ken-for-fuzz",
      baseUrl: "http://127.0.0.1:9",
      fetch: recording,
      maxRetries: 0,
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("userId", "intercomId", "intercomCompanyId"), hostileId, async (key, id) => {
        const input = key === "intercomCompanyId" ? { userId: "25", intercomCompanyId: id } : { [key]: id, name: "x" };
        const result = await updateUser(client, input as UpdateUserInput);
        expect(typeof result.ok).toBe("boolean");
        const found = await lookupUser(client, { [key === "intercomCompanyId" ? "intercomId" : key]: id });
        expect(typeof found.ok).toBe("boolean");
      }),
      { numRuns: 1000 },
    );
    for (const p of paths) {
      expect(p.split("/").slice(1)).not.toContain("..");
      expect(p).not.toBe("/");
    }
  });

  it("answers that are JSON but not the shape the code needs: an error value naming the call, never a throw", {
    timeout: 60_000,
  }, async () => {
    // Every request is answered 200 with some JSON value: null, lists, strings, objects missing ids, ...
    const json = fc.oneof(
      fc.constant(null),
      fc.constant({}),
      fc.constant({ data: "not a list" }),
      fc.constant({ data: [null] }),
      fc.constant({ id: 42 }),
      fc.constant({ id: ".." }),
      fc.constant({ type: "list", data: [{ id: "c1" }], total_count: "many" }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(json, { minLength: 1, maxLength: 6 }),
        fc.constantFrom<UpdateUserInput>(
          { userId: "25", name: "x" },
          { intercomId: "c1", name: "x" },
          { lookupEmail: "a@b.co", email: "c@d.co" },
          { userId: "25", companyId: "co", companyName: "Co", tags: ["VIP"], customAttributes: { plan: "p" } },
          { intercomId: "c1", owner: "ops@example.com", untags: ["Old"] },
        ),
        async (answers, input) => {
          let i = 0;
          const fetchJson: typeof fetch = async () =>
            new Response(JSON.stringify(answers[i++ % answers.length]), {
              status: 200,
              headers: { "content-type": "application/json" },
            });
          const client = createIntercomClient({
            token: "t0ken",
            baseUrl: "http://127.0.0.1:9",
            fetch: fetchJson,
            maxRetries: 0,
          });
          const result = await updateUser(client, input);
          expect(typeof result.ok).toBe("boolean");
          if (!result.ok) expect(result.error.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
