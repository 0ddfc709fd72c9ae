import { IntercomClient, IntercomError } from "intercom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, SEED, startSandbox } from "../src/index.js";
import { recordResponses } from "./helpers.js";

const { onResponse, records } = recordResponses();
let sb: Sandbox;
let client: IntercomClient;

beforeAll(async () => {
  sb = await startSandbox({ onResponse });
  client = new IntercomClient({
    token: sb.token,
    baseUrl: sb.url,
    // The SDK's type stops at 2.14; the value is sent as given.
    version: "2.15" as "2.14",
    maxRetries: 0,
    timeoutInSeconds: 5,
  });
});
afterAll(() => sb.stop());

describe("the official SDK (intercom-client 7.0.3) against the sandbox", () => {
  it("runs the whole update-a-user scenario", async () => {
    const found = await client.contacts.showContactByExternalId({ external_id: SEED.user.externalId });
    expect(found.id).toBe(SEED.user.id);
    expect(found.name).toBe("Joe Example");

    const page = await client.contacts.search({
      query: { field: "external_id", operator: "=", value: SEED.user.externalId },
      pagination: { per_page: 5 },
    });
    const hits = [];
    for await (const c of page) hits.push(c);
    expect(hits.map((c) => c.id)).toEqual([SEED.user.id]);

    const updated = await client.contacts.update({
      contact_id: SEED.user.id,
      name: "Joe via SDK",
      email: "joe.sdk@example.com",
      unsubscribed_from_emails: false,
      custom_attributes: { job_title: "Pilot" },
    });
    expect(updated).toMatchObject({ id: SEED.user.id, name: "Joe via SDK", email: "joe.sdk@example.com" });
    expect(updated.custom_attributes).toMatchObject({ job_title: "Pilot" });

    const company = await client.companies.createOrUpdate({
      company_id: "sdk-co",
      name: "SDK Co",
      monthly_spend: 42.9,
    });
    expect(company).toMatchObject({ type: "company", company_id: "sdk-co", name: "SDK Co", monthly_spend: 42 });

    const attached = await client.companies.attachContact({ contact_id: SEED.user.id, id: company.id });
    expect(attached.id).toBe(company.id);
    expect(attached.user_count).toBe(1);

    // The SDK pages ?page=N until an empty `companies` array: this must terminate.
    const listed: string[] = [];
    for await (const co of await client.contacts.listAttachedCompanies({ contact_id: SEED.user.id, per_page: 1 })) {
      listed.push(co.company_id!);
      if (listed.length > 10) break;
    }
    expect(listed).toEqual(["366", "6", "sdk-co"]);

    const tags = await client.contacts.listAttachedTags({ contact_id: SEED.user.id });
    expect(tags.data?.map((t) => t.name)).toEqual(["Sync"]);
    const segments = await client.contacts.listAttachedSegments({ contact_id: SEED.user.id });
    expect(segments.data?.map((s) => s.name)).toEqual(["Active", "New", "Slipping Away"]);

    expect(sb.state.getContact(SEED.user.id)).toMatchObject({ name: "Joe via SDK" });
  });

  it("pages a search with the SDK's cursor handling", async () => {
    const seen: string[] = [];
    const page = await client.contacts.search({
      query: { field: "role", operator: "=", value: "user" },
      pagination: { per_page: 10 },
    });
    for await (const c of page) seen.push(c.id);
    expect(seen.length).toBe(28);
    expect(new Set(seen).size).toBe(28);
  });

  it("surfaces sandbox errors as the SDK's typed errors", async () => {
    await expect(client.contacts.find({ contact_id: SEED.unknownId })).rejects.toBeInstanceOf(IntercomError);
    // A merged contact: 404 on 2.15, 410 on 2.16 (each version as documented).
    const err = await client.contacts.showContactByExternalId({ external_id: SEED.merged.externalId }).catch((e) => e);
    expect(err).toBeInstanceOf(IntercomError);
    expect((err as IntercomError).statusCode).toBe(404);
    const gone = await client.contacts
      .showContactByExternalId({ external_id: SEED.merged.externalId }, { version: "2.16" as "2.14" })
      .catch((e) => e);
    expect((gone as IntercomError).statusCode).toBe(410);
    expect((gone as IntercomError).rawResponse?.headers.get("link")).toBe(
      `</contacts/${SEED.user.id}>; rel="canonical"`,
    );
    const bad = new IntercomClient({ token: "wrong", baseUrl: sb.url, maxRetries: 0 });
    const unauth = await bad.contacts.find({ contact_id: SEED.user.id }).catch((e) => e);
    expect((unauth as IntercomError).statusCode).toBe(401);
    expect(((unauth as IntercomError).body as { errors: { code: string }[] }).errors[0]!.code).toBe("unauthorized");
  });

  it("was served with Accept */* and the SDK's headers", () => {
    const log = sb.requests();
    expect(log.length).toBeGreaterThan(8);
    expect(log.every((r) => r.status !== 406)).toBe(true);
    expect(log.every((r) => r.accept === "*/*" || r.accept === "application/json")).toBe(true);
    expect(log.some((r) => r.accept === "*/*")).toBe(true);
    expect(records.length).toBeGreaterThan(8);
  });

  it("manages the workspace: tags, archive, data attributes, admins, companies", async () => {
    // Tags: create (and find again case-insensitively), attach, list, detach.
    const tag = await client.tags.create({ name: "SDK tag" });
    expect(tag).toMatchObject({ type: "tag", name: "SDK tag", id: expect.stringMatching(/^\d+$/) });
    expect((await client.tags.create({ name: "sdk TAG" })).id).toBe(tag.id);
    expect((await client.tags.list()).data?.map((t) => t.name)).toContain("SDK tag");
    const applied = await client.tags.tagContact({ contact_id: SEED.plainUser.id, id: tag.id });
    expect(applied).toMatchObject({ id: tag.id, applied_by: { type: "admin" } });
    expect(
      (await client.contacts.listAttachedTags({ contact_id: SEED.plainUser.id })).data?.map((t) => t.id),
    ).toContain(tag.id);
    const removed = await client.tags.untagContact({ contact_id: SEED.plainUser.id, tag_id: tag.id });
    expect(removed.id).toBe(tag.id);
    expect(sb.state.tagsOf(SEED.plainUser.id).map((t) => t.id)).not.toContain(tag.id);
    const unknownTag = await client.tags.tagContact({ contact_id: SEED.plainUser.id, id: "999999" }).catch((e) => e);
    expect((unknownTag as IntercomError).statusCode).toBe(404);

    // Archive and unarchive.
    const archived = await client.contacts.archive({ contact_id: SEED.plainUser.id });
    expect(archived).toEqual({
      type: "contact",
      id: SEED.plainUser.id,
      external_id: SEED.plainUser.externalId,
      archived: true,
    });
    const hidden = await client.contacts.find({ contact_id: SEED.plainUser.id }).catch((e) => e);
    expect((hidden as IntercomError).statusCode).toBe(404);
    const back = await client.contacts.unarchive({ contact_id: SEED.plainUser.id });
    expect(back.archived).toBe(false);
    expect((await client.contacts.find({ contact_id: SEED.plainUser.id })).id).toBe(SEED.plainUser.id);

    // Data attributes: list (archived included on request) and create (the SDK's request type omits name and model).
    const attrs = await client.dataAttributes.list({ model: "contact", include_archived: true });
    expect(attrs.data?.find((a) => a.name === SEED.dataAttributes.archived)?.archived).toBe(true);
    const created = await client.dataAttributes.create({
      name: "sdk_score",
      model: "contact",
      data_type: "integer",
    } as Parameters<typeof client.dataAttributes.create>[0]);
    expect(created).toMatchObject({ name: "sdk_score", full_name: "custom_attributes.sdk_score", custom: true });
    const list = await client.dataAttributes.create({
      name: "sdk_tier",
      model: "contact",
      data_type: "options",
      options: [{ value: "bronze" }, { value: "silver" }],
    } as Parameters<typeof client.dataAttributes.create>[0]);
    expect(list.options).toEqual(["bronze", "silver"]);
    const badName = await client.dataAttributes
      .create({ name: "bad.name", model: "contact", data_type: "string" } as Parameters<
        typeof client.dataAttributes.create
      >[0])
      .catch((e) => e);
    expect((badName as IntercomError).statusCode).toBe(400);

    // Admins.
    const admins = await client.admins.list();
    expect(admins.admins?.map((a) => a?.id)).toEqual(SEED.admins.map((a) => a.id));

    // Companies: by Intercom id, and by company_id.
    const byId = await client.companies.find({ company_id: SEED.company.id });
    expect(byId).toMatchObject({ id: SEED.company.id, company_id: SEED.company.companyId });
    const byCompanyId = await client.companies.retrieve({ company_id: SEED.secondCompany.companyId });
    expect(byCompanyId).toMatchObject({ type: "list", total_count: 1 });
    expect((byCompanyId as { data?: { id: string }[] }).data?.[0]?.id).toBe(SEED.secondCompany.id);
    const missing = await client.companies.find({ company_id: SEED.unknownId }).catch((e) => e);
    expect((missing as IntercomError).statusCode).toBe(404);
  });

  it("creates tags on 2.16 with its response shape, and sets owner_id as a string", async () => {
    const v216 = { version: "2.16" as "2.14" };
    const tag = await client.tags.create({ name: "SDK 2.16" }, v216);
    expect(tag).toMatchObject({ name: "SDK 2.16", users: [], companies: [] });
    const updated = await client.contacts.update(
      { contact_id: SEED.plainUser.id, owner_id: SEED.admins[1]!.id as unknown as number },
      v216,
    );
    expect(updated.owner_id).toBe(SEED.admins[1]!.id);
    expect(records.some((r) => r.version === "2.16" && r.method === "POST" && r.path === "/tags")).toBe(true);
  });

  it("works with the SDK's default version header (2.14)", async () => {
    const plain = new IntercomClient({ token: sb.token, baseUrl: sb.url, maxRetries: 0 });
    const c = await plain.contacts.find({ contact_id: SEED.plainUser.id });
    expect(c.id).toBe(SEED.plainUser.id);
    expect(sb.requests().at(-1)!.version).toBe("2.14");
  });
});
