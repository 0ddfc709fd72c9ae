import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTERCOM_VERSIONS, type Sandbox, SEED, startSandbox } from "../src/index.js";
import { api, expectError, recordResponses, UUID } from "./helpers.js";

const { onResponse, records } = recordResponses();
let sb: Sandbox;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  sb = await startSandbox({ onResponse, maxBodyBytes: 4096 });
  call = api(sb);
});
afterAll(() => sb.stop());

describe("listening", () => {
  it("binds to 127.0.0.1 with a random token that is not enumerable", () => {
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sb.port).toBeGreaterThan(0);
    expect(sb.token).toMatch(/^sbx_[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify(sb)).not.toContain(sb.token);
    expect(Object.keys(sb)).not.toContain("token");
  });

  it("gives each start its own token", async () => {
    const other = await startSandbox();
    try {
      expect(other.token).not.toBe(sb.token);
      expect(other.port).not.toBe(sb.port);
    } finally {
      await other.stop();
    }
  });
});

describe("auth", () => {
  it.each([
    ["missing", null],
    ["wrong", "not-the-token"],
  ])("answers 401 for a %s token, without rate-limit headers", async (_name, token) => {
    const r = await call("GET", `/contacts/${SEED.user.id}`, { token });
    const e = expectError(r, 401, "unauthorized");
    expect(e.message).toBe("Access Token Invalid");
    expect(r.headers.get("x-ratelimit-limit")).toBeNull();
    expect(r.headers.get("x-ratelimit-remaining")).toBeNull();
  });

  it("rejects a non-Bearer scheme", async () => {
    const r = await call("GET", `/contacts/${SEED.user.id}`, {
      token: null,
      headers: { Authorization: `Basic ${Buffer.from(`${sb.token}:`).toString("base64")}` },
    });
    expectError(r, 401, "unauthorized");
  });

  it("answers authenticated requests with rate-limit headers and a request id", async () => {
    const r = await call("GET", `/contacts/${SEED.user.id}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("x-ratelimit-limit")).toBe("1667");
    expect(Number(r.headers.get("x-ratelimit-remaining"))).toBeLessThan(1667);
    expect(Number(r.headers.get("x-ratelimit-reset")) % 10).toBe(0);
    expect(r.headers.get("x-request-id")).toMatch(UUID);
    expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
  });
});

describe("Intercom-Version", () => {
  it("defaults to 2.15 when absent", async () => {
    const r = await call("GET", `/contacts/${SEED.user.id}`, { version: null });
    expect(r.status).toBe(200);
    expect(r.body.owner_id).toBe(321452);
  });

  it.each(["2.0", "2.7", "2.14", "2.15", "2.16", "Preview", "Unstable", "1.4"])("accepts %s", async (v) => {
    const r = await call("GET", `/contacts/${SEED.plainUser.id}`, { version: v });
    expect(r.status).toBe(200);
  });

  it.each(["3.0", "2.17", "latest", "preview", ""])("rejects %j with 400 intercom_version_invalid", async (v) => {
    expectError(await call("GET", `/contacts/${SEED.user.id}`, { version: v }), 400, "intercom_version_invalid");
  });

  it("knows the whole official enum", () => {
    for (const v of ["1.0", "1.1", "1.2", "1.3", "1.4", "2.0", "2.9", "2.10", "2.13", "2.15", "2.16"])
      expect(INTERCOM_VERSIONS).toContain(v);
  });

  it("answers the legacy /users route like 2.x does, and 404 on 1.x", async () => {
    const e = expectError(
      await call("POST", "/users", { body: { user_id: "25", name: "x" } }),
      400,
      "intercom_version_invalid",
    );
    expect(e.message).toBe("Requested resource is not available in current API version");
    expectError(await call("POST", "/users", { version: "1.4", body: { user_id: "25" } }), 404, "not_found");
  });
});

describe("Accept", () => {
  it.each(["application/json", "*/*", "application/json, text/plain", "application/*;q=0.8", "text/html, */*;q=0.1"])(
    "accepts %j",
    async (accept) => {
      const r = await call("GET", `/contacts/${SEED.user.id}`, { headers: { Accept: accept } });
      expect(r.status).toBe(200);
    },
  );

  it.each(["text/html", "application/xml", "text/plain, image/png"])("answers 406 for %j", async (accept) => {
    expectError(await call("GET", `/contacts/${SEED.user.id}`, { headers: { Accept: accept } }), 406, "not_acceptable");
  });
});

describe("malformed requests", () => {
  it("answers 400 parameter_invalid for invalid JSON", async () => {
    const r = await call("PUT", `/contacts/${SEED.user.id}`, { rawBody: '{"name": "x",' });
    expectError(r, 400, "parameter_invalid");
    expect(sb.state.getContact(SEED.user.id)!.name).toBe("Joe Example");
  });

  it.each([
    ["PUT", `/contacts/${SEED.user.id}`, '{"__proto__": {"name": "x"}}', "bad_request"],
    ["PUT", `/contacts/${SEED.user.id}`, '{"custom_attributes": {"__proto__": 1}}', "parameter_invalid"],
    ["POST", "/companies", '{"company_id": "p", "__proto__": 1}', "bad_request"],
    ["POST", "/companies", '{"company_id": "p", "custom_attributes": {"constructor": "x"}}', "parameter_invalid"],
    [
      "POST",
      "/contacts/search",
      '{"query": {"field": "__proto__", "operator": "=", "value": "x"}}',
      "parameter_invalid",
    ],
    [
      "POST",
      "/contacts/search",
      '{"query": {"field": "role", "operator": "=", "value": "user"}, "sort": {"field": "__proto__"}}',
      null,
    ],
  ])("never crashes on prototype keys: %s %s %s", async (method, path, rawBody, code) => {
    const r = await call(method, path, { rawBody });
    if (code === null) expect(r.status).toBe(200);
    else expectError(r, 400, code);
    expect(({} as Record<string, unknown>).name).toBeUndefined();
  });

  it("answers 400 for a body over the limit, and keeps serving", async () => {
    const r = await call("PUT", `/contacts/${SEED.user.id}`, { body: { name: "x".repeat(10_000) } });
    expectError(r, 400, "bad_request");
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(200);
  });

  it("answers 404 for unknown routes and 405 for a known route with the wrong method", async () => {
    const e = expectError(await call("GET", "/nope"), 404, "not_found");
    expect(e.message).toBe("Resource Not Found");
    const companies = await call("DELETE", "/companies");
    expectError(companies, 405, "method_not_allowed");
    expect(companies.headers.get("allow")).toBe("POST, GET");
    const r = await call("DELETE", `/contacts/${SEED.user.id}/tags`);
    expectError(r, 405, "method_not_allowed");
    expect(r.headers.get("allow")).toBe("GET, POST");
    const tag = await call("GET", `/contacts/${SEED.user.id}/tags/${SEED.tags.sync.id}`);
    expectError(tag, 405, "method_not_allowed");
    expect(tag.headers.get("allow")).toBe("DELETE");
  });

  it("answers 400 for a malformed percent-encoding", async () => {
    expectError(await call("GET", "/contacts/find_by_external_id/%E0%A4%A"), 400, "parameter_invalid");
  });

  it("answers a raw HTTP garbage line with 400 and closes, without crashing", async () => {
    const { connect } = await import("node:net");
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect(sb.port, "127.0.0.1", () => s.write("THIS IS NOT HTTP\r\n\r\n"));
      let got = "";
      s.on("data", (d) => {
        got += d.toString();
      });
      s.on("end", () => resolve(got));
      s.on("error", reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(200);
  });

  it("handles a client that aborts mid-upload", async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${sb.url}/contacts/${SEED.user.id}`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${sb.token}`, "Content-Length": "1000", "Content-Type": "application/json" },
      });
      req.on("error", () => resolve());
      req.write('{"name":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    expect((await call("GET", `/contacts/${SEED.user.id}`)).body.name).toBe("Joe Example");
  });
});

describe("request log", () => {
  it("records method, route, version and body, never headers", async () => {
    sb.clearRequests();
    await call("PUT", `/contacts/${SEED.plainUser.id}`, { body: { unsubscribed_from_emails: false } });
    const [entry] = sb.requests();
    expect(entry).toMatchObject({
      method: "PUT",
      path: `/contacts/${SEED.plainUser.id}`,
      route: "/contacts/:contact_id",
      version: "2.15",
      body: { unsubscribed_from_emails: false },
      status: 200,
    });
    expect(JSON.stringify(sb.requests())).not.toContain(sb.token);
  });

  it("has recorded what was sent to the fidelity check", () => {
    expect(records.some((r) => r.status === 401)).toBe(true);
  });
});
