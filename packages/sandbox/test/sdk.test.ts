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

  it("works with the SDK's default version header (2.14)", async () => {
    const plain = new IntercomClient({ token: sb.token, baseUrl: sb.url, maxRetries: 0 });
    const c = await plain.contacts.find({ contact_id: SEED.plainUser.id });
    expect(c.id).toBe(SEED.plainUser.id);
    expect(sb.requests().at(-1)!.version).toBe("2.14");
  });
});
