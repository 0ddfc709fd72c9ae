import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type FaultRule, mulberry32, type Sandbox, SEED, startSandbox } from "../src/index.js";
import { api, expectError, recordResponses } from "./helpers.js";

const { onResponse } = recordResponses();
const started: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function start(faults: FaultRule[], seed = 7, extra: Parameters<typeof startSandbox>[0] = {}) {
  const sb = await startSandbox({ faults, seed, onResponse, ...extra });
  started.push(sb);
  return { sb, call: api(sb) };
}

/** Raw response bytes, so truncated and reset bodies can be inspected. */
function raw(
  sb: Sandbox,
  path: string,
): Promise<{ status: number; body: string; error?: string; headersAt?: number; endAt?: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const req = request(
      `${sb.url}${path}`,
      { headers: { Authorization: `Bearer ${sb.token}`, Accept: "*/*" } },
      (res) => {
        const headersAt = Date.now() - t0;
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode!, body, headersAt, endAt: Date.now() - t0 }));
        res.on("error", (e) => resolve({ status: res.statusCode!, body, error: e.message, headersAt }));
        res.on("aborted", () => resolve({ status: res.statusCode!, body, error: "aborted", headersAt }));
      },
    );
    req.on("error", (e) => resolve({ status: 0, body: "", error: e.message }));
    req.end();
  });
}

describe("mulberry32", () => {
  it("is deterministic per seed and in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });
});

describe("fault rules", () => {
  it("forces a burst of N 429s on matching requests, then serves normally", async () => {
    const { call } = await start([{ method: "GET", path: "/contacts/:id", status: 429, times: 3 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call("GET", `/contacts/${SEED.user.id}`)).status);
    expect(statuses).toEqual([429, 429, 429, 200, 200]);
    // Other routes were never affected.
    const r = await call("GET", "/contacts/find_by_external_id/25");
    expect(r.status).toBe(200);
  });

  it("gives an injected 429 Intercom's body and headers", async () => {
    const { call } = await start([{ status: 429, times: 1 }]);
    const r = await call("GET", `/contacts/${SEED.user.id}`);
    const e = expectError(r, 429, "rate_limit_exceeded");
    expect(e.message).toMatch(/^Exceeded rate limit of \d+ in 10_seconds$/);
    expect(r.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(r.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
  });

  it("answers 500/502/503 with an error.list and applies nothing", async () => {
    const { sb, call } = await start([
      { method: "PUT", status: 503, times: 1 },
      { method: "PUT", status: 500, times: 1 },
      { method: "PUT", status: 502, times: 1 },
    ]);
    expectError(await call("PUT", `/contacts/${SEED.user.id}`, { body: { name: "A" } }), 503, "service_unavailable");
    expectError(await call("PUT", `/contacts/${SEED.user.id}`, { body: { name: "B" } }), 500, "server_error");
    expectError(await call("PUT", `/contacts/${SEED.user.id}`, { body: { name: "C" } }), 502, "server_error");
    expect(sb.state.getContact(SEED.user.id)!.name).toBe("Joe Example");
    expect((await call("PUT", `/contacts/${SEED.user.id}`, { body: { name: "D" } })).status).toBe(200);
  });

  it("is deterministic under a seed: the same seed gives the same sequence, another seed a different one", async () => {
    const rules: FaultRule[] = [{ path: "/contacts/*", status: 503, probability: 0.5 }];
    const run = async (seed: number) => {
      const { sb, call } = await start(rules, seed);
      const out: number[] = [];
      for (let i = 0; i < 24; i++) out.push((await call("GET", `/contacts/${SEED.user.id}`)).status);
      await sb.stop();
      return out;
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.filter((s) => s === 503).length).toBeGreaterThan(3);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(3);
  });

  it("picks among a list of statuses with the seeded PRNG", async () => {
    const { call } = await start([{ status: [500, 502, 503] }], 99);
    const seen = new Set<number>();
    for (let i = 0; i < 30; i++) seen.add((await call("GET", `/contacts/${SEED.user.id}`)).status);
    expect([...seen].sort()).toEqual([500, 502, 503]);
  });

  it("adds latency and jitter", async () => {
    const { call } = await start([{ path: "/contacts/:id", latencyMs: 120, jitterMs: 30 }]);
    const t0 = Date.now();
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(115);
  });

  it("sends malformed JSON (status 200, truncated body) after applying the change", async () => {
    const { sb, call } = await start([{ method: "PUT", malformed: true, times: 1 }]);
    const r = await call("PUT", `/contacts/${SEED.user.id}`, { body: { name: "Applied" } });
    expect(r.status).toBe(200);
    expect(r.body).toBeUndefined();
    expect(() => JSON.parse(r.text)).toThrow();
    expect(r.text.startsWith('{"type":"contact"')).toBe(true);
    expect(sb.state.getContact(SEED.user.id)!.name).toBe("Applied");
  });

  it("resets the connection mid-response", async () => {
    const { sb } = await start([{ method: "GET", reset: true, times: 1 }]);
    const r = await raw(sb, `/contacts/${SEED.user.id}`);
    expect(r.error).toBeDefined();
    expect(r.body.length).toBeLessThan(2000);
    // The next request is fine.
    const ok = await raw(sb, `/contacts/${SEED.user.id}`);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).id).toBe(SEED.user.id);
  });

  it("trickles a slow body after sending the headers at once", async () => {
    const { sb } = await start([{ method: "GET", slowBody: { chunkBytes: 600, intervalMs: 40 }, times: 1 }]);
    const r = await raw(sb, `/contacts/${SEED.user.id}`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).id).toBe(SEED.user.id);
    const chunks = Math.ceil(Buffer.byteLength(r.body) / 600);
    expect(r.endAt! - r.headersAt!).toBeGreaterThanOrEqual((chunks - 1) * 40 - 15);
  });

  it("can be changed at run time with setFaults and through the admin route", async () => {
    const { sb, call } = await start([]);
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(200);
    sb.setFaults([{ status: 500, times: 1 }]);
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(500);
    const set = await call("POST", "/__sandbox/faults", { body: { rules: [{ status: 502, times: 1 }], seed: 3 } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ rules: [{ status: 502, times: 1 }], seed: 3 });
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(502);
    expect((await call("GET", `/contacts/${SEED.user.id}`)).status).toBe(200);
    expect((await call("GET", "/__sandbox/faults")).body.rules).toEqual([{ status: 502, times: 1 }]);
  });

  it("rejects bad rules with a message naming the field", async () => {
    const { sb, call } = await start([]);
    expect(() => sb.setFaults([{ status: 302 }])).toThrow(/faults\[0\]\.status must be a 4xx or 5xx status/);
    expect(() => sb.setFaults([{ status: [] }])).toThrow(/faults\[0\]\.status/);
    const r = await call("POST", "/__sandbox/faults", { body: { rules: [{ probability: 2 }] } });
    const e = expectError(r, 400, "parameter_invalid");
    expect(e.message).toContain("faults[0].probability");
    await expect(startSandbox({ faults: [{ latencyMs: -1 }] })).rejects.toThrow(/faults\[0\]\.latencyMs/);
  });

  it("records which rules fired", async () => {
    const { sb, call } = await start([{ path: "/companies", status: 503, times: 1 }]);
    await call("POST", "/companies", { body: { company_id: "x" } });
    await call("POST", "/companies", { body: { company_id: "x" } });
    expect(sb.requests().map((r) => [r.status, r.faults])).toEqual([
      [503, [0]],
      [200, []],
    ]);
  });

  it("stop() does not wait for a delayed response", async () => {
    const { sb } = await start([{ latencyMs: 30_000 }]);
    const pending = raw(sb, `/contacts/${SEED.user.id}`);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await sb.stop();
    expect(Date.now() - t0).toBeLessThan(2000);
    const r = await pending;
    expect(r.error ?? r.status).toBeDefined();
  });
});

describe("fault rules on the workspace routes", () => {
  it("fail tagging a contact with 503 once (nothing applied), matched by method and route template", async () => {
    const { sb, call } = await start([{ method: "POST", path: "/contacts/:contact_id/tags", status: 503, times: 1 }]);
    const body = { id: SEED.tags.vip.id };
    expectError(await call("POST", `/contacts/${SEED.user.id}/tags`, { body }), 503, "service_unavailable");
    expect(sb.state.tagsOf(SEED.user.id).map((t) => t.name)).toEqual(["Sync"]);
    // Other methods on the same path, and the next request, are served.
    expect((await call("GET", `/contacts/${SEED.user.id}/tags`)).status).toBe(200);
    expect((await call("POST", `/contacts/${SEED.user.id}/tags`, { body })).status).toBe(200);
    expect(sb.requests().map((r) => [r.method, r.route, r.status, r.faults])).toEqual([
      ["POST", "/contacts/:contact_id/tags", 503, [0]],
      ["GET", "/contacts/:contact_id/tags", 200, []],
      ["POST", "/contacts/:contact_id/tags", 200, []],
    ]);
  });

  it("reset an untag mid-response after applying it", async () => {
    const { sb, call } = await start([{ method: "DELETE", path: "/contacts/:id/tags/:tag_id", reset: true, times: 1 }]);
    await expect(call("DELETE", `/contacts/${SEED.user.id}/tags/${SEED.tags.sync.id}`)).rejects.toThrow();
    expect(sb.state.tagsOf(SEED.user.id)).toEqual([]);
    expect(sb.requests().at(-1)).toMatchObject({ route: "/contacts/:contact_id/tags/:tag_id", faults: [0] });
  });

  it("rate-limit only the data attribute routes", async () => {
    const { sb, call } = await start([{ path: "/data_attributes", status: 429, times: 2 }]);
    const body = { name: "faulty", model: "contact", data_type: "string" };
    expectError(await call("POST", "/data_attributes", { body }), 429, "rate_limit_exceeded");
    expect((await call("GET", "/admins")).status).toBe(200);
    expectError(await call("GET", "/data_attributes"), 429, "rate_limit_exceeded");
    expect(sb.state.dataAttributes().some((a) => a.name === "faulty")).toBe(false);
    expect((await call("POST", "/data_attributes", { body })).status).toBe(200);
  });

  it("tell archive from unarchive", async () => {
    const { sb, call } = await start([{ method: "POST", path: "/contacts/:contact_id/archive", status: 500 }]);
    expectError(await call("POST", `/contacts/${SEED.plainUser.id}/archive`), 500, "server_error");
    expect(sb.state.isArchived(SEED.plainUser.id)).toBe(false);
    expect((await call("POST", `/contacts/${SEED.archived.id}/unarchive`)).status).toBe(200);
  });
});

describe("any 4xx/5xx, redirects and stalls", () => {
  it.each([
    [400, "parameter_invalid"],
    [401, "unauthorized"],
    [402, "api_plan_restricted"],
    [403, "api_plan_restricted"],
    [404, "not_found"],
    [408, "request_timeout"],
    [409, "conflict"],
    [410, "contact_merged"],
    [418, "client_error"],
    [422, "unprocessable_entity"],
    [500, "server_error"],
    [501, "server_error"],
    [503, "service_unavailable"],
    [599, "server_error"],
  ])("%i answers an error.list with code %s instead of handling the request: nothing changes", async (status, code) => {
    const { sb, call } = await start([{ method: "PUT", path: "/contacts/:id", status }]);
    const r = await call("PUT", `/contacts/${SEED.user.id}`, { body: { name: "Never Stored" } });
    const e = expectError(r, status, code);
    expect(e.message.length).toBeGreaterThan(0);
    expect(r.headers.get("x-request-id")).toBe(r.body.request_id);
    expect(sb.state.getContact(SEED.user.id)!.name).toBe("Joe Example");
    expect(sb.requests().map((q) => [q.method, q.route, q.status, q.faults])).toEqual([
      ["PUT", "/contacts/:contact_id", status, [0]],
    ]);
  });

  it("a rule's own code and message win, and a 410 can name the contact it was merged into (Link)", async () => {
    const { call } = await start([
      { method: "PUT", status: 400, code: "parameter_not_found", message: "email is required", times: 1 },
      { method: "GET", path: "/contacts/find_by_external_id/:id", status: 410, mergedInto: SEED.user.id },
      { method: "GET", path: "/contacts/:id", status: 410 },
    ]);
    const custom = expectError(
      await call("PUT", `/contacts/${SEED.user.id}`, { body: {} }),
      400,
      "parameter_not_found",
    );
    expect(custom.message).toBe("email is required");
    const merged = await call("GET", "/contacts/find_by_external_id/25");
    expectError(merged, 410, "contact_merged");
    expect(merged.headers.get("link")).toBe(`</contacts/${SEED.user.id}>; rel="canonical"`);
    const bare = await call("GET", `/contacts/${SEED.user.id}`);
    expectError(bare, 410, "contact_merged");
    expect(bare.headers.get("link")).toBeNull();
  });

  it.each([301, 302, 307] as const)("redirect %i: Location, no body, nothing handled, logged", async (status) => {
    const { sb } = await start([{ method: "PUT", redirect: { status, location: "https://elsewhere.example/x" } }]);
    const res = await fetch(`${sb.url}/contacts/${SEED.user.id}`, {
      method: "PUT",
      redirect: "manual",
      headers: { Authorization: `Bearer ${sb.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Never Stored" }),
    });
    expect(res.status).toBe(status);
    expect(res.headers.get("location")).toBe("https://elsewhere.example/x");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.text()).toBe("");
    expect(sb.state.getContact(SEED.user.id)!.name).toBe("Joe Example");
    expect(sb.requests().map((q) => [q.method, q.status, q.faults])).toEqual([["PUT", status, [0]]]);
  });

  it("stall: the request is held unanswered and unhandled until the client gives up; then logged with status 0", async () => {
    const { sb } = await start([{ method: "PUT", stall: true, times: 1 }]);
    const t0 = Date.now();
    const put = fetch(`${sb.url}/contacts/${SEED.user.id}`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${sb.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Never Stored" }),
      signal: AbortSignal.timeout(300),
    });
    await expect(put).rejects.toThrow();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    await expect.poll(() => sb.requests().map((q) => [q.method, q.status, q.faults])).toEqual([["PUT", 0, [0]]]);
    expect(sb.state.getContact(SEED.user.id)!.name).toBe("Joe Example");
    // The rule is spent: the next request is served.
    const again = await api(sb)("PUT", `/contacts/${SEED.user.id}`, { body: { name: "Stored" } });
    expect(again.status).toBe(200);
  });

  it('stall "after": the change is applied, the answer never comes (an answer lost to a timeout)', async () => {
    const { sb } = await start([{ method: "PUT", stall: "after" }]);
    const put = fetch(`${sb.url}/contacts/${SEED.user.id}`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${sb.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Stored Unanswered" }),
      signal: AbortSignal.timeout(200),
    });
    await expect(put).rejects.toThrow();
    expect(sb.state.getContact(SEED.user.id)!.name).toBe("Stored Unanswered");
    await expect.poll(() => sb.requests().map((q) => [q.method, q.status])).toEqual([["PUT", 200]]);
  });

  it("stop() ends held requests at once", async () => {
    const { sb } = await start([{ stall: true }]);
    const pending = raw(sb, `/contacts/${SEED.user.id}`);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await sb.stop();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect((await pending).error).toBeDefined();
  });

  it.each([
    [{ status: 399 }, "faults[0].status must be a 4xx or 5xx status"],
    [{ status: 600 }, "faults[0].status must be a 4xx or 5xx status"],
    [{ status: 404.5 }, "faults[0].status must be a 4xx or 5xx status"],
    [{ status: [500, 200] }, "faults[0].status must be a 4xx or 5xx status"],
    [{ status: 500, reset: true }, "faults[0] may have only one of"],
    [{ stall: true, redirect: { status: 302, location: "/x" } }, "faults[0] may have only one of"],
    [{ code: "x" }, "faults[0].code needs a status"],
    [{ status: 400, code: "" }, "faults[0].code must be a non-empty string"],
    [{ status: 400, message: 5 }, "faults[0].message must be a non-empty string"],
    [{ status: 404, mergedInto: "abc" }, "faults[0].mergedInto goes with status 410 only"],
    [{ status: 410, mergedInto: "a\ud800" }, "faults[0].mergedInto must be well-formed text"],
    [{ redirect: { status: 200, location: "/x" } }, "faults[0].redirect.status must be one of"],
    [{ redirect: { status: 301 } }, "faults[0].redirect.location must be a non-empty header value"],
    [
      { redirect: { status: 301, location: "/x\r\nX: y" } },
      "faults[0].redirect.location must be a non-empty header value",
    ],
    [{ redirect: { status: 301, location: "/x", to: 1 } }, "faults[0].redirect.to is not a known setting"],
    [{ redirect: "/x" }, "faults[0].redirect must be"],
    [{ stall: "before" }, "faults[0].stall must be true"],
  ])("refuses %j", async (rule, message) => {
    const { sb, call } = await start([]);
    expect(() => sb.setFaults([rule as FaultRule])).toThrow(message);
    const r = await call("POST", "/__sandbox/faults", { body: { rules: [rule] } });
    expect(expectError(r, 400, "parameter_invalid").message).toContain(message);
  });

  it("the new settings are kept as given (admin route round trip)", async () => {
    const rules: FaultRule[] = [
      { method: "GET", status: 410, mergedInto: SEED.user.id, message: "gone" },
      { method: "PUT", redirect: { status: 307, location: "/elsewhere" } },
      { method: "POST", stall: "after", times: 2 },
    ];
    const { call } = await start([]);
    const set = await call("POST", "/__sandbox/faults", { body: { rules } });
    expect(set.body.rules).toEqual(rules);
  });
});
