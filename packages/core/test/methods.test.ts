import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createIntercomClient,
  type IntercomClient,
  type IntercomClientOptions,
  type RequestEvent,
} from "../src/index.js";
import { fakeClock } from "./helpers/fake-clock.js";
import { leakTrap } from "./helpers/leak-trap.js";
import { type ScriptServer, startScriptServer } from "./helpers/script-server.js";

const TOKEN = "tok_methods_test_8d41a7c3e2";
const trap = leakTrap(TOKEN);
let server: ScriptServer;

beforeAll(async () => {
  server = await startScriptServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

function client(extra: Partial<IntercomClientOptions> = {}) {
  return createIntercomClient({ token: TOKEN, baseUrl: server.url, clock: fakeClock(), random: () => 0.5, ...extra });
}

type Call = (c: IntercomClient) => Promise<unknown>;

/** [name, call, method, path with query, body ("" = none)] */
const CASES: [string, Call, string, string, string][] = [
  ["getCompany", (c) => c.getCompany("co_1"), "GET", "/companies/co_1", ""],
  [
    "findCompanyByCompanyId (a query value, encoded)",
    (c) => c.findCompanyByCompanyId("acme & co=1"),
    "GET",
    "/companies?company_id=acme%20%26%20co%3D1",
    "",
  ],
  ["listDataAttributes", (c) => c.listDataAttributes("contact"), "GET", "/data_attributes?model=contact", ""],
  [
    "listDataAttributes with archived ones",
    (c) => c.listDataAttributes("company", { includeArchived: true }),
    "GET",
    "/data_attributes?model=company&include_archived=true",
    "",
  ],
  [
    "listDataAttributes without archived ones",
    (c) => c.listDataAttributes("contact", { includeArchived: false }),
    "GET",
    "/data_attributes?model=contact&include_archived=false",
    "",
  ],
  [
    "createDataAttribute",
    (c) => c.createDataAttribute({ name: "plan_tier", model: "contact", data_type: "string", description: "Tier" }),
    "POST",
    "/data_attributes",
    '{"name":"plan_tier","model":"contact","data_type":"string","description":"Tier"}',
  ],
  [
    "createDataAttribute, a list",
    (c) =>
      c.createDataAttribute({
        name: "size",
        model: "company",
        data_type: "options",
        options: [{ value: "S" }, { value: "M" }],
      }),
    "POST",
    "/data_attributes",
    '{"name":"size","model":"company","data_type":"options","options":[{"value":"S"},{"value":"M"}]}',
  ],
  ["listTags", (c) => c.listTags(), "GET", "/tags", ""],
  ["createTag sends only the name", (c) => c.createTag("VIP"), "POST", "/tags", '{"name":"VIP"}'],
  ["tagContact", (c) => c.tagContact("abc", "t_7"), "POST", "/contacts/abc/tags", '{"id":"t_7"}'],
  ["untagContact", (c) => c.untagContact("abc", "t 7/x"), "DELETE", "/contacts/abc/tags/t%207%2Fx", ""],
  ["archiveContact", (c) => c.archiveContact("abc"), "POST", "/contacts/abc/archive", ""],
  ["unarchiveContact", (c) => c.unarchiveContact("abc"), "POST", "/contacts/abc/unarchive", ""],
  ["listAdmins", (c) => c.listAdmins(), "GET", "/admins", ""],
];

describe("the new operations on the wire", () => {
  it.each(CASES)("%s", async (_name, call, method, url, body) => {
    const events: RequestEvent[] = [];
    server.script({ status: 200, json: { type: "x", id: "answer" } });
    const result = trap.add(await call(client({ onEvent: (e) => events.push(trap.add(e)) })));
    expect(result).toMatchObject({ ok: true, data: { type: "x", id: "answer" }, status: 200, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method, url, body });
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers["intercom-version"]).toBe("2.15");
    expect(request?.headers.accept).toBe("application/json");
    expect(request?.headers["content-type"]).toBe(body === "" ? undefined : "application/json");
    expect(events).toEqual([expect.objectContaining({ method, outcome: "ok", path: url.split("?")[0] })]);
  });

  it("a 2.16 client sends its version, a string owner_id and email_verified as given", async () => {
    server.script({ status: 200, json: { type: "contact", id: "c1", owner_id: "991" } });
    const c = client({ version: "2.16" });
    const result = trap.add(await c.updateContact("c1", { email: "a@b.co", email_verified: true, owner_id: "991" }));
    expect(result).toMatchObject({ ok: true, data: { owner_id: "991" } });
    expect(server.requests[0]).toMatchObject({
      method: "PUT",
      url: "/contacts/c1",
      body: '{"email":"a@b.co","email_verified":true,"owner_id":"991"}',
    });
    expect(server.requests[0]?.headers["intercom-version"]).toBe("2.16");
    expect(c.version).toBe("2.16");
  });

  it("a 2.15 client sends a numeric owner_id as a number", async () => {
    trap.add(await client().updateContact("c1", { owner_id: 42 }));
    expect(server.requests[0]?.body).toBe('{"owner_id":42}');
  });

  it("the company lookup's 404 and a taken data attribute name come back as failures", async () => {
    server.script(
      {
        status: 404,
        json: {
          type: "error.list",
          request_id: "r1",
          errors: [{ code: "company_not_found", message: "Company Not Found" }],
        },
      },
      {
        status: 400,
        json: {
          type: "error.list",
          request_id: "r2",
          errors: [{ code: "parameter_invalid", message: "You already have 'plan_tier' in your workspace." }],
        },
      },
    );
    const c = client();
    const missing = trap.add(await c.findCompanyByCompanyId("nope"));
    expect(missing).toMatchObject({
      ok: false,
      error: { kind: "http", status: 404, errors: [{ code: "company_not_found" }] },
    });
    const taken = trap.add(await c.createDataAttribute({ name: "plan_tier", model: "contact", data_type: "string" }));
    expect(taken).toMatchObject({ ok: false, error: { kind: "http", status: 400, attempts: 1 } });
    if (!taken.ok) expect(taken.error.message).toContain("already have 'plan_tier'");
  });

  it("bad arguments that are not ids are programmer errors too, and send nothing", () => {
    const c = client();
    expect(() => c.listDataAttributes("conversation" as "contact")).toThrow(
      /IntercomClient\.listDataAttributes: model must be "contact" or "company"/,
    );
    expect(() => c.listDataAttributes("contact", { includeArchived: "yes" as unknown as boolean })).toThrow(
      /includeArchived must be a boolean/,
    );
    expect(() => c.createTag("  ")).toThrow(/IntercomClient\.createTag: name must be a non-empty string/);
    expect(() => c.createDataAttribute(null as never)).toThrow(/IntercomClient\.createDataAttribute: body must be/);
    expect(server.requests).toHaveLength(0);
  });
});

/** An injected fetch that records what it was asked and answers from a script; "reset" throws like undici does. */
function recordingFetch(...script: (number | "reset" | "refused")[]) {
  const calls: { url: string; method: string; body: unknown }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, method: String(init.method), body: init.body });
    const next = script.shift() ?? 200;
    if (next === "reset" || next === "refused") {
      const code = next === "reset" ? "ECONNRESET" : "ECONNREFUSED";
      throw Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(code), { code }) });
    }
    const body = next < 300 ? { type: "x", id: "ok" } : { type: "error.list", errors: [{ code: `e${next}` }] };
    return new Response(JSON.stringify(body), { status: next, headers: { "content-type": "application/json" } });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

describe("which operations are repeated after a failure that may have reached Intercom", () => {
  const idempotent: [string, Call][] = [
    ["getCompany", (c) => c.getCompany("co_1")],
    ["findCompanyByCompanyId", (c) => c.findCompanyByCompanyId("acme")],
    ["listDataAttributes", (c) => c.listDataAttributes("contact")],
    ["listTags", (c) => c.listTags()],
    ["listAdmins", (c) => c.listAdmins()],
    ["createTag (create-or-return by name)", (c) => c.createTag("VIP")],
    ["tagContact", (c) => c.tagContact("abc", "t1")],
    ["untagContact", (c) => c.untagContact("abc", "t1")],
    ["archiveContact", (c) => c.archiveContact("abc")],
    ["unarchiveContact", (c) => c.unarchiveContact("abc")],
  ];

  it.each(idempotent)("%s is retried after a 503 and after a reset connection", async (_name, call) => {
    const { fetch, calls } = recordingFetch(503, "reset", 200);
    const result = trap.add(await call(client({ fetch })));
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => `${c.method} ${c.url} ${String(c.body)}`)).size).toBe(1);
  });

  it.each([
    ["a 503", 503],
    ["a reset connection", "reset"],
    ["a 500", 500],
  ] as const)(
    "createDataAttribute is not repeated after %s (a second create of the name is a 400)",
    async (_n, first) => {
      const { fetch, calls } = recordingFetch(first, 200);
      const result = trap.add(
        await client({ fetch }).createDataAttribute({ name: "tier", model: "contact", data_type: "string" }),
      );
      expect(calls).toHaveLength(1);
      expect(result).toMatchObject({ ok: false, error: { attempts: 1 } });
    },
  );

  it("createDataAttribute is not repeated after a timeout either", async () => {
    const calls: string[] = [];
    const fetch = ((url: string) => {
      calls.push(url);
      return new Promise<Response>(() => {});
    }) as unknown as typeof globalThis.fetch;
    const result = trap.add(
      await client({ fetch, timeoutMs: 20 }).createDataAttribute({ name: "t", model: "contact", data_type: "date" }),
    );
    expect(calls).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, error: { kind: "timeout", attempts: 1 } });
  });

  it.each([
    ["a 429 (refused unprocessed)", 429],
    ["a refused connection (never sent)", "refused"],
  ] as const)("but createDataAttribute is repeated after %s", async (_n, first) => {
    const { fetch, calls } = recordingFetch(first, 200);
    const result = trap.add(
      await client({ fetch }).createDataAttribute({ name: "tier", model: "contact", data_type: "string" }),
    );
    expect(calls).toHaveLength(2);
    expect(result).toMatchObject({ ok: true, attempts: 2 });
  });
});

it("nothing collected in this file contains the token", () => {
  expect(trap.count()).toBeGreaterThan(40);
  trap.assertClean();
});
