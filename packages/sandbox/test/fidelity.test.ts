import { afterAll, beforeAll, expect, it } from "vitest";
import { type Sandbox, SEED, startSandbox } from "../src/index.js";
import { api, recordResponses } from "./helpers.js";

// A tour of every Intercom route the sandbox serves, on 2.15 and 2.16, successes and errors; all bodies are
// validated against the official description after this file (see helpers.ts).
const { onResponse, records } = recordResponses();
let sb: Sandbox;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  sb = await startSandbox({ onResponse });
  call = api(sb);
});
afterAll(() => sb.stop());

const ROUTES = [
  "GET /contacts/:contact_id",
  "PUT /contacts/:contact_id",
  "GET /contacts/find_by_external_id/:external_id",
  "POST /contacts/search",
  "POST /companies",
  "POST /contacts/:contact_id/companies",
  "GET /contacts/:contact_id/companies",
  "GET /contacts/:contact_id/tags",
  "GET /contacts/:contact_id/segments",
];

it.each(["2.15", "2.16"])("serves every route with a 200 the official %s schemas accept", async (version) => {
  sb.reset();
  sb.clearRequests();
  const o = { version };
  for (const ext of SEED.userExternalIds) await call("GET", `/contacts/find_by_external_id/${ext}`, o);
  for (const id of [SEED.lead.id, ...SEED.sharedEmailContactIds]) {
    await call("GET", `/contacts/${id}`, o);
    await call("GET", `/contacts/${id}/companies`, o);
    await call("GET", `/contacts/${id}/tags`, o);
    await call("GET", `/contacts/${id}/segments`, o);
  }
  await call("PUT", `/contacts/${SEED.user.id}`, { ...o, body: { name: "Tour", custom_attributes: { plan: "x" } } });
  await call("POST", "/contacts/search", { ...o, body: { query: { field: "role", operator: "=", value: "user" } } });
  const co = await call("POST", "/companies", { ...o, body: { company_id: "tour", name: "Tour", plan: "Pro" } });
  await call("POST", `/contacts/${SEED.user.id}/companies`, { ...o, body: { id: co.body.id } });
  await call("GET", `/contacts/${SEED.user.id}/companies?per_page=2&page=2`, o);
  await call("GET", `/contacts/${SEED.user.id}/tags`, o);
  await call("GET", `/contacts/${SEED.user.id}/segments`, o);

  const ok = new Set(
    sb
      .requests()
      .filter((r) => r.status === 200)
      .map((r) => `${r.method} ${r.route}`),
  );
  expect([...ok].sort()).toEqual([...ROUTES].sort());
  expect(records.filter((r) => r.version === version && r.status === 200).length).toBeGreaterThan(40);
});

it("sends well-formed errors for each kind of failure", async () => {
  const before = records.length;
  await call("GET", `/contacts/${SEED.unknownId}`);
  await call("GET", `/contacts/${SEED.merged.id}`);
  await call("PUT", `/contacts/${SEED.plainUser.id}`, { body: { email: SEED.user.email } });
  await call("PUT", `/contacts/${SEED.plainUser.id}`, { body: { name: 1 } });
  await call("POST", "/contacts/search", { body: {} });
  await call("POST", "/companies", { body: { test: "invalid" } });
  await call("POST", `/contacts/${SEED.plainUser.id}/companies`, { body: { id: "123" } });
  await call("GET", "/contacts/x", { token: "bad" });
  await call("GET", "/contacts/x", { version: "0.1" });
  await call("GET", "/contacts/x", { headers: { Accept: "text/html" } });
  await call("GET", "/nowhere");
  const statuses = records.slice(before).map((r) => r.status);
  expect(statuses).toEqual([404, 410, 409, 400, 400, 400, 404, 401, 400, 406, 404]);
});
