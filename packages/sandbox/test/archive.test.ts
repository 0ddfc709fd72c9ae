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

const user = SEED.plainUser;

/** Every contact route a client could use to reach the contact, with a body where it needs one. */
const contactRoutes = (id: string): [string, string, unknown?][] => [
  ["GET", `/contacts/${id}`],
  ["PUT", `/contacts/${id}`, { name: "x" }],
  ["GET", `/contacts/${id}/companies`],
  ["POST", `/contacts/${id}/companies`, { id: SEED.company.id }],
  ["GET", `/contacts/${id}/tags`],
  ["POST", `/contacts/${id}/tags`, { id: SEED.tags.vip.id }],
  ["DELETE", `/contacts/${id}/tags/${SEED.tags.vip.id}`],
  ["GET", `/contacts/${id}/segments`],
];

describe("POST /contacts/{id}/archive", () => {
  it("answers contact_archived and moves updated_at", async () => {
    clock += 1000;
    const r = await call("POST", `/contacts/${user.id}/archive`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ type: "contact", id: user.id, external_id: user.externalId, archived: true });
    expect(sb.state.isArchived(user.id)).toBe(true);
    expect(sb.state.getContact(user.id)!.updated_at).toBe(Math.floor(clock / 1000));
  });

  it("makes the contact 404 not_found on every contact route, and changes nothing there", async () => {
    await call("POST", `/contacts/${user.id}/archive`);
    const before = sb.state.getContact(user.id);
    for (const [method, path, body] of contactRoutes(user.id)) {
      const e = expectError(await call(method, path, { body }), 404, "not_found");
      expect(e.message, `${method} ${path}`).toBe("User Not Found");
    }
    expect(sb.state.getContact(user.id)).toEqual(before);
    expect(sb.state.tagsOf(user.id).map((t) => t.name)).toEqual(["VIP", "Beta tester"]);
  });

  it("hides it from find_by_external_id and search", async () => {
    await call("POST", `/contacts/${user.id}/archive`);
    expectError(await call("GET", `/contacts/find_by_external_id/${user.externalId}`), 404, "not_found");
    for (const query of [
      { field: "external_id", operator: "=", value: user.externalId },
      { field: "email", operator: "=", value: user.email },
      { field: "id", operator: "=", value: user.id },
    ]) {
      const r = await call("POST", "/contacts/search", { body: { query } });
      expect(r.body.total_count, JSON.stringify(query)).toBe(0);
    }
    const all = await call("POST", "/contacts/search", {
      body: { query: { field: "role", operator: "=", value: "user" } },
    });
    expect(all.body.total_count).toBe(27);
  });

  it("is idempotent", async () => {
    await call("POST", `/contacts/${user.id}/archive`);
    const again = await call("POST", `/contacts/${user.id}/archive`);
    expect(again.body.archived).toBe(true);
  });

  it("answers 404 for an unknown contact, and 404 (2.15) or 410 (2.16) for a merged one", async () => {
    expectError(await call("POST", `/contacts/${SEED.unknownId}/archive`), 404, "not_found");
    expectError(await call("POST", `/contacts/${SEED.merged.id}/archive`), 404, "not_found");
    const gone = await call("POST", `/contacts/${SEED.merged.id}/archive`, { version: "2.16" });
    expectError(gone, 410, "contact_merged");
    expect(gone.headers.get("link")).toBe(`</contacts/${SEED.user.id}>; rel="canonical"`);
  });
});

describe("POST /contacts/{id}/unarchive", () => {
  it("answers contact_unarchived and makes the seeded archived contact visible everywhere again", async () => {
    expectError(await call("GET", `/contacts/${SEED.archived.id}`), 404, "not_found");
    const r = await call("POST", `/contacts/${SEED.archived.id}/unarchive`);
    expect(r.body).toEqual({
      type: "contact",
      id: SEED.archived.id,
      external_id: SEED.archived.externalId,
      archived: false,
    });
    for (const [method, path, body] of contactRoutes(SEED.archived.id))
      expect((await call(method, path, { body })).status, `${method} ${path}`).toBe(200);
    expect((await call("GET", `/contacts/find_by_external_id/${SEED.archived.externalId}`)).body.id).toBe(
      SEED.archived.id,
    );
    expect(sb.state.isArchived(SEED.archived.id)).toBe(false);
  });

  it("is a no-op on a live contact (updated_at unchanged)", async () => {
    const before = sb.state.getContact(user.id)!.updated_at;
    clock += 60_000;
    const r = await call("POST", `/contacts/${user.id}/unarchive`);
    expect(r.body.archived).toBe(false);
    expect(sb.state.getContact(user.id)!.updated_at).toBe(before);
  });

  it("frees nothing while archived: its email and external id stay taken until unarchived", async () => {
    await call("POST", `/contacts/${user.id}/archive`);
    const e = expectError(
      await call("PUT", `/contacts/${SEED.user.id}`, { body: { email: user.email } }),
      409,
      "conflict",
    );
    expect(e.message).toBe(`An archived contact matching those details already exists with id=${user.id}`);
    await call("POST", `/contacts/${user.id}/unarchive`);
    const live = expectError(
      await call("PUT", `/contacts/${SEED.user.id}`, { body: { email: user.email } }),
      409,
      "conflict",
    );
    expect(live.message).toBe(`A contact matching those details already exists with id=${user.id}`);
  });
});

describe("inspection", () => {
  it("shows the archived flag on the admin routes, archived contacts included", async () => {
    const one = await call("GET", `/__sandbox/contacts/${SEED.archived.id}`);
    expect(one.body).toMatchObject({ id: SEED.archived.id, archived: true, merged_into: null });
    const list = await call("GET", `/__sandbox/contacts?external_id=${SEED.archived.externalId}`);
    expect(list.body.data.map((c: { archived: boolean }) => c.archived)).toEqual([true]);
    expect((await call("GET", `/__sandbox/contacts/${SEED.user.id}`)).body.archived).toBe(false);
    expect(sb.state.findByExternalId(SEED.archived.externalId)).toMatchObject({ id: SEED.archived.id });
    expect(sb.state.isArchived(SEED.archived.id)).toBe(true);
    expect(sb.state.isArchived(SEED.unknownId)).toBe(false);
  });
});
