import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSeedData, type DataAttribute, type Sandbox, SEED, startSandbox } from "../src/index.js";
import { api, expectError, recordResponses } from "./helpers.js";

const { onResponse } = recordResponses();
let clock = Date.UTC(2026, 10, 26, 12, 0, 0);
let sb: Sandbox;
let call: ReturnType<typeof api>;
const A = SEED.dataAttributes;

beforeAll(async () => {
  sb = await startSandbox({ onResponse, now: () => clock });
  call = api(sb);
});
afterAll(() => sb.stop());
beforeEach(() => sb.reset());

interface Attr {
  name: string;
  full_name: string;
  custom: boolean;
  archived: boolean;
  api_writable: boolean;
  data_type: string;
  options?: string[];
  model: string;
}
const byFullName = (list: Attr[], fullName: string) => list.find((a) => a.full_name === fullName);

describe("GET /data_attributes", () => {
  it("lists standard and custom contact attributes by default, archived ones left out", async () => {
    const r = await call("GET", "/data_attributes");
    expect(r.status).toBe(200);
    expect(r.body.type).toBe("list");
    const list: Attr[] = r.body.data;
    expect(list.every((a) => a.model === "contact")).toBe(true);
    expect(byFullName(list, "email")).toMatchObject({ custom: false, api_writable: true, data_type: "string" });
    expect(byFullName(list, "id")).toMatchObject({ custom: false, api_writable: false });
    expect(byFullName(list, "owner_id")).toMatchObject({ custom: false, api_writable: true, data_type: "integer" });
    expect(byFullName(list, "signed_up_at")).toMatchObject({ data_type: "date", api_writable: true });
    expect(list.filter((a) => !a.custom).length).toBeGreaterThanOrEqual(8);
    // Custom ones: one of each type, full_name under custom_attributes.
    expect(byFullName(list, `custom_attributes.${A.list.name}`)).toMatchObject({
      id: expect.any(Number),
      name: "subscription",
      custom: true,
      data_type: "string",
      options: ["free", "pro", "enterprise"],
      api_writable: true,
    });
    for (const [type, name] of [
      ["string", A.string],
      ["integer", A.integer],
      ["float", A.float],
      ["boolean", A.boolean],
      ["date", A.date],
    ])
      expect(byFullName(list, `custom_attributes.${name}`), name).toMatchObject({ data_type: type, custom: true });
    expect(byFullName(list, `custom_attributes.${A.readOnly}`)).toMatchObject({ api_writable: false });
    expect(byFullName(list, `custom_attributes.${A.archived}`)).toBeUndefined();
    expect(list.some((a) => a.archived)).toBe(false);
  });

  it("includes archived attributes with include_archived=true", async () => {
    const r = await call("GET", "/data_attributes?model=contact&include_archived=true");
    expect(byFullName(r.body.data, `custom_attributes.${A.archived}`)).toMatchObject({ archived: true, custom: true });
    const off = await call("GET", "/data_attributes?include_archived=false");
    expect(byFullName(off.body.data, `custom_attributes.${A.archived}`)).toBeUndefined();
  });

  it("lists company attributes for model=company", async () => {
    const list: Attr[] = (await call("GET", "/data_attributes?model=company")).body.data;
    expect(list.every((a) => a.model === "company")).toBe(true);
    expect(byFullName(list, "plan.name")).toMatchObject({ name: "name", custom: false });
    expect(byFullName(list, "custom_attributes.tier")).toMatchObject({ custom: true });
    expect(byFullName(list, `custom_attributes.${A.list.name}`)).toBeUndefined();
  });

  it("answers model=conversation with 422 on 2.16 (documented) and an empty list on 2.15", async () => {
    const e = expectError(
      await call("GET", "/data_attributes?model=conversation", { version: "2.16" }),
      422,
      "parameter_invalid",
    );
    expect(e.message).toBe("model=conversation is no longer supported. Use GET /conversations/attributes instead");
    expect((await call("GET", "/data_attributes?model=conversation")).body).toEqual({ type: "list", data: [] });
  });

  it.each([
    ["model=user", "model"],
    ["include_archived=yes", "include_archived"],
  ])("refuses ?%s with 400 parameter_invalid", async (query, field) => {
    expect(expectError(await call("GET", `/data_attributes?${query}`), 400, "parameter_invalid").field).toBe(field);
  });
});

describe("POST /data_attributes", () => {
  it("creates a custom attribute, listed and writable at once", async () => {
    clock += 1000;
    const r = await call("POST", "/data_attributes", {
      body: {
        name: "Mithril Shirt",
        model: "contact",
        data_type: "string",
        description: "Armour",
        messenger_writable: true,
      },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({
      id: expect.any(Number),
      type: "data_attribute",
      name: "Mithril Shirt",
      full_name: "custom_attributes.Mithril Shirt",
      label: "Mithril Shirt",
      description: "Armour",
      data_type: "string",
      api_writable: true,
      ui_writable: false,
      messenger_writable: true,
      custom: true,
      archived: false,
      admin_id: SEED.apiAdminId,
      created_at: Math.floor(clock / 1000),
      updated_at: Math.floor(clock / 1000),
      model: "contact",
    });
    const listed: Attr[] = (await call("GET", "/data_attributes")).body.data;
    expect(byFullName(listed, "custom_attributes.Mithril Shirt")).toBeDefined();
    const put = await call("PUT", `/contacts/${SEED.user.id}`, {
      body: { custom_attributes: { "Mithril Shirt": "yes" } },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body.custom_attributes["Mithril Shirt"]).toBe("yes");
  });

  it("creates a list attribute (served as a string with options) whose values are then enforced", async () => {
    const r = await call("POST", "/data_attributes", {
      body: { name: "seats", model: "contact", data_type: "options", options: [{ value: "1-10" }, { value: "11-50" }] },
    });
    expect(r.body).toMatchObject({ data_type: "string", options: ["1-10", "11-50"] });
    expect(
      (await call("PUT", `/contacts/${SEED.user.id}`, { body: { custom_attributes: { seats: "11-50" } } })).status,
    ).toBe(200);
    const e = expectError(
      await call("PUT", `/contacts/${SEED.user.id}`, { body: { custom_attributes: { seats: "51+" } } }),
      400,
      "parameter_invalid",
    );
    expect(e.message).toBe("Custom attribute 'seats' must be one of 1-10, 11-50");
  });

  it("serves datetime as date", async () => {
    const r = await call("POST", "/data_attributes", {
      body: { name: "renewal_at", model: "company", data_type: "datetime" },
    });
    expect(r.body).toMatchObject({ data_type: "date", model: "company" });
  });

  it.each(["Mithril Shirt", "price-€", "über_größe", "Plan 2", "£ spend"])("takes the name %j", async (name) => {
    const r = await call("POST", "/data_attributes", { body: { name, model: "contact", data_type: "string" } });
    expect(r.status, r.text).toBe(200);
  });

  const NAME_CHARS =
    "An attribute name may contain only letters, digits, currency symbols (not $), hyphens, underscores and spaces";
  it.each([
    [
      "the official invalid example",
      { name: "!nv@l!d n@me", model: "company", data_type: "string" },
      NAME_CHARS,
      "name",
    ],
    ["a dot", { name: "a.b", model: "contact", data_type: "string" }, NAME_CHARS, "name"],
    ["a dollar sign", { name: "cost$", model: "contact", data_type: "string" }, NAME_CHARS, "name"],
    ["surrounding spaces", { name: " padded", model: "contact", data_type: "string" }, NAME_CHARS, "name"],
    [
      "a standard attribute's name",
      { name: "email", model: "contact", data_type: "string" },
      "You already have 'email' as people data in this workspace; give the new attribute another name",
      "name",
    ],
    [
      "a custom attribute's name, in another case",
      { name: "SUBSCRIPTION", model: "contact", data_type: "integer" },
      "You already have 'subscription' as people data in this workspace; give the new attribute another name",
      "name",
    ],
    [
      "an archived attribute's name",
      { name: A.archived, model: "contact", data_type: "string" },
      `You already have '${A.archived}' as people data in this workspace; give the new attribute another name`,
      "name",
    ],
    [
      "a company attribute's name (the official example)",
      { name: "tier", model: "contact", data_type: "string" },
      "You already have 'tier' as company data in this workspace; a new people attribute needs another name",
      "name",
    ],
    [
      "an unknown data type (the official example)",
      { name: "The Second Ring", model: "company", data_type: "mithril" },
      "data_type must be one of string, integer, float, boolean, date, datetime, options",
      "data_type",
    ],
    [
      "a list with one option",
      { name: "size", model: "contact", data_type: "options", options: [{ value: "1-10" }] },
      "A list attribute needs at least two different options",
      "options",
    ],
    [
      "a list with the same option twice",
      { name: "size", model: "contact", data_type: "options", options: [{ value: "a" }, { value: "a" }] },
      "A list attribute needs at least two different options",
      "options",
    ],
    [
      "a list without options",
      { name: "size", model: "contact", data_type: "options" },
      "options must be a list of {value} objects with non-empty values",
      "options",
    ],
    [
      "options on a non-list",
      { name: "size", model: "contact", data_type: "string", options: [{ value: "a" }, { value: "b" }] },
      "options are only for data_type options",
      "options",
    ],
    [
      "no model (the official 'too few options' example)",
      { description: "Just a plain old ring", options: [{ value: "1-10" }], archived: false },
      "model must be contact or company",
      "model",
    ],
    ["no name", { model: "contact", data_type: "string" }, "name must be a non-empty string", "name"],
  ])("refuses %s with 400 parameter_invalid", async (_name, body, message, field) => {
    const before = sb.state.dataAttributes("contact").length + sb.state.dataAttributes("company").length;
    const e = expectError(await call("POST", "/data_attributes", { body }), 400, "parameter_invalid");
    expect(e).toEqual({ code: "parameter_invalid", message, field });
    expect(sb.state.dataAttributes("contact").length + sb.state.dataAttributes("company").length).toBe(before);
  });

  it("refuses an unknown field with bad_request", async () => {
    const e = expectError(
      await call("POST", "/data_attributes", { body: { name: "x", model: "contact", data_type: "string", colour: 1 } }),
      400,
      "bad_request",
    );
    expect(e.message).toBe("bad 'colour' parameter");
  });
});

describe("the limit of 250 custom attributes per model", () => {
  const started: Sandbox[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  /** The seed with contact custom attributes filled up to `n` unarchived ones (plus the seed's archived one). */
  function filledTo(n: number) {
    const data = createSeedData();
    const contact = data.data_attributes.filter((a) => a.model === "contact" && !a.archived);
    const template = contact[0]!;
    for (let i = contact.length; i < n; i++)
      data.data_attributes.push({
        ...template,
        id: 50_000 + i,
        name: `filler_${i}`,
        label: `filler_${i}`,
      } as DataAttribute);
    return data;
  }

  it("refuses the 251st, and archiving one makes room", async () => {
    const full = await startSandbox({ data: filledTo(250), onResponse });
    started.push(full);
    const create = api(full);
    const body = { name: "one_too_many", model: "contact", data_type: "string" };
    const e = expectError(await create("POST", "/data_attributes", { body }), 400, "parameter_invalid");
    expect(e.message).toBe(
      "This workspace already has 250 custom people attributes, the most it can hold; archive one to make room",
    );
    // The company model has its own count.
    expect((await create("POST", "/data_attributes", { body: { ...body, model: "company" } })).status).toBe(200);

    const data = filledTo(250);
    data.data_attributes.find((a) => a.name === "filler_100")!.archived = true;
    const roomy = await startSandbox({ data, onResponse });
    started.push(roomy);
    expect((await api(roomy)("POST", "/data_attributes", { body })).status).toBe(200);
  });

  it("lets the 250th in", async () => {
    const sb249 = await startSandbox({ data: filledTo(249), onResponse });
    started.push(sb249);
    const r = await api(sb249)("POST", "/data_attributes", {
      body: { name: "last_one", model: "contact", data_type: "boolean" },
    });
    expect(r.status, r.text).toBe(200);
  });
});

describe("inspection", () => {
  it("shows every attribute of a model, archived ones included, on the admin route and the state view", async () => {
    await call("POST", "/data_attributes", { body: { name: "made_here", model: "company", data_type: "integer" } });
    const admin = await call("GET", "/__sandbox/data_attributes?model=company");
    expect(byFullName(admin.body.data, "custom_attributes.made_here")).toMatchObject({ data_type: "integer" });
    const contact = await call("GET", "/__sandbox/data_attributes");
    expect(byFullName(contact.body.data, `custom_attributes.${A.archived}`)).toMatchObject({ archived: true });
    expect(byFullName(sb.state.dataAttributes() as unknown as Attr[], `custom_attributes.${A.archived}`)).toBeDefined();
    expectError(await call("GET", "/__sandbox/data_attributes?model=ticket"), 400, "parameter_invalid");
  });
});
