import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, SEED, startSandbox } from "../src/index.js";
import { api, expectError, recordResponses } from "./helpers.js";

const { onResponse } = recordResponses();
let clock = Date.UTC(2026, 10, 26, 12, 0, 0);
let sb: Sandbox;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  sb = await startSandbox({ onResponse, now: () => clock });
  call = api(sb);
});
afterAll(() => sb.stop());
beforeEach(() => sb.reset());

describe("POST /companies", () => {
  it("creates a company by company_id, truncating monthly_spend", async () => {
    clock += 1000;
    const r = await call("POST", "/companies", {
      body: { company_id: "new-co", name: "New Co", monthly_spend: 155.98, plan: "Pro", size: 12 },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      type: "company",
      company_id: "new-co",
      name: "New Co",
      monthly_spend: 155,
      size: 12,
      plan: { type: "plan", name: "Pro" },
      user_count: 0,
      session_count: 0,
      created_at: Math.floor(clock / 1000),
      tags: { type: "tag.list", tags: [] },
      segments: { type: "segment.list", segments: [] },
      custom_attributes: {},
    });
    expect(r.body.id).toMatch(/^[0-9a-f]{24}$/);
    expect(sb.state.findCompanyByCompanyId("new-co")).toMatchObject({ id: r.body.id });
  });

  it("updates the existing company with the same company_id (upsert) and keeps its id", async () => {
    const r = await call("POST", "/companies", { body: { company_id: SEED.company.companyId, monthly_spend: 999 } });
    expect(r.body).toMatchObject({ id: SEED.company.id, name: "Serenity", monthly_spend: 999 });
    expect(sb.state.companies()).toHaveLength(6);
  });

  it("sends plan {} when the company has no plan, as the official examples do", async () => {
    const r = await call("POST", "/companies", { body: { company_id: "plain", name: "Plain" } });
    expect(r.body.plan).toEqual({});
  });

  it("accepts 2147483647 and rejects anything above with 400", async () => {
    const ok = await call("POST", "/companies", { body: { company_id: "max", monthly_spend: 2147483647 } });
    expect(ok.body.monthly_spend).toBe(2147483647);
    const e = expectError(
      await call("POST", "/companies", { body: { company_id: "max", monthly_spend: 2147483648 } }),
      400,
      "parameter_invalid",
    );
    expect(e.field).toBe("monthly_spend");
  });

  it("rejects an unknown parameter like the official example (bad 'test' parameter)", async () => {
    const e = expectError(await call("POST", "/companies", { body: { test: "invalid" } }), 400, "bad_request");
    expect(e.message).toBe("bad 'test' parameter");
  });

  it.each([
    ["monthly_spend", "lots"],
    ["name", 5],
    ["size", 1.5],
    ["company_id", 366],
    ["custom_attributes", "x"],
  ])("rejects a wrong type for %s naming the field", async (field, value) => {
    const e = expectError(
      await call("POST", "/companies", { body: { company_id: "x", [field]: value } }),
      400,
      "parameter_invalid",
    );
    expect(e.field).toBe(field);
  });

  it("needs a company_id or a name", async () => {
    expectError(await call("POST", "/companies", { body: {} }), 400, "parameter_not_found");
    const named = await call("POST", "/companies", { body: { name: "Only a name" } });
    expect(named.status).toBe(200);
    expect(named.body.company_id).toBe(named.body.id);
  });

  it("rejects undefined company custom attributes", async () => {
    const e = expectError(
      await call("POST", "/companies", { body: { company_id: "x", custom_attributes: { colour: "red" } } }),
      400,
      "parameter_invalid",
    );
    expect(e.message).toBe("Custom attribute 'colour' does not exist");
    const ok = await call("POST", "/companies", { body: { company_id: "x", custom_attributes: { tier: "gold" } } });
    expect(ok.body.custom_attributes).toEqual({ tier: "gold" });
  });
});

describe("POST /contacts/{id}/companies", () => {
  it("attaches a company and counts the user", async () => {
    const r = await call("POST", `/contacts/${SEED.plainUser.id}/companies`, {
      body: { id: SEED.unattachedCompany.id },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ type: "company", id: SEED.unattachedCompany.id, user_count: 1 });
    const contact = await call("GET", `/contacts/${SEED.plainUser.id}`);
    expect(contact.body.companies.data).toEqual([
      { type: "company", id: SEED.unattachedCompany.id, url: `/companies/${SEED.unattachedCompany.id}` },
    ]);
  });

  it("is idempotent", async () => {
    await call("POST", `/contacts/${SEED.plainUser.id}/companies`, { body: { id: SEED.company.id } });
    await call("POST", `/contacts/${SEED.plainUser.id}/companies`, { body: { id: SEED.company.id } });
    expect(sb.state.companiesOf(SEED.plainUser.id).map((c) => c.id)).toEqual([SEED.company.id]);
  });

  it("answers 404 company_not_found for an unknown company", async () => {
    const e = expectError(
      await call("POST", `/contacts/${SEED.plainUser.id}/companies`, { body: { id: "123" } }),
      404,
      "company_not_found",
    );
    expect(e.message).toBe("Company Not Found");
  });

  it("answers 404 not_found for an unknown or archived contact; for a merged one 404 (2.15) or 410 (2.16)", async () => {
    for (const id of [SEED.unknownId, SEED.archived.id, SEED.merged.id])
      expectError(await call("POST", `/contacts/${id}/companies`, { body: { id: SEED.company.id } }), 404, "not_found");
    expectError(
      await call("POST", `/contacts/${SEED.merged.id}/companies`, { version: "2.16", body: { id: SEED.company.id } }),
      410,
      "contact_merged",
    );
    expect(sb.state.companiesOf(SEED.archived.id)).toEqual([]);
  });

  it("answers 400 parameter_not_found when no company is given", async () => {
    const e = expectError(
      await call("POST", `/contacts/${SEED.plainUser.id}/companies`, { body: {} }),
      400,
      "parameter_not_found",
    );
    expect(e.message).toBe("company not specified");
    expectError(
      await call("POST", `/contacts/${SEED.plainUser.id}/companies`, { body: { id: 5 } }),
      400,
      "parameter_invalid",
    );
  });
});

describe("GET /contacts/{id}/companies", () => {
  it("lists attached companies in both `companies` and `data`", async () => {
    const r = await call("GET", `/contacts/${SEED.user.id}/companies`);
    expect(r.status).toBe(200);
    expect(r.body.type).toBe("list");
    expect(r.body.total_count).toBe(2);
    expect(r.body.companies.map((c: { company_id: string }) => c.company_id)).toEqual(["366", "6"]);
    expect(r.body.data).toEqual(r.body.companies);
    expect(r.body.pages).toEqual({ type: "pages", next: null, page: 1, per_page: 50, total_pages: 1 });
  });

  it("pages with ?page&per_page, gives an absolute next link, and an empty list past the end", async () => {
    const p1 = await call("GET", `/contacts/${SEED.user.id}/companies?per_page=1`);
    expect(p1.body.companies.map((c: { company_id: string }) => c.company_id)).toEqual(["366"]);
    expect(p1.body.pages).toMatchObject({ page: 1, per_page: 1, total_pages: 2 });
    expect(p1.body.pages.next).toBe(`${sb.url}/contacts/${SEED.user.id}/companies?page=2&per_page=1`);
    const p2 = await call("GET", p1.body.pages.next.slice(sb.url.length));
    expect(p2.body.companies.map((c: { company_id: string }) => c.company_id)).toEqual(["6"]);
    expect(p2.body.pages.next).toBeNull();
    const p3 = await call("GET", `/contacts/${SEED.user.id}/companies?page=3&per_page=1`);
    expect(p3.body).toMatchObject({ companies: [], data: [], total_count: 2 });
  });

  it("rejects a bad page parameter", async () => {
    expectError(await call("GET", `/contacts/${SEED.user.id}/companies?page=0`), 400, "parameter_invalid");
    expectError(await call("GET", `/contacts/${SEED.user.id}/companies?per_page=abc`), 400, "parameter_invalid");
  });

  it("answers 404 for an unknown contact", async () => {
    expectError(await call("GET", `/contacts/${SEED.unknownId}/companies`), 404, "not_found");
  });
});

describe("GET /contacts/{id}/tags and /segments", () => {
  it("lists the contact's tags with name and applied_by", async () => {
    const r = await call("GET", `/contacts/${SEED.user.id}/tags`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      type: "list",
      data: [
        {
          type: "tag",
          id: "202",
          name: "Sync",
          applied_at: expect.any(Number),
          applied_by: { type: "admin", id: "321452" },
        },
      ],
    });
  });

  it("lists the contact's segments (Active, New, Slipping Away)", async () => {
    const r = await call("GET", `/contacts/${SEED.user.id}/segments`);
    expect(r.status).toBe(200);
    expect(r.body.type).toBe("list");
    expect(r.body.data.map((s: { name: string }) => s.name)).toEqual(["Active", "New", "Slipping Away"]);
    expect(r.body.data[0]).toMatchObject({
      type: "segment",
      person_type: "user",
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
    });
  });

  it("gives empty lists for a contact without any, and 404 for an unknown one", async () => {
    const lead = await call("GET", `/contacts/${SEED.lead.id}/tags`);
    expect(lead.body).toEqual({ type: "list", data: [] });
    expectError(await call("GET", `/contacts/${SEED.unknownId}/tags`), 404, "not_found");
    expectError(await call("GET", `/contacts/${SEED.unknownId}/segments`), 404, "not_found");
  });
});

describe("GET /companies/{id}", () => {
  it("returns the company by Intercom id", async () => {
    const r = await call("GET", `/companies/${SEED.company.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ type: "company", id: SEED.company.id, company_id: "366", name: "Serenity" });
    expect(r.body).toEqual(sb.state.getCompany(SEED.company.id));
  });

  it("answers 404 company_not_found for an unknown id (a company_id is not an Intercom id)", async () => {
    for (const id of [SEED.unknownId, SEED.company.companyId])
      expect(expectError(await call("GET", `/companies/${id}`), 404, "company_not_found").message).toBe(
        "Company Not Found",
      );
  });
});

describe("GET /companies", () => {
  const ids = (r: { body: { data: { company_id: string }[] } }) => r.body.data.map((c) => c.company_id);

  it("finds one company by company_id as a company_list", async () => {
    const r = await call("GET", `/companies?company_id=${SEED.secondCompany.companyId}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      type: "list",
      total_count: 1,
      pages: { type: "pages", page: 1, per_page: 15, total_pages: 1, next: null },
    });
    expect(r.body.data).toEqual([sb.state.getCompany(SEED.secondCompany.id)]);
  });

  it("finds by exact name", async () => {
    const r = await call("GET", `/companies?name=${encodeURIComponent("Blue Sun Corporation")}`);
    expect(ids(r)).toEqual(["6"]);
    expectError(await call("GET", "/companies?name=blue%20sun%20corporation"), 404, "company_not_found");
  });

  it("answers 404 company_not_found when nothing matches", async () => {
    const e = expectError(await call("GET", "/companies?company_id=nobody"), 404, "company_not_found");
    expect(e.message).toBe("Company Not Found");
  });

  it("lists every company, paged with page and per_page", async () => {
    const all = await call("GET", "/companies");
    expect(all.body.total_count).toBe(6);
    expect(ids(all)).toEqual(["366", "6", "acme", "initech", "globex", "no-users"]);
    const p1 = await call("GET", "/companies?per_page=4");
    expect(ids(p1)).toEqual(["366", "6", "acme", "initech"]);
    expect(p1.body.pages).toEqual({
      type: "pages",
      next: { page: 2, per_page: 4 },
      page: 1,
      per_page: 4,
      total_pages: 2,
    });
    const p2 = await call("GET", "/companies?per_page=4&page=2");
    expect(ids(p2)).toEqual(["globex", "no-users"]);
    expect(p2.body.pages.next).toBeNull();
    expect(ids(await call("GET", "/companies?per_page=4&page=3"))).toEqual([]);
  });

  it("filters by tag_id or segment_id (sandbox companies have none: empty lists)", async () => {
    const r = await call("GET", `/companies?tag_id=${SEED.tags.vip.id}`);
    expect(r.body).toMatchObject({ type: "list", data: [], total_count: 0 });
  });

  it("sees companies created through the API at once", async () => {
    await call("POST", "/companies", { body: { company_id: "fresh", name: "Fresh" } });
    expect(ids(await call("GET", "/companies?company_id=fresh"))).toEqual(["fresh"]);
  });

  it.each(["page=0", "per_page=61", "per_page=x"])("refuses ?%s with 400", async (query) => {
    expectError(await call("GET", `/companies?${query}`), 400, "parameter_invalid");
  });
});
