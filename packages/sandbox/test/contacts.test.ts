import { createOfficialValidator } from "@intercom-kit/spec-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, SEED, startSandbox } from "../src/index.js";
import { api, expectError, recordResponses } from "./helpers.js";

const { onResponse } = recordResponses();
let clock = Date.UTC(2026, 10, 26, 12, 0, 0);
let sb: Sandbox;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  sb = await startSandbox({ token: "contacts-token", onResponse, now: () => clock });
  call = api(sb);
});
afterAll(() => sb.stop());
beforeEach(() => sb.reset());

describe("GET /contacts/{id}", () => {
  it("returns the seeded contact with every key of the official example", async () => {
    const r = await call("GET", `/contacts/${SEED.user.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      type: "contact",
      id: SEED.user.id,
      external_id: "25",
      role: "user",
      email: "joe@example.com",
      email_domain: "example.com",
      name: "Joe Example",
      avatar: { type: "avatar" },
      location: { type: "location", country: "Ireland", city: "Dublin", country_code: "IRL", continent_code: "EU" },
      social_profiles: { type: "list", data: [{ type: "social_profile", name: "Twitter" }] },
      tags: { type: "list", data: [{ type: "tag", id: "202" }], url: `/contacts/${SEED.user.id}/tags`, total_count: 1 },
      companies: { type: "list", total_count: 2, has_more: false },
      custom_attributes: { paid_subscriber: true, monthly_spend: 155.5, team_mates: 9 },
      utm_source: "newsletter",
      referrer: "https://example.org",
    });
    // The official schemas require almost nothing, so check the keys the real API returns (the official example).
    // biome-ignore lint/suspicious/noExplicitAny: walking the raw official YAML
    const doc = createOfficialValidator("2.15").document as any;
    const example =
      doc.paths["/contacts/{contact_id}"].get.responses["200"].content["application/json"].examples.successful.value;
    const missing = Object.keys(example).filter((k) => !(k in r.body));
    expect(missing).toEqual([]);
    expect(Object.keys(example).length).toBeGreaterThan(40);
    const missingLocation = Object.keys(example.location).filter((k) => !(k in r.body.location));
    expect(missingLocation).toEqual([]);
    for (const list of ["tags", "notes", "companies", "opted_in_subscription_types", "opted_out_subscription_types"])
      expect(Object.keys(r.body[list]).sort()).toEqual(Object.keys(example[list]).sort());
  });

  it("answers 404 not_found for an unknown id", async () => {
    const e = expectError(await call("GET", `/contacts/${SEED.unknownId}`), 404, "not_found");
    expect(e.message).toBe("User Not Found");
  });

  it("answers 410 contact_merged with a canonical Link for a merged contact on 2.16", async () => {
    const r = await call("GET", `/contacts/${SEED.merged.id}`, { version: "2.16" });
    expectError(r, 410, "contact_merged");
    expect(r.headers.get("link")).toBe(`</contacts/${SEED.merged.mergedIntoId}>; rel="canonical"`);
  });

  it.each(["2.15", "2.14", "1.4"])(
    "answers 404 not_found for a merged contact on %s, without a Link",
    async (version) => {
      const r = await call("GET", `/contacts/${SEED.merged.id}`, { version });
      expect(expectError(r, 404, "not_found").message).toBe("User Not Found");
      expect(r.headers.get("link")).toBeNull();
    },
  );

  it("serves owner_id as an integer on 2.15 and as a string on 2.16", async () => {
    expect((await call("GET", `/contacts/${SEED.user.id}`)).body.owner_id).toBe(321452);
    expect((await call("GET", `/contacts/${SEED.user.id}`, { version: "2.16" })).body.owner_id).toBe("321452");
  });
});

describe("GET /contacts/find_by_external_id/{external_id}", () => {
  it("finds a user by external id", async () => {
    const r = await call("GET", "/contacts/find_by_external_id/25");
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(SEED.user.id);
  });

  it("decodes percent-encoded external ids", async () => {
    const r = await call("GET", `/contacts/find_by_external_id/${encodeURIComponent("shared-1")}`);
    expect(r.body.external_id).toBe("shared-1");
  });

  it("answers 404 when nobody has it", async () => {
    expectError(await call("GET", "/contacts/find_by_external_id/nobody-here"), 404, "not_found");
  });

  it("does not see leads (users only, as documented)", async () => {
    expectError(await call("GET", `/contacts/find_by_external_id/${SEED.lead.externalId}`), 404, "not_found");
  });

  it("answers 410 with Link for a merged contact on 2.16 (and Preview), 404 on 2.15", async () => {
    for (const version of ["2.16", "Preview"]) {
      const r = await call("GET", `/contacts/find_by_external_id/${SEED.merged.externalId}`, { version });
      expectError(r, 410, "contact_merged");
      expect(r.headers.get("link")).toBe(`</contacts/${SEED.user.id}>; rel="canonical"`);
    }
    const old = await call("GET", `/contacts/find_by_external_id/${SEED.merged.externalId}`, { version: "2.15" });
    expectError(old, 404, "not_found");
    expect(old.headers.get("link")).toBeNull();
  });
});

describe("PUT /contacts/{id}", () => {
  it("updates name, email and subscription, moves updated_at to the clock, and keeps the rest", async () => {
    clock += 60_000;
    const before = sb.state.getContact(SEED.user.id)!;
    const r = await call("PUT", `/contacts/${SEED.user.id}`, {
      body: { name: "Joe Updated", email: "joe.updated@example.com", unsubscribed_from_emails: true },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: "Joe Updated",
      email: "joe.updated@example.com",
      email_domain: "example.com",
      unsubscribed_from_emails: true,
      updated_at: Math.floor(clock / 1000),
      external_id: "25",
      phone: before.phone,
    });
    expect(sb.state.getContact(SEED.user.id)).toMatchObject({ name: "Joe Updated", unsubscribed_from_emails: true });
  });

  it("applies unsubscribed_from_emails: false (a real value, not 'unset')", async () => {
    await call("PUT", `/contacts/${SEED.user.id}`, { body: { unsubscribed_from_emails: true } });
    const r = await call("PUT", `/contacts/${SEED.user.id}`, { body: { unsubscribed_from_emails: false } });
    expect(r.body.unsubscribed_from_emails).toBe(false);
  });

  it("leaves fields that are not sent unchanged, and clears nullable ones sent as null", async () => {
    const r = await call("PUT", `/contacts/${SEED.user.id}`, { body: { phone: null } });
    expect(r.body.phone).toBeNull();
    expect(r.body.name).toBe("Joe Example");
  });

  it("sets an avatar from a URL string and defined custom attributes", async () => {
    const r = await call("PUT", `/contacts/${SEED.user.id}`, {
      body: { avatar: "https://example.com/a.png", custom_attributes: { team_mates: 12, job_title: "CEO" } },
    });
    expect(r.body.avatar).toEqual({ type: "avatar", image_url: "https://example.com/a.png" });
    expect(r.body.custom_attributes).toMatchObject({ team_mates: 12, job_title: "CEO", paid_subscriber: true });
  });

  it.each([
    ["name", 42],
    ["email", false],
    ["unsubscribed_from_emails", "yes"],
    ["signed_up_at", "2020-01-01"],
    ["owner_id", "321452"],
    ["custom_attributes", [1, 2]],
    ["role", "admin"],
    ["external_id", 25],
  ])("rejects a wrong type for %s with 400 parameter_invalid naming the field", async (field, value) => {
    const e = expectError(
      await call("PUT", `/contacts/${SEED.user.id}`, { body: { [field]: value } }),
      400,
      "parameter_invalid",
    );
    expect(e.field).toBe(field);
    expect(e.message).toContain(field);
    expect(sb.state.getContact(SEED.user.id)!.name).toBe("Joe Example");
  });

  it("rejects an empty external_id", async () => {
    const e = expectError(
      await call("PUT", `/contacts/${SEED.user.id}`, { body: { external_id: "" } }),
      400,
      "parameter_invalid",
    );
    expect(e.field).toBe("external_id");
  });

  it("rejects an invalid email address", async () => {
    const e = expectError(
      await call("PUT", `/contacts/${SEED.user.id}`, { body: { email: "not-an-email" } }),
      400,
      "parameter_invalid",
    );
    expect(e.field).toBe("email");
  });

  it("rejects an unknown top-level field with bad_request", async () => {
    const e = expectError(
      await call("PUT", `/contacts/${SEED.user.id}`, { body: { nmae: "typo" } }),
      400,
      "bad_request",
    );
    expect(e.message).toBe("bad 'nmae' parameter");
  });

  it("rejects custom attributes that are not defined, or have the wrong type", async () => {
    const e1 = expectError(
      await call("PUT", `/contacts/${SEED.user.id}`, { body: { custom_attributes: { shoe_size: 44 } } }),
      400,
      "parameter_invalid",
    );
    expect(e1.message).toBe("Custom attribute 'shoe_size' does not exist");
    expect(e1.field).toBe("custom_attributes.shoe_size");
    const e2 = expectError(
      await call("PUT", `/contacts/${SEED.user.id}`, { body: { custom_attributes: { team_mates: "nine" } } }),
      400,
      "parameter_invalid",
    );
    expect(e2.message).toContain("team_mates");
    // Nothing was applied by the failed request.
    expect(sb.state.getContact(SEED.user.id)!.custom_attributes).toMatchObject({ team_mates: 9 });
  });

  it("answers 409 conflict when the email belongs to another contact", async () => {
    const e = expectError(
      await call("PUT", `/contacts/${SEED.plainUser.id}`, { body: { email: "JOE@example.com" } }),
      409,
      "conflict",
    );
    expect(e.message).toBe(`A contact matching those details already exists with id=${SEED.user.id}`);
  });

  it("answers 409 conflict when the external_id belongs to another contact", async () => {
    const e = expectError(
      await call("PUT", `/contacts/${SEED.plainUser.id}`, { body: { external_id: "25" } }),
      409,
      "conflict",
    );
    expect(e.message).toContain(SEED.user.id);
  });

  it("allows re-sending the contact's own email (any case)", async () => {
    const r = await call("PUT", `/contacts/${SEED.user.id}`, { body: { email: "joe@example.com" } });
    expect(r.status).toBe(200);
  });

  it("answers 404 for an unknown contact, and 404 (2.15) or 410 (2.16) for a merged one", async () => {
    expectError(await call("PUT", `/contacts/${SEED.unknownId}`, { body: { name: "x" } }), 404, "not_found");
    expectError(await call("PUT", `/contacts/${SEED.merged.id}`, { body: { name: "x" } }), 404, "not_found");
    expectError(
      await call("PUT", `/contacts/${SEED.merged.id}`, { version: "2.16", body: { name: "x" } }),
      410,
      "contact_merged",
    );
    expect(sb.state.getContact(SEED.merged.id)!.name).toBe("Joe Example (old account)");
  });

  it("rejects a body that is not an object", async () => {
    expectError(await call("PUT", `/contacts/${SEED.user.id}`, { body: [1] }), 400, "parameter_invalid");
  });

  it("on 2.16 takes owner_id as a string and checks email_verified travels with email", async () => {
    const admin = SEED.admins[2]!.id;
    const r = await call("PUT", `/contacts/${SEED.user.id}`, { version: "2.16", body: { owner_id: admin } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.owner_id).toBe(admin);
    expect(sb.state.getContact(SEED.user.id)!.owner_id).toBe(Number(admin));
    const e = expectError(
      await call("PUT", `/contacts/${SEED.user.id}`, { version: "2.16", body: { email_verified: true } }),
      400,
      "parameter_invalid",
    );
    expect(e.field).toBe("email_verified");
    const withEmail = await call("PUT", `/contacts/${SEED.user.id}`, {
      version: "2.16",
      body: { email: "joe.verified@example.com", email_verified: true },
    });
    expect(withEmail.status, withEmail.text).toBe(200);
    expect(withEmail.body.email).toBe("joe.verified@example.com");
  });
});

describe("POST /contacts/search", () => {
  const search = (body: unknown) => call("POST", "/contacts/search", { body });

  it("finds by external_id with =", async () => {
    const r = await search({ query: { field: "external_id", operator: "=", value: "25" } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ type: "list", total_count: 1, pages: { type: "pages", page: 1, total_pages: 1 } });
    expect(r.body.data[0].id).toBe(SEED.user.id);
    expect(r.body.pages.next).toBeUndefined();
  });

  it("finds both contacts sharing an email, case-insensitively", async () => {
    const r = await search({ query: { field: "email", operator: "=", value: "SHARED@example.com" } });
    expect(r.body.data.map((c: { id: string }) => c.id).sort()).toEqual([...SEED.sharedEmailContactIds].sort());
  });

  it("combines filters with AND", async () => {
    const r = await search({
      query: {
        operator: "AND",
        value: [
          { field: "email", operator: "=", value: SEED.sharedEmail },
          { field: "external_id", operator: "=", value: "shared-2" },
        ],
      },
    });
    expect(r.body.total_count).toBe(1);
    expect(r.body.data[0].id).toBe(SEED.sharedEmailContactIds[1]);
  });

  it("filters by role and by id", async () => {
    const leads = await search({ query: { field: "role", operator: "=", value: "lead" } });
    expect(leads.body.data.map((c: { id: string }) => c.id)).toEqual([SEED.lead.id]);
    const byId = await search({ query: { field: "id", operator: "=", value: SEED.plainUser.id } });
    expect(byId.body.total_count).toBe(1);
  });

  it("excludes merged contacts", async () => {
    const r = await search({ query: { field: "external_id", operator: "=", value: SEED.merged.externalId } });
    expect(r.body).toMatchObject({ total_count: 0, data: [] });
  });

  it("pages with per_page and the starting_after cursor until the end, without overlap", async () => {
    const query = { field: "role", operator: "=", value: "user" };
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    let total = 0;
    do {
      const r = await search({ query, pagination: { per_page: 7, ...(cursor ? { starting_after: cursor } : {}) } });
      expect(r.status).toBe(200);
      total = r.body.total_count;
      expect(r.body.pages.page).toBe(pages + 1);
      seen.push(...r.body.data.map((c: { id: string }) => c.id));
      cursor = r.body.pages.next?.starting_after;
      pages++;
    } while (cursor && pages < 20);
    expect(total).toBe(28);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 7));
  });

  it.each([
    ["no query", {}],
    ["unknown operator", { query: { field: "email", operator: "LIKE", value: "x" } }],
    ["unsupported field", { query: { field: "shoe_size", operator: "=", value: "x" } }],
    ["wrong value type", { query: { field: "email", operator: "=", value: 5 } }],
    [
      "too deep",
      {
        query: {
          operator: "AND",
          value: [
            { operator: "OR", value: [{ operator: "AND", value: [{ field: "id", operator: "=", value: "1" }] }] },
          ],
        },
      },
    ],
    [
      "bad cursor",
      { query: { field: "role", operator: "=", value: "user" }, pagination: { starting_after: "garbage" } },
    ],
    ["bad per_page", { query: { field: "role", operator: "=", value: "user" }, pagination: { per_page: 0 } }],
  ])("rejects an invalid query (%s) with 400", async (_name, body) => {
    const r = await search(body);
    expect(r.status).toBe(400);
    expect(r.body.type).toBe("error.list");
  });

  it("rejects an invalid sort order with invalid_sort_order", async () => {
    expectError(
      await search({ query: { field: "role", operator: "=", value: "user" }, sort: { field: "name", order: "up" } }),
      400,
      "invalid_sort_order",
    );
  });

  it("sorts when asked", async () => {
    const r = await search({
      query: { field: "role", operator: "=", value: "user" },
      sort: { field: "name", order: "ascending" },
      pagination: { per_page: 3 },
    });
    const names = r.body.data.map((c: { name: string }) => c.name);
    expect(names).toEqual([...names].sort());
  });
});
