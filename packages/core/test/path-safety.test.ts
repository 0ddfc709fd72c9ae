import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createIntercomClient, type IntercomClient, isSafePathSegment } from "../src/index.js";
import { fakeClock } from "./helpers/fake-clock.js";
import { leakTrap } from "./helpers/leak-trap.js";
import { type ScriptServer, startScriptServer } from "./helpers/script-server.js";

const TOKEN = "tok_path_test_19c0be44f7";
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

function recordingClient() {
  const calls: string[] = [];
  const fetch = (async (url: string) => {
    calls.push(url);
    return new Response('{"id":"x"}', { status: 200 });
  }) as unknown as typeof globalThis.fetch;
  const client = createIntercomClient({ token: TOKEN, baseUrl: "https://api.intercom.io", fetch, clock: fakeClock() });
  return { client, calls };
}

/**
 * Every method that takes an id, each id put in the given place: [method, parameter, call with that id,
 * where the id should land (a path with one `{}` segment, or a query)].
 */
const ID_TAKERS: [string, string, (c: IntercomClient, id: string) => Promise<unknown>, string][] = [
  ["getContact", "contactId", (c, id) => c.getContact(id), "/contacts/{}"],
  ["updateContact", "contactId", (c, id) => c.updateContact(id, { name: "A" }), "/contacts/{}"],
  [
    "findContactByExternalId",
    "externalId",
    (c, id) => c.findContactByExternalId(id),
    "/contacts/find_by_external_id/{}",
  ],
  ["attachCompany", "contactId", (c, id) => c.attachCompany(id, "co"), "/contacts/{}/companies"],
  ["attachCompany", "companyId", (c, id) => c.attachCompany("abc", id), "body"],
  ["listContactCompanies", "contactId", (c, id) => c.listContactCompanies(id), "/contacts/{}/companies"],
  ["listContactTags", "contactId", (c, id) => c.listContactTags(id), "/contacts/{}/tags"],
  ["listContactSegments", "contactId", (c, id) => c.listContactSegments(id), "/contacts/{}/segments"],
  ["getCompany", "companyId", (c, id) => c.getCompany(id), "/companies/{}"],
  ["findCompanyByCompanyId", "companyId", (c, id) => c.findCompanyByCompanyId(id), "query"],
  ["tagContact", "contactId", (c, id) => c.tagContact(id, "t1"), "/contacts/{}/tags"],
  ["tagContact", "tagId", (c, id) => c.tagContact("abc", id), "body"],
  ["untagContact", "contactId", (c, id) => c.untagContact(id, "t1"), "/contacts/{}/tags/t1"],
  ["untagContact", "tagId", (c, id) => c.untagContact("abc", id), "/contacts/abc/tags/{}"],
  ["archiveContact", "contactId", (c, id) => c.archiveContact(id), "/contacts/{}/archive"],
  ["unarchiveContact", "contactId", (c, id) => c.unarchiveContact(id), "/contacts/{}/unarchive"],
];

const UNSAFE: [string, string, RegExp][] = [
  ["empty", "", /must be a non-empty string/],
  ["blank", "  \t", /must be a non-empty string/],
  ["a dot", ".", /must not be "\." \(it would change the request path\)/],
  ["two dots", "..", /must not be "\.\." \(it would change the request path\)/],
  ["a lone high surrogate", "ab\uD800", /is not well-formed Unicode/],
  ["a lone low surrogate", "\uDC00cd", /is not well-formed Unicode/],
  ["surrogates in the wrong order", "\uDE00\uD83D", /is not well-formed Unicode/],
];

describe("isSafePathSegment", () => {
  it.each([
    ["abc", true],
    ["6762f0a21bb69f9f2193bb4a", true],
    ["...", true],
    [".a", true],
    ["a/b", true],
    ["%2e%2e", true],
    ["😀 ünïcödé", true],
    ["", false],
    [" ", false],
    [".", false],
    ["..", false],
    ["\uD83D", false],
    ["x\uDE00", false],
    [42 as unknown as string, false],
  ])("%j -> %s", (id, safe) => {
    expect(isSafePathSegment(id)).toBe(safe);
  });
});

describe("an id that would change the path is a programmer error; nothing is sent", () => {
  const cases = ID_TAKERS.flatMap(([method, param, call]) =>
    UNSAFE.map(([what, id, message]) => [`${method}(${param}: ${what})`, method, param, call, id, message] as const),
  );

  it.each(cases)("%s", (_name, method, param, call, id, message) => {
    const { client, calls } = recordingClient();
    let thrown: unknown;
    try {
      // Thrown at once, not as a rejected promise: a programmer error must not look like an Intercom failure.
      void call(client, id);
    } catch (error) {
      thrown = trap.add(error);
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toMatch(new RegExp(`^IntercomClient\\.${method}: ${param} `));
    expect((thrown as Error).message).toMatch(message);
    expect(calls).toEqual([]);
  });

  it("every method that takes an id is in this table", () => {
    const methods = new Set(ID_TAKERS.map(([m]) => m));
    expect([...methods].sort()).toEqual(
      [
        "getContact",
        "updateContact",
        "findContactByExternalId",
        "attachCompany",
        "listContactCompanies",
        "listContactTags",
        "listContactSegments",
        "getCompany",
        "findCompanyByCompanyId",
        "tagContact",
        "untagContact",
        "archiveContact",
        "unarchiveContact",
      ].sort(),
    );
  });
});

describe("ids with / ? # % and friends are encoded, never change the path", () => {
  const awkward = ["a/b", "../x", "x/..", "x?y=1", "#frag", "100%", "%2e%2e", "%2F", "a b", "...", "c\\d", "ü😀"];

  it.each(ID_TAKERS.filter(([, , , where]) => where.startsWith("/")))(
    "%s(%s) over real HTTP",
    async (_method, _param, call, where) => {
      const c = createIntercomClient({ token: TOKEN, baseUrl: server.url, clock: fakeClock() });
      for (const id of awkward) trap.add(await call(c, id));
      expect(server.requests.map((r) => r.url)).toEqual(
        awkward.map((id) => where.replace("{}", encodeURIComponent(id))),
      );
    },
  );

  it("query values and body ids are sent as given", async () => {
    const c = createIntercomClient({ token: TOKEN, baseUrl: server.url, clock: fakeClock() });
    trap.add(await c.findCompanyByCompanyId("../a?b=c#d"));
    trap.add(await c.attachCompany("abc", "../co/1"));
    trap.add(await c.tagContact("abc", "t/../1"));
    expect(server.requests.map((r) => [r.url, r.body])).toEqual([
      ["/companies?company_id=..%2Fa%3Fb%3Dc%23d", ""],
      ["/contacts/abc/companies", '{"id":"../co/1"}'],
      ["/contacts/abc/tags", '{"id":"t/../1"}'],
    ]);
  });

  it("any safe id arrives as exactly one segment that decodes back to it (property, real HTTP)", async () => {
    const c = createIntercomClient({ token: TOKEN, baseUrl: server.url, clock: fakeClock() });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: "grapheme", minLength: 1, maxLength: 10 }),
          fc.constantFrom("..a", "./", "/..", "?"),
        ),
        async (id) => {
          fc.pre(isSafePathSegment(id));
          server.reset();
          trap.add(await c.untagContact(id, id));
          const url = server.requests[0]?.url ?? "";
          const segments = url.split("/");
          expect(segments).toHaveLength(5);
          expect(segments.slice(0, 2)).toEqual(["", "contacts"]);
          expect(segments[3]).toBe("tags");
          expect(decodeURIComponent(segments[2] ?? "")).toBe(id);
          expect(decodeURIComponent(segments[4] ?? "")).toBe(id);
        },
      ),
      { numRuns: 60 },
    );
  });
});

it("nothing collected in this file contains the token", () => {
  expect(trap.count()).toBeGreaterThan(100);
  trap.assertClean();
});
