import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createIntercomClient,
  DEFAULT_API_VERSION,
  type IntercomClientOptions,
  REGION_BASE_URLS,
  type RequestEvent,
} from "../src/index.js";
import { fakeClock } from "./helpers/fake-clock.js";
import { leakTrap } from "./helpers/leak-trap.js";
import { type ScriptServer, startScriptServer } from "./helpers/script-server.js";

const TOKEN = "tok_client_test_5e1f0c2d9a";
let server: ScriptServer;
const trap = leakTrap(TOKEN);

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
  return createIntercomClient({ token: TOKEN, baseUrl: server.url, clock: fakeClock(), ...extra });
}

describe("requests", () => {
  it("sends the bearer token, Intercom-Version, Accept, and Content-Type only with a body", async () => {
    const c = client();
    trap.add(await c.getContact("c1"));
    trap.add(await c.updateContact("c1", { name: "Ada" }));
    const [get, put] = server.requests;
    expect(get?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(get?.headers["intercom-version"]).toBe(DEFAULT_API_VERSION);
    expect(get?.headers.accept).toBe("application/json");
    expect(get?.headers["content-type"]).toBeUndefined();
    expect(put?.headers["content-type"]).toBe("application/json");
    expect(put?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("sends the configured version", async () => {
    trap.add(await client({ version: "2.11" }).getContact("c1"));
    expect(server.requests[0]?.headers["intercom-version"]).toBe("2.11");
  });

  it.each([
    ["getContact", (c: ReturnType<typeof client>) => c.getContact("abc"), "GET", "/contacts/abc", ""],
    [
      "updateContact keeps unsubscribed_from_emails: false",
      (c: ReturnType<typeof client>) => c.updateContact("abc", { email: "a@b.co", unsubscribed_from_emails: false }),
      "PUT",
      "/contacts/abc",
      '{"email":"a@b.co","unsubscribed_from_emails":false}',
    ],
    [
      "findContactByExternalId encodes the id",
      (c: ReturnType<typeof client>) => c.findContactByExternalId("user/25 x"),
      "GET",
      "/contacts/find_by_external_id/user%2F25%20x",
      "",
    ],
    [
      "searchContacts",
      (c: ReturnType<typeof client>) =>
        c.searchContacts({ query: { field: "external_id", operator: "=", value: "25" } }),
      "POST",
      "/contacts/search",
      '{"query":{"field":"external_id","operator":"=","value":"25"}}',
    ],
    [
      "createOrUpdateCompany",
      (c: ReturnType<typeof client>) =>
        c.createOrUpdateCompany({ company_id: "acme", name: "Acme", monthly_spend: 10 }),
      "POST",
      "/companies",
      '{"company_id":"acme","name":"Acme","monthly_spend":10}',
    ],
    [
      "attachCompany",
      (c: ReturnType<typeof client>) => c.attachCompany("abc", "co_1"),
      "POST",
      "/contacts/abc/companies",
      '{"id":"co_1"}',
    ],
    [
      "listContactCompanies with paging",
      (c: ReturnType<typeof client>) => c.listContactCompanies("abc", { page: 2, perPage: 50 }),
      "GET",
      "/contacts/abc/companies?page=2&per_page=50",
      "",
    ],
    ["listContactTags", (c: ReturnType<typeof client>) => c.listContactTags("abc"), "GET", "/contacts/abc/tags", ""],
    [
      "listContactSegments",
      (c: ReturnType<typeof client>) => c.listContactSegments("abc"),
      "GET",
      "/contacts/abc/segments",
      "",
    ],
  ] as const)("%s sends the right method, path and body", async (_name, call, method, url, body) => {
    server.script({ status: 200, json: { type: "x", id: "answer" } });
    const result = trap.add(await call(client()));
    expect(result).toMatchObject({ ok: true, data: { type: "x", id: "answer" }, status: 200, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method, url, body });
  });

  it("keeps a path prefix of baseUrl", async () => {
    const c = client({ baseUrl: `${server.url}/proxy/intercom/` });
    expect(c.baseUrl).toBe(`${server.url}/proxy/intercom`);
    const events: RequestEvent[] = [];
    trap.add(
      await createIntercomClient({ token: TOKEN, baseUrl: c.baseUrl, onEvent: (e) => events.push(e) }).getContact("c9"),
    );
    expect(server.requests[0]?.url).toBe("/proxy/intercom/contacts/c9");
    expect(events[0]?.path).toBe("/contacts/c9");
    trap.add(events);
  });

  it("returns the request id from X-Request-Id and the rate-limit headers", async () => {
    const clock = fakeClock();
    const reset = Math.floor(clock.now() / 1000) + 8;
    server.script({
      status: 200,
      json: { type: "contact", id: "c1" },
      headers: {
        "x-request-id": "req-123",
        "x-ratelimit-limit": "167",
        "x-ratelimit-remaining": "150",
        "x-ratelimit-reset": String(reset),
      },
    });
    const c = client({ clock });
    const result = trap.add(await c.getContact("c1"));
    expect(result).toMatchObject({
      ok: true,
      requestId: "req-123",
      rateLimit: { limit: 167, remaining: 150, resetAt: reset },
    });
    expect(c.rateLimit()).toEqual({ limit: 167, remaining: 150, resetAt: reset });
    expect(c.stats()).toEqual({ requests: 1, retries: 0, rateLimited: 0, pacedWaits: 0 });
  });

  it("reports one event per attempt without token, headers or bodies", async () => {
    const events: RequestEvent[] = [];
    server.script({ status: 200, json: { type: "contact", id: "c1", email: "private@example.com" } });
    trap.add(await client({ onEvent: (e) => events.push(e) }).getContact("c1"));
    expect(events).toEqual([
      expect.objectContaining({ method: "GET", path: "/contacts/c1", attempt: 1, status: 200, outcome: "ok" }),
    ]);
    expect(JSON.stringify(events)).not.toContain("private@example.com");
    trap.add(events);
  });

  it("a throwing onEvent does not break the request", async () => {
    const result = trap.add(
      await client({
        onEvent: () => {
          throw new Error("logger broke");
        },
      }).getContact("c1"),
    );
    expect(result.ok).toBe(true);
  });
});

describe("programmer errors throw at creation, naming the option", () => {
  it.each([
    ["empty token", { token: "" }, /options\.token is required/],
    ["blank token", { token: "   " }, /options\.token is required/],
    ["token with a line break", { token: "abc\ndef" }, /options\.token contains whitespace/],
    ["unknown region", { token: TOKEN, region: "mars" as never }, /options\.region must be one of us, eu, au/],
    ["plain http to a remote host", { token: TOKEN, baseUrl: "http://api.intercom.io" }, /options\.baseUrl .*http:/],
    ["not a URL", { token: TOKEN, baseUrl: "api.intercom.io" }, /options\.baseUrl is not a valid URL/],
    ["negative timeout", { token: TOKEN, timeoutMs: -1 }, /options\.timeoutMs must be a number >= 1/],
    ["fractional retries", { token: TOKEN, maxRetries: 1.5 }, /options\.maxRetries must be an integer >= 0/],
    [
      "a 1.x version",
      { token: TOKEN, version: "1.4" },
      /options\.version: .*one of 2\.0, 2\.1, .*2\.16, Preview; got "1\.4"/,
    ],
    ["an unknown version", { token: TOKEN, version: "2.17" }, /options\.version: .*got "2\.17"/],
    ["Unstable (now Preview)", { token: TOKEN, version: "Unstable" }, /now called "Preview"/],
    ["an empty version", { token: TOKEN, version: " " }, /options\.version: The Intercom API version is empty/],
    ["a number as version", { token: TOKEN, version: 2.15 as unknown as string }, /options\.version: .*must be one of/],
    [
      "negative maxRateLimitWaitMs",
      { token: TOKEN, maxRateLimitWaitMs: -1 },
      /options\.maxRateLimitWaitMs must be a number >= 0/,
    ],
    ["NaN maxRateLimitWaitMs", { token: TOKEN, maxRateLimitWaitMs: Number.NaN }, /options\.maxRateLimitWaitMs must be/],
  ])("%s", (_name, options, message) => {
    let thrown: unknown;
    try {
      createIntercomClient(options as IntercomClientOptions);
    } catch (error) {
      thrown = trap.add(error);
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toMatch(message);
  });

  it("an empty contact id throws instead of hitting another endpoint", () => {
    expect(() => client().getContact("")).toThrow(/getContact: contactId must be a non-empty string/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("regions", () => {
  it.each([
    [undefined, "https://api.intercom.io"],
    ["us", "https://api.intercom.io"],
    ["eu", "https://api.eu.intercom.io"],
    ["au", "https://api.au.intercom.io"],
  ] as const)("region %s uses %s", (region, url) => {
    const c = createIntercomClient({ token: TOKEN, ...(region ? { region } : {}) });
    expect(c.baseUrl).toBe(url);
    expect(Object.values(REGION_BASE_URLS)).toContain(url);
  });

  it("baseUrl wins over region", () => {
    expect(createIntercomClient({ token: TOKEN, region: "eu", baseUrl: server.url }).baseUrl).toBe(server.url);
  });
});

describe("the client object never shows the token", () => {
  it("in inspect, JSON, String or its keys", () => {
    const c = client();
    trap.add(c);
    expect(inspect(c)).toBe(`IntercomClient { baseUrl: '${server.url}', version: '2.15' }`);
    expect(JSON.parse(JSON.stringify(c))).toEqual({ baseUrl: server.url, version: "2.15" });
    expect(inspect(c, { customInspect: false, showHidden: true, depth: 5 })).not.toContain(TOKEN);
    expect(Object.keys(c)).not.toContain("token");
  });

  it("nothing collected in this file contains the token", () => {
    expect(trap.count()).toBeGreaterThan(10);
    trap.assertClean();
  });
});
