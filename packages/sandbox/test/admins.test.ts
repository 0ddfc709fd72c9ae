import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, SEED, startSandbox } from "../src/index.js";
import { api, expectError, recordResponses } from "./helpers.js";

const { onResponse } = recordResponses();
let sb: Sandbox;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  sb = await startSandbox({ onResponse });
  call = api(sb);
});
afterAll(() => sb.stop());

describe("GET /admins", () => {
  it("lists the workspace's three admins as an admin_list, one of them away", async () => {
    const r = await call("GET", "/admins");
    expect(r.status).toBe(200);
    expect(r.body.type).toBe("admin.list");
    expect(
      r.body.admins.map((a: { id: string; name: string; email: string }) => ({
        id: a.id,
        name: a.name,
        email: a.email,
      })),
    ).toEqual(SEED.admins);
    for (const a of r.body.admins)
      expect(a).toMatchObject({ type: "admin", has_inbox_seat: expect.any(Boolean), team_ids: expect.any(Array) });
    expect(r.body.admins.filter((a: { away_mode_enabled: boolean }) => a.away_mode_enabled)).toHaveLength(1);
    expect(r.body.admins[0]).not.toHaveProperty("avatar");
  });

  it("adds avatars with display_avatar=true", async () => {
    const r = await call("GET", "/admins?display_avatar=true");
    expect(r.body.admins[0].avatar).toMatch(/^https:\/\//);
    expect(r.body.admins[1].avatar).toBeNull();
  });

  it("gives the ids PUT /contacts takes as owner_id", async () => {
    const [, second] = (await call("GET", "/admins")).body.admins;
    const r = await call("PUT", `/contacts/${SEED.plainUser.id}`, { body: { owner_id: Number(second.id) } });
    expect(r.body.owner_id).toBe(Number(second.id));
  });

  it("is on the admin routes and the state view too", async () => {
    expect((await call("GET", "/__sandbox/admins")).body.admins).toHaveLength(3);
    expect(sb.state.admins().map((a) => a.id)).toEqual(SEED.admins.map((a) => a.id));
  });

  it("needs the token", async () => {
    expectError(await call("GET", "/admins", { token: "wrong" }), 401, "unauthorized");
  });
});
