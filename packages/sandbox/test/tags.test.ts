import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, SEED, startSandbox } from "../src/index.js";
import { api, expectError, recordResponses } from "./helpers.js";

const { onResponse } = recordResponses();
let clock = Date.UTC(2026, 10, 26, 12, 0, 0);
const nowSec = () => Math.floor(clock / 1000);
let sb: Sandbox;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  sb = await startSandbox({ onResponse, now: () => clock });
  call = api(sb);
});
afterAll(() => sb.stop());
beforeEach(() => sb.reset());

const user = SEED.plainUser; // tagged VIP and Beta tester in the seed
const names = (list: readonly unknown[]) => list.map((t) => (t as { name: string }).name);

describe("GET /tags", () => {
  it("lists the workspace's tags as tag_basic", async () => {
    const r = await call("GET", "/tags");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      type: "list",
      data: Object.values(SEED.tags).map((t) => ({ type: "tag", id: t.id, name: t.name })),
    });
    expect(names(r.body.data)).toEqual([...SEED.tagNames]);
  });
});

describe("POST /tags", () => {
  it("creates a tag with a new id of digits, listed at once", async () => {
    const r = await call("POST", "/tags", { body: { name: "Newsletter" } });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ type: "tag", id: expect.stringMatching(/^\d+$/), name: "Newsletter" });
    expect(Object.values(SEED.tags).map((t) => t.id)).not.toContain(r.body.id);
    expect(names((await call("GET", "/tags")).body.data)).toContain("Newsletter");
    expect(sb.state.tags()).toContainEqual({ type: "tag", id: r.body.id, name: "Newsletter" });
  });

  it("returns the existing tag when the name matches case-insensitively (no duplicate)", async () => {
    const vip = await call("POST", "/tags", { body: { name: "vip" } });
    expect(vip.body).toEqual({ type: "tag", ...SEED.tags.vip });
    const a = await call("POST", "/tags", { body: { name: "Newsletter" } });
    const b = await call("POST", "/tags", { body: { name: " NEWSLETTER " } });
    expect(b.body.id).toBe(a.body.id);
    expect(sb.state.tags()).toHaveLength(SEED.tagNames.length + 1);
  });

  it("answers tag_create_response on 2.16 (users and companies lists)", async () => {
    const r = await call("POST", "/tags", { version: "2.16", body: { name: "Sync" } });
    expect(r.body).toEqual({ type: "tag", ...SEED.tags.sync, users: [], companies: [] });
  });

  it("renames a tag given its id", async () => {
    const r = await call("POST", "/tags", { body: { id: SEED.tags.churnRisk.id, name: "At risk" } });
    expect(r.body).toEqual({ type: "tag", id: SEED.tags.churnRisk.id, name: "At risk" });
    expectError(await call("POST", "/tags", { body: { id: "999999", name: "x" } }), 404, "not_found");
    expectError(
      await call("POST", "/tags", { body: { id: SEED.tags.vip.id, name: "sync" } }),
      400,
      "parameter_invalid",
    );
  });

  it.each([
    ["an unknown parameter (the official example)", { test: "invalid" }],
    ["no name", {}],
    ["an empty name", { name: "  " }],
    ["a name that is not a string", { name: 5 }],
    ["users that are not a list of {id}", { name: "x", users: ["abc"] }],
  ])("refuses %s with 400 parameter_invalid 'invalid tag parameters'", async (_name, body) => {
    const e = expectError(await call("POST", "/tags", { body }), 400, "parameter_invalid");
    expect(e.message).toBe("invalid tag parameters");
    expect(sb.state.tags()).toHaveLength(SEED.tagNames.length);
  });

  it("refuses tagging companies, which the sandbox does not emulate", async () => {
    const e = expectError(
      await call("POST", "/tags", { body: { name: "x", companies: [{ company_id: "366" }] } }),
      400,
      "parameter_invalid",
    );
    expect(e.field).toBe("companies");
  });

  describe("with users", () => {
    const body = { name: "Webinar", users: [{ id: SEED.user.id }, { id: SEED.unknownId }, { id: SEED.archived.id }] };

    it("on 2.15 refuses the whole request (404 User Not Found) when one user is unknown or archived", async () => {
      const e = expectError(await call("POST", "/tags", { body }), 404, "not_found");
      expect(e.message).toBe("User Not Found");
      expect(names(sb.state.tags())).not.toContain("Webinar");
      expect(names(sb.state.tagsOf(SEED.user.id))).toEqual(["Sync"]);
    });

    it("on 2.16 skips unknown users and tags the others", async () => {
      const r = await call("POST", "/tags", { version: "2.16", body });
      expect(r.status, r.text).toBe(200);
      expect(r.body).toMatchObject({ name: "Webinar", users: [{ id: SEED.user.id, tagged: true }], companies: [] });
      expect(names(sb.state.tagsOf(SEED.user.id))).toEqual(["Sync", "Webinar"]);
      expect(names(sb.state.tagsOf(SEED.archived.id))).toEqual(["Churn risk"]);
    });

    it("on 2.15 tags every user when all exist", async () => {
      const r = await call("POST", "/tags", {
        body: { name: "Webinar", users: [{ id: SEED.user.id }, { id: user.id }] },
      });
      expect(r.body).toEqual({ type: "tag", id: expect.any(String), name: "Webinar" });
      expect(names(sb.state.tagsOf(user.id))).toContain("Webinar");
    });
  });
});

describe("POST /contacts/{id}/tags", () => {
  it("tags the contact and answers the tag with applied_at and applied_by", async () => {
    clock += 1000;
    const r = await call("POST", `/contacts/${SEED.user.id}/tags`, { body: { id: SEED.tags.vip.id } });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({
      type: "tag",
      id: SEED.tags.vip.id,
      name: "VIP",
      applied_at: nowSec(),
      applied_by: { type: "admin", id: expect.any(String) },
    });
    expect(names((await call("GET", `/contacts/${SEED.user.id}/tags`)).body.data)).toEqual(["Sync", "VIP"]);
    const contact = await call("GET", `/contacts/${SEED.user.id}`);
    expect(contact.body.tags).toMatchObject({ total_count: 2, data: [{ id: "202" }, { id: SEED.tags.vip.id }] });
    const search = await call("POST", "/contacts/search", {
      body: { query: { field: "tag_id", operator: "=", value: SEED.tags.vip.id } },
    });
    expect(search.body.data.map((c: { id: string }) => c.id)).toContain(SEED.user.id);
  });

  it("is idempotent: tagging again keeps the first applied_at", async () => {
    const first = await call("POST", `/contacts/${SEED.user.id}/tags`, { body: { id: SEED.tags.vip.id } });
    clock += 60_000;
    const again = await call("POST", `/contacts/${SEED.user.id}/tags`, { body: { id: SEED.tags.vip.id } });
    expect(again.body.applied_at).toBe(first.body.applied_at);
    expect(sb.state.tagsOf(SEED.user.id)).toHaveLength(2);
  });

  it("takes a tag id sent as a number (as the official example does)", async () => {
    const r = await call("POST", `/contacts/${SEED.user.id}/tags`, { body: { id: Number(SEED.tags.vip.id) } });
    expect(r.body.id).toBe(SEED.tags.vip.id);
  });

  it("answers 404 not_found 'Resource Not Found' for an unknown tag, 'User Not Found' for an unknown contact", async () => {
    const tag = expectError(
      await call("POST", `/contacts/${SEED.user.id}/tags`, { body: { id: "999999" } }),
      404,
      "not_found",
    );
    expect(tag.message).toBe("Resource Not Found");
    const contact = expectError(
      await call("POST", `/contacts/${SEED.unknownId}/tags`, { body: { id: SEED.tags.vip.id } }),
      404,
      "not_found",
    );
    expect(contact.message).toBe("User Not Found");
  });

  it("answers 400 when no tag is given", async () => {
    const e = expectError(
      await call("POST", `/contacts/${SEED.user.id}/tags`, { body: {} }),
      400,
      "parameter_not_found",
    );
    expect(e).toEqual({ code: "parameter_not_found", message: "tag not specified", field: "id" });
    expectError(await call("POST", `/contacts/${SEED.user.id}/tags`, { body: { id: true } }), 400, "parameter_invalid");
  });
});

describe("DELETE /contacts/{id}/tags/{tag_id}", () => {
  it("untags the contact and answers the tag as it was applied", async () => {
    const applied = sb.state.tagsOf(user.id).find((t) => t.id === SEED.tags.vip.id)!;
    const r = await call("DELETE", `/contacts/${user.id}/tags/${SEED.tags.vip.id}`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual(applied);
    expect(names(sb.state.tagsOf(user.id))).toEqual(["Beta tester"]);
    expect((await call("GET", `/contacts/${user.id}`)).body.tags.total_count).toBe(1);
  });

  it("is idempotent for a tag that exists but is not applied (200 with the tag)", async () => {
    await call("DELETE", `/contacts/${user.id}/tags/${SEED.tags.vip.id}`);
    const again = await call("DELETE", `/contacts/${user.id}/tags/${SEED.tags.vip.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ type: "tag", ...SEED.tags.vip });
  });

  it("answers 404 for an unknown tag or contact", async () => {
    expect(expectError(await call("DELETE", `/contacts/${user.id}/tags/999999`), 404, "not_found").message).toBe(
      "Resource Not Found",
    );
    expect(
      expectError(await call("DELETE", `/contacts/${SEED.unknownId}/tags/${SEED.tags.vip.id}`), 404, "not_found")
        .message,
    ).toBe("User Not Found");
  });
});

describe("inspection", () => {
  it("shows workspace tags and a contact's tags on the admin routes", async () => {
    await call("POST", "/tags", { body: { name: "Admin seen" } });
    const tags = await call("GET", "/__sandbox/tags");
    expect(names(tags.body.data)).toContain("Admin seen");
    // Archived contacts included (the Intercom routes answer 404 for them).
    const archivedTags = await call("GET", `/__sandbox/contacts/${SEED.archived.id}/tags`);
    expect(names(archivedTags.body.data)).toEqual(["Churn risk"]);
    expectError(await call("GET", `/__sandbox/contacts/${SEED.unknownId}/tags`), 404, "not_found");
  });
});
