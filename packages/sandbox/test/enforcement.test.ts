import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, SEED, startSandbox } from "../src/index.js";
import { api, expectError, recordResponses } from "./helpers.js";

// What PUT /contacts/{id} refuses, and the exact codes and messages the domain must recognise.
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

const put = (id: string, body: unknown, version = "2.15") => call("PUT", `/contacts/${id}`, { body, version });
const stored = (id = SEED.user.id) => sb.state.getContact(id)!;

describe("custom attributes", () => {
  it.each([
    ["unknown", { shoe_size: 44 }, "Custom attribute 'shoe_size' does not exist"],
    ["string given a number", { [A.string]: 5 }, `Custom attribute '${A.string}' must be a string`],
    ["integer given 1.5", { [A.integer]: 1.5 }, `Custom attribute '${A.integer}' must be an integer`],
    ["integer given a numeric string", { [A.integer]: "3" }, `Custom attribute '${A.integer}' must be an integer`],
    ["float given a string", { [A.float]: "1.5" }, `Custom attribute '${A.float}' must be a number`],
    ["boolean given a string", { [A.boolean]: "true" }, `Custom attribute '${A.boolean}' must be a boolean`],
    [
      "date given an ISO string",
      { [A.date]: "2024-01-01" },
      `Custom attribute '${A.date}' must be a Unix timestamp (integer seconds)`,
    ],
    ["date given 1.5", { [A.date]: 1.5 }, `Custom attribute '${A.date}' must be a Unix timestamp (integer seconds)`],
    ["archived", { [A.archived]: "gold" }, `Custom attribute '${A.archived}' is archived`],
    ["archived, even null", { [A.archived]: null }, `Custom attribute '${A.archived}' is archived`],
    ["not API-writable", { [A.readOnly]: 80 }, `Custom attribute '${A.readOnly}' is not writable through the API`],
    [
      "list outside its options",
      { [A.list.name]: "gold" },
      `Custom attribute 'subscription' must be one of free, pro, enterprise`,
    ],
    [
      "list in another case",
      { [A.list.name]: "Pro" },
      `Custom attribute 'subscription' must be one of free, pro, enterprise`,
    ],
  ])(
    "refuses %s with 400 parameter_invalid naming the attribute, and changes nothing",
    async (_name, custom, message) => {
      const before = stored();
      const e = expectError(
        await put(SEED.user.id, { name: "Changed", custom_attributes: custom }),
        400,
        "parameter_invalid",
      );
      expect(e.message).toBe(message);
      expect(e.field).toBe(`custom_attributes.${Object.keys(custom)[0]}`);
      expect(stored()).toEqual(before);
    },
  );

  it.each([
    ["a string", { [A.string]: "CTO" }],
    ["an integer", { [A.integer]: 12 }],
    ["a float", { [A.float]: 12.75 }],
    ["an integer into a float", { [A.float]: 12 }],
    ["a boolean", { [A.boolean]: false }],
    ["a Unix timestamp", { [A.date]: 1_700_000_000 }],
    ["a list option", { [A.list.name]: "enterprise" }],
    ["null into a list", { [A.list.name]: null }],
    ["null (clears)", { [A.integer]: null }],
  ])("takes %s", async (_name, custom) => {
    const r = await put(SEED.user.id, { custom_attributes: custom });
    expect(r.status, r.text).toBe(200);
    expect(r.body.custom_attributes).toMatchObject(custom);
    expect(stored().custom_attributes).toMatchObject(custom);
  });

  it("checks every attribute before applying any", async () => {
    const e = expectError(
      await put(SEED.user.id, { custom_attributes: { [A.string]: "CTO", [A.integer]: "x" } }),
      400,
      "parameter_invalid",
    );
    expect(e.field).toBe(`custom_attributes.${A.integer}`);
    expect(stored().custom_attributes).not.toHaveProperty(A.string);
  });
});

describe("role", () => {
  it("converts a lead to a user (then find_by_external_id finds it)", async () => {
    expectError(await call("GET", `/contacts/find_by_external_id/${SEED.lead.externalId}`), 404, "not_found");
    const r = await put(SEED.lead.id, { role: "user" });
    expect(r.status, r.text).toBe(200);
    expect(r.body.role).toBe("user");
    expect((await call("GET", `/contacts/find_by_external_id/${SEED.lead.externalId}`)).body.id).toBe(SEED.lead.id);
  });

  it("refuses to convert a user to a lead", async () => {
    const e = expectError(await put(SEED.user.id, { role: "lead" }), 400, "parameter_invalid");
    expect(e).toEqual({
      code: "parameter_invalid",
      message: "This contact is a user, and a user can't be converted into a lead",
      field: "role",
    });
    expect(stored().role).toBe("user");
  });

  it("keeps a user a user, and refuses any other role", async () => {
    expect((await put(SEED.user.id, { role: "user" })).status).toBe(200);
    expect(expectError(await put(SEED.user.id, { role: "visitor" }), 400, "parameter_invalid").message).toBe(
      "role must be user or lead",
    );
  });
});

describe("external_id and email conflicts", () => {
  it("refuses another contact's external_id with 409 naming it", async () => {
    const e = expectError(await put(SEED.plainUser.id, { external_id: SEED.user.externalId }), 409, "conflict");
    expect(e.message).toBe(`A contact matching those details already exists with id=${SEED.user.id}`);
    expect(stored(SEED.plainUser.id).external_id).toBe(SEED.plainUser.externalId);
  });

  it("refuses an archived contact's email or external_id with a 409 that says it is archived", async () => {
    for (const body of [{ email: SEED.archived.email.toUpperCase() }, { external_id: SEED.archived.externalId }]) {
      const e = expectError(await put(SEED.plainUser.id, body), 409, "conflict");
      expect(e.message).toBe(`An archived contact matching those details already exists with id=${SEED.archived.id}`);
    }
  });

  it("lets a merged contact's external_id be taken (the merged contact is gone)", async () => {
    const r = await put(SEED.plainUser.id, { external_id: SEED.merged.externalId });
    expect(r.status, r.text).toBe(200);
  });
});

describe("owner_id", () => {
  const [first, , away] = SEED.admins;

  it("takes an admin's id as an integer on 2.15 and a string on 2.16, and null clears it", async () => {
    expect((await put(SEED.plainUser.id, { owner_id: Number(away!.id) })).body.owner_id).toBe(Number(away!.id));
    expect((await put(SEED.plainUser.id, { owner_id: first!.id }, "2.16")).body.owner_id).toBe(first!.id);
    expect((await put(SEED.plainUser.id, { owner_id: null })).body.owner_id).toBeNull();
  });

  it.each([
    ["2.15", 999, "owner_id 999 is not an admin of this workspace"],
    ["2.16", "999", "owner_id 999 is not an admin of this workspace"],
    ["2.16", "abc", "owner_id abc is not an admin of this workspace"],
  ])("on %s refuses %j, not an admin, with 400 parameter_invalid", async (version, owner, message) => {
    const e = expectError(await put(SEED.user.id, { owner_id: owner }, version), 400, "parameter_invalid");
    expect(e).toEqual({ code: "parameter_invalid", message, field: "owner_id" });
    expect(stored().owner_id).toBe(321452);
  });

  it.each([
    ["2.15", "321453", "owner_id must be an integer or null"],
    ["2.16", 321453, "owner_id must be a string or null"],
  ])("on %s refuses the other version's form (%j)", async (version, owner, message) => {
    const e = expectError(await put(SEED.user.id, { owner_id: owner }, version), 400, "parameter_invalid");
    expect(e.message).toBe(message);
  });
});

describe("avatar, signed_up_at, last_seen_at", () => {
  it("sets the avatar from an image URL, and null removes it", async () => {
    const r = await put(SEED.plainUser.id, { avatar: "https://example.com/me.png" });
    expect(r.body.avatar).toEqual({ type: "avatar", image_url: "https://example.com/me.png" });
    expect((await put(SEED.plainUser.id, { avatar: null })).body.avatar).toBeNull();
    expectError(await put(SEED.plainUser.id, { avatar: "me.png" }), 400, "parameter_invalid");
  });

  it("sets signed_up_at and last_seen_at in Unix seconds", async () => {
    const r = await put(SEED.user.id, { signed_up_at: 1_600_000_000, last_seen_at: 1_700_000_000 });
    expect(r.body).toMatchObject({ signed_up_at: 1_600_000_000, last_seen_at: 1_700_000_000 });
    expect(expectError(await put(SEED.user.id, { last_seen_at: 1.5 }), 400, "parameter_invalid").field).toBe(
      "last_seen_at",
    );
  });
});

describe("email_verified", () => {
  it("on 2.16 needs email in the same request", async () => {
    const e = expectError(await put(SEED.user.id, { email_verified: true }, "2.16"), 400, "parameter_invalid");
    expect(e).toEqual({
      code: "parameter_invalid",
      message: "email_verified must be sent together with email",
      field: "email_verified",
    });
    expect((await put(SEED.user.id, { email: SEED.user.email, email_verified: false }, "2.16")).status).toBe(200);
    expectError(
      await put(SEED.user.id, { email: SEED.user.email, email_verified: "yes" }, "2.16"),
      400,
      "parameter_invalid",
    );
  });

  it("on 2.15 (not in its schema) is ignored: 200, nothing changes", async () => {
    const before = stored();
    clock += 5000;
    const r = await put(SEED.user.id, { email_verified: true });
    expect(r.status, r.text).toBe(200);
    expect(stored()).toEqual(before);
  });
});

describe("what a PUT changes", () => {
  it("leaves fields it did not send unchanged", async () => {
    const before = stored();
    const r = await put(SEED.user.id, { phone: "+353 1 555 0000" });
    const { phone, updated_at, ...rest } = r.body;
    const { phone: _p, updated_at: _u, ...restBefore } = before;
    expect(phone).toBe("+353 1 555 0000");
    expect(rest).toEqual(restBefore);
  });

  it("moves updated_at to the clock when something changed", async () => {
    clock += 60_000;
    const r = await put(SEED.user.id, { name: "Joe Changed" });
    expect(r.body.updated_at).toBe(Math.floor(clock / 1000));
  });

  it.each([
    ["an empty body", {}],
    ["the same values", { name: "Joe Example", email: "joe@example.com", phone: "555671243" }],
    ["a custom attribute's current value", { custom_attributes: { team_mates: 9 } }],
    ["the current owner", { owner_id: 321452 }],
  ])("leaves updated_at alone for %s", async (_name, body) => {
    const before = stored().updated_at;
    clock += 60_000;
    const r = await put(SEED.user.id, body);
    expect(r.status, r.text).toBe(200);
    expect(r.body.updated_at).toBe(before);
    expect(stored().updated_at).toBe(before);
  });

  it("still refuses an unknown top-level field", async () => {
    expect(expectError(await put(SEED.user.id, { nickname: "Jo" }), 400, "bad_request").message).toBe(
      "bad 'nickname' parameter",
    );
  });
});

describe("POST /contacts (create)", () => {
  it("creates a contact, findable at once, with the version's owner_id form", async () => {
    clock += 1000;
    const r = await call("POST", "/contacts", {
      version: "2.16",
      body: { email: "new.person@example.com", external_id: "new-1", name: "New Person", owner_id: "321453" },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({
      type: "contact",
      role: "user",
      email: "new.person@example.com",
      external_id: "new-1",
      owner_id: "321453",
      created_at: Math.floor(clock / 1000),
      signed_up_at: null,
    });
    expect((await call("GET", "/contacts/find_by_external_id/new-1")).body.id).toBe(r.body.id);
  });

  it("creates a lead from a role alone", async () => {
    const r = await call("POST", "/contacts", { body: { role: "lead" } });
    expect(r.body).toMatchObject({ role: "lead", email: "", external_id: null });
  });

  it("needs an email, external_id or role", async () => {
    const e = expectError(await call("POST", "/contacts", { body: { name: "Nobody" } }), 400, "parameter_not_found");
    expect(e.message).toBe("email, external_id or role is required");
  });

  it("refuses a live or archived contact's email with 409", async () => {
    const live = expectError(await call("POST", "/contacts", { body: { email: SEED.user.email } }), 409, "conflict");
    expect(live.message).toBe(`A contact matching those details already exists with id=${SEED.user.id}`);
    const archived = expectError(
      await call("POST", "/contacts", { body: { email: SEED.archived.email } }),
      409,
      "conflict",
    );
    expect(archived.message).toBe(
      `An archived contact matching those details already exists with id=${SEED.archived.id}`,
    );
  });

  it("applies the same custom attribute rules", async () => {
    const before = sb.state.listContacts().length;
    expectError(
      await call("POST", "/contacts", {
        body: { email: "x@example.com", custom_attributes: { [A.list.name]: "gold" } },
      }),
      400,
      "parameter_invalid",
    );
    expect(sb.state.listContacts()).toHaveLength(before);
  });
});
