import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, SEED, startSandbox } from "../src/index.js";
import { ROUTES } from "../src/routes/index.js";
import { api, type Recorded, recordResponses, validateRecords } from "./helpers.js";

// A tour of every Intercom route the sandbox serves (the route table itself, so a new route cannot be missed), on
// 2.15 and 2.16, successes and errors. Each body is validated against the official description of the version it
// was served for, here per route, and again by helpers.ts after the file.
const { onResponse, records } = recordResponses();
let sb: Sandbox;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  sb = await startSandbox({ onResponse });
  call = api(sb);
});
afterAll(() => sb.stop());

const TEMPLATES = ROUTES.map((r) => `${r.method} /${r.pattern.join("/")}`);
const VERSIONS = ["2.15", "2.16"] as const;

/** Calls every route at least once with a body that must be a 200. */
async function tour(version: string): Promise<void> {
  const o = { version };
  const must200 = async (method: string, path: string, body?: unknown) => {
    const r = await call(method, path, { ...o, body });
    expect(r.status, `${method} ${path}: ${r.text}`).toBe(200);
    return r.body;
  };
  const owner = version === "2.16" ? SEED.admins[1]!.id : Number(SEED.admins[1]!.id);
  // contacts
  for (const ext of SEED.userExternalIds) await must200("GET", `/contacts/find_by_external_id/${ext}`);
  for (const id of [SEED.lead.id, ...SEED.sharedEmailContactIds]) {
    await must200("GET", `/contacts/${id}`);
    await must200("GET", `/contacts/${id}/companies`);
    await must200("GET", `/contacts/${id}/tags`);
    await must200("GET", `/contacts/${id}/segments`);
  }
  await must200("PUT", `/contacts/${SEED.user.id}`, {
    name: "Tour",
    owner_id: owner,
    avatar: "https://example.com/tour.png",
    custom_attributes: {
      subscription: "pro",
      plan: "any text",
      team_mates: 3,
      monthly_spend: 2,
      last_order_at: 1_700_000_000,
    },
  });
  await must200("PUT", `/contacts/${SEED.lead.id}`, { role: "user" });
  const created = await must200("POST", "/contacts", {
    email: `tour-${version}@example.com`,
    external_id: `tour-${version}`,
    name: "Tour Created",
    owner_id: owner,
  });
  await must200("POST", "/contacts/search", { query: { field: "role", operator: "=", value: "user" } });
  await must200("POST", `/contacts/${created.id}/archive`);
  await must200("POST", `/contacts/${created.id}/unarchive`);
  await must200("POST", `/contacts/${SEED.archived.id}/unarchive`);
  // companies
  const co = await must200("POST", "/companies", { company_id: `tour-${version}`, name: "Tour", plan: "Pro" });
  await must200("POST", `/contacts/${SEED.user.id}/companies`, { id: co.id });
  await must200("GET", `/contacts/${SEED.user.id}/companies?per_page=2&page=2`);
  await must200("GET", `/companies/${SEED.company.id}`);
  await must200("GET", `/companies?company_id=${SEED.secondCompany.companyId}`);
  await must200("GET", `/companies?name=${encodeURIComponent(SEED.unattachedCompany.name)}`);
  await must200("GET", "/companies?per_page=2&page=2");
  await must200("GET", "/companies");
  // tags
  await must200("GET", "/tags");
  const tag = await must200("POST", "/tags", { name: `Tour ${version}` });
  await must200("POST", "/tags", { name: "vip" });
  await must200("POST", "/tags", { name: "Tour users", users: [{ id: SEED.plainUser.id }] });
  await must200("POST", `/contacts/${SEED.user.id}/tags`, { id: tag.id });
  await must200("GET", `/contacts/${SEED.user.id}/tags`);
  await must200("DELETE", `/contacts/${SEED.user.id}/tags/${tag.id}`);
  await must200("DELETE", `/contacts/${SEED.user.id}/tags/${SEED.tags.vip.id}`);
  // data attributes
  await must200("GET", "/data_attributes");
  await must200("GET", "/data_attributes?model=company&include_archived=true");
  await must200("GET", "/data_attributes?model=contact&include_archived=true");
  await must200("POST", "/data_attributes", {
    name: `Tour ${version.replace(".", "-")}`,
    model: "contact",
    data_type: "string",
  });
  await must200("POST", "/data_attributes", {
    name: `tour_size_${version.replace(".", "_")}`,
    model: "company",
    data_type: "options",
    options: [{ value: "1-10" }, { value: "11-50" }],
    description: "How big",
  });
  // admins
  await must200("GET", "/admins");
  await must200("GET", "/admins?display_avatar=true");
}

/** Each kind of failure of each route family: the error bodies are validated too. */
async function errors(version: string): Promise<number[]> {
  const o = { version };
  const statuses: number[] = [];
  const run = async (method: string, path: string, opts: Parameters<typeof call>[2] = {}) =>
    statuses.push((await call(method, path, { ...o, ...opts })).status);
  await run("GET", `/contacts/${SEED.unknownId}`);
  await run("GET", `/contacts/${SEED.merged.id}`);
  await run("GET", `/contacts/${SEED.archived.id}`);
  await run("PUT", `/contacts/${SEED.plainUser.id}`, { body: { email: SEED.user.email } });
  await run("PUT", `/contacts/${SEED.plainUser.id}`, { body: { email: SEED.archived.email } });
  await run("PUT", `/contacts/${SEED.plainUser.id}`, { body: { name: 1 } });
  await run("PUT", `/contacts/${SEED.plainUser.id}`, { body: { custom_attributes: { subscription: "gold" } } });
  await run("PUT", `/contacts/${SEED.plainUser.id}`, { body: { role: "lead" } });
  await run("POST", "/contacts", { body: {} });
  await run("POST", "/contacts/search", { body: {} });
  await run("POST", "/companies", { body: { test: "invalid" } });
  await run("GET", `/companies/${SEED.unknownId}`);
  await run("GET", "/companies?company_id=nobody");
  await run("POST", `/contacts/${SEED.plainUser.id}/companies`, { body: { id: "123" } });
  await run("POST", "/tags", { body: { test: "invalid" } });
  await run("POST", `/contacts/${SEED.plainUser.id}/tags`, { body: { id: "999999" } });
  await run("DELETE", `/contacts/${SEED.plainUser.id}/tags/999999`);
  await run("POST", "/data_attributes", { body: { name: "!nv@l!d n@me", model: "company", data_type: "string" } });
  await run("GET", "/data_attributes?model=conversation");
  await run("POST", `/contacts/${SEED.unknownId}/archive`);
  await run("GET", "/contacts/x", { token: "bad" });
  await run("GET", "/admins", { headers: { Accept: "text/html" } });
  await run("GET", "/nowhere");
  return statuses;
}

describe.each(VERSIONS)("on %s", (version) => {
  const mine = (): Recorded[] => records.filter((r) => r.version === version);

  it("serves every route with a 200 that the official schemas of that version accept", async () => {
    sb.reset();
    sb.clearRequests();
    const before = mine().length;
    await tour(version);

    const served = new Set(
      sb
        .requests()
        .filter((r) => r.status === 200)
        .map((r) => `${r.method} ${r.route}`),
    );
    expect([...served].sort()).toEqual([...TEMPLATES].sort());

    const result = validateRecords(mine().slice(before));
    expect(result.problems).toEqual([]);
    // The validator ran on a 200 of every route, on this version.
    const validated = (t: string) => result.counts.get(`${version} ${t} 200`) ?? 0;
    expect(TEMPLATES.filter((t) => validated(t) === 0)).toEqual([]);
    for (const t of TEMPLATES) expect(validated(t), t).toBeGreaterThan(0);
    expect(result.total).toBeGreaterThan(TEMPLATES.length * 2);
  });

  it("sends error bodies the official error schema accepts, with the version's statuses", async () => {
    sb.reset();
    const before = mine().length;
    const statuses = await errors(version);
    // 2.15 answers a merged contact 404, 2.16 410; model=conversation is 422 on 2.16 and an empty list before.
    const merged = version === "2.16" ? 410 : 404;
    const conversation = version === "2.16" ? 422 : 200;
    expect(statuses).toEqual([
      404,
      merged,
      404,
      409,
      409,
      400,
      400,
      400,
      400,
      400,
      400,
      404,
      404,
      404,
      400,
      404,
      404,
      400,
      conversation,
      404,
      401,
      406,
      404,
    ]);
    const result = validateRecords(mine().slice(before));
    expect(result.problems).toEqual([]);
    expect(result.total).toBe(statuses.length);
  });
});

describe("the validator", () => {
  // Each body breaks its route's official schema in one way: every one must be reported, or the checks above
  // could pass by not applying the schemas.
  const wrong: [string, string, string, string, unknown][] = [
    [
      "2.15",
      "GET",
      "/data_attributes",
      "/data_attributes",
      { type: "list", data: [{ id: "12", data_type: "options" }] },
    ],
    ["2.16", "POST", "/data_attributes", "/data_attributes", { type: "data_attribute", model: "user" }],
    ["2.15", "GET", "/admins", "/admins", { type: "admin.list", admins: [{ id: 5, away_mode_enabled: "no" }] }],
    ["2.15", "POST", "/contacts/:contact_id/archive", "/contacts/abc/archive", { type: "contact", archived: "yes" }],
    ["2.16", "POST", "/contacts/:contact_id/unarchive", "/contacts/abc/unarchive", { type: "user", id: "abc" }],
    ["2.15", "GET", "/tags", "/tags", { type: "list", data: [{ type: "tag", id: 5 }] }],
    ["2.15", "POST", "/tags", "/tags", { type: "tag", id: 5, name: "x" }],
    ["2.16", "POST", "/tags", "/tags", { type: "tag", id: "5", name: "x", users: "none" }],
    ["2.15", "POST", "/contacts/:contact_id/tags", "/contacts/abc/tags", { type: "tag", applied_at: "today" }],
    ["2.16", "DELETE", "/contacts/:contact_id/tags/:tag_id", "/contacts/abc/tags/5", { type: "tag", id: 5 }],
    [
      "2.15",
      "GET",
      "/companies",
      "/companies",
      { type: "list", data: [], pages: { type: "pages", next: "/companies?page=2" } },
    ],
    ["2.16", "GET", "/companies/:company_id", "/companies/abc", { type: "company", monthly_spend: "lots" }],
    ["2.15", "POST", "/contacts", "/contacts", { type: "contact", owner_id: "321452" }],
    ["2.16", "GET", "/contacts/:contact_id", "/contacts/abc", { type: "contact", owner_id: 321452 }],
  ];

  it.each(wrong)("on %s reports a wrong %s %s body", (version, method, route, path, body) => {
    const result = validateRecords([{ version, method, route, path, status: 200, body }]);
    expect(result.total).toBe(1);
    expect(result.problems).toHaveLength(1);
  });
});
