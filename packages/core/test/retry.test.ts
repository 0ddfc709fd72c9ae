import { describe, expect, it } from "vitest";
import { scriptedClient } from "./helpers/scripted-client.js";

const TOKEN = "tok_retry_test_77c3b1e0aa";
const h = scriptedClient(TOKEN);
const { trap, client } = h;

const contact = { status: 200, json: { type: "contact", id: "c1" } };
const errorList = (code: string, message: string) => ({
  type: "error.list",
  request_id: `rid-${code}`,
  errors: [{ code, message }],
});
const nowSeconds = () => Math.floor(h.clock.now() / 1000);

describe("retryable statuses", () => {
  it.each([408, 429, 500, 502, 503, 504])(
    "%i is retried with exponential backoff when no header says when",
    async (status) => {
      h.server.script(
        { status, json: errorList("server_error", "boom") },
        { status, json: errorList("x", "y") },
        contact,
      );
      const c = client();
      const result = trap.add(await c.getContact("c1"));
      expect(result).toMatchObject({ ok: true, attempts: 3 });
      expect(h.server.requests).toHaveLength(3);
      expect(h.clock.sleeps).toEqual([1000, 2000]);
      expect(c.stats()).toMatchObject({ requests: 3, retries: 2, rateLimited: status === 429 ? 2 : 0 });
      expect(h.events.map((e) => e.outcome)).toEqual(["retry", "retry", "ok"]);
      expect(h.events.map((e) => e.delayMs)).toEqual([1000, 2000, undefined]);
    },
  );

  it("Retry-After in seconds wins over X-RateLimit-Reset", async () => {
    h.server.script(
      {
        status: 429,
        json: errorList("rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds"),
        headers: { "retry-after": "7", "x-ratelimit-reset": String(nowSeconds() + 30), "x-ratelimit-remaining": "0" },
      },
      contact,
    );
    const result = trap.add(await client().getContact("c1"));
    expect(result.ok).toBe(true);
    expect(h.clock.sleeps).toEqual([7000]);
  });

  it("Retry-After as an HTTP date waits until that date", async () => {
    const at = new Date(h.clock.now() + 12_000).toUTCString();
    h.server.script(
      { status: 503, json: errorList("service_unavailable", "down"), headers: { "retry-after": at } },
      contact,
    );
    trap.add(await client().getContact("c1"));
    // HTTP dates have whole seconds; the fake clock starts on a whole second.
    expect(h.clock.sleeps).toEqual([12_000]);
  });

  it("a 429 without Retry-After waits until X-RateLimit-Reset plus a little jitter", async () => {
    h.server.script(
      {
        status: 429,
        json: errorList("rate_limit_exceeded", "Exceeded rate limit"),
        headers: {
          "x-ratelimit-limit": "167",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(nowSeconds() + 4),
        },
      },
      contact,
    );
    const c = client();
    trap.add(await c.getContact("c1"));
    // 4000 ms until the reset + 0.5 * min(20% of 4000, 1000) = 400 ms jitter.
    expect(h.clock.sleeps).toEqual([4400]);
    expect(c.stats()).toMatchObject({ rateLimited: 1, retries: 1, pacedWaits: 0 });
  });

  it("a 5xx carrying ordinary rate-limit headers backs off instead of waiting out the window", async () => {
    h.server.script(
      {
        status: 500,
        json: errorList("server_error", "oops"),
        headers: {
          "x-ratelimit-limit": "167",
          "x-ratelimit-remaining": "150",
          "x-ratelimit-reset": String(nowSeconds() + 9),
        },
      },
      contact,
    );
    trap.add(await client().getContact("c1"));
    expect(h.clock.sleeps).toEqual([1000]);
  });

  it("a reset in the past falls back to backoff", async () => {
    h.server.script(
      {
        status: 429,
        json: errorList("rate_limit_exceeded", "x"),
        headers: { "x-ratelimit-reset": String(nowSeconds() - 5) },
      },
      contact,
    );
    trap.add(await client().getContact("c1"));
    expect(h.clock.sleeps).toEqual([1000]);
  });

  it("every delay is capped by maxDelayMs", async () => {
    h.server.script(
      { status: 429, json: errorList("rate_limit_exceeded", "x"), headers: { "retry-after": "3600" } },
      contact,
    );
    trap.add(await client({ maxDelayMs: 5000 }).getContact("c1"));
    expect(h.clock.sleeps).toEqual([5000]);
  });

  it("gives up after maxRetries and says how often it tried", async () => {
    for (let i = 0; i < 3; i++) {
      h.server.script({
        status: 503,
        json: errorList("service_unavailable", "Service Unavailable"),
        headers: { "x-request-id": `hdr-${i}`, "retry-after": "1" },
      });
    }
    const c = client();
    const result = trap.add(await c.getContact("c1"));
    expect(h.server.requests).toHaveLength(3);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      kind: "http",
      status: 503,
      attempts: 3,
      retries: 2,
      requestId: "rid-service_unavailable",
      retryAfter: 1,
      errors: [{ code: "service_unavailable", message: "Service Unavailable", field: null }],
    });
    expect(result.error.message).toBe(
      "Intercom had a server problem with GET /contacts/c1 (503 service_unavailable: Service Unavailable) after 3 attempts; try again later",
    );
    expect(h.events.map((e) => e.outcome)).toEqual(["retry", "retry", "failed"]);
    expect(c.stats()).toEqual({ requests: 3, retries: 2, rateLimited: 0, pacedWaits: 0 });
  });

  it("maxRetries: 0 sends once", async () => {
    h.server.script({ status: 502, raw: "<html>Bad Gateway</html>", headers: { "content-type": "text/html" } });
    const result = trap.add(await client({ maxRetries: 0 }).getContact("c1"));
    expect(h.server.requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, error: { kind: "http", status: 502, attempts: 1, errors: [] } });
    if (!result.ok) expect(result.error.message).toContain("(502 bad gateway: <html>Bad Gateway</html>)");
  });

  it("exhausted 429s report the window reset (with no time for waiting beyond maxRetries)", async () => {
    const reset = nowSeconds() + 2;
    const limited = {
      status: 429,
      json: errorList("rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds"),
      headers: { "x-ratelimit-limit": "167", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
    };
    h.server.script(limited, limited, limited);
    const c = client({ maxRateLimitWaitMs: 0 });
    const result = trap.add(await c.getContact("c1"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      kind: "http",
      status: 429,
      attempts: 3,
      rateLimit: { remaining: 0, resetAt: reset },
    });
    expect(result.error.message).toMatch(
      /^Intercom's rate limit was exceeded \(429 rate_limit_exceeded: Exceeded rate limit of 167 in 10_seconds\) after 3 attempts; the window resets at \d{4}-/,
    );
    expect(c.stats().rateLimited).toBe(3);
  });
});

describe("non-retryable answers come back at once", () => {
  it.each([
    [
      400,
      "parameter_invalid",
      "Email is invalid",
      "Intercom refused PUT /contacts/c1 as invalid (400 parameter_invalid: Email is invalid)",
    ],
    [
      401,
      "unauthorized",
      "Access Token Invalid",
      "Intercom rejected the access token (401 unauthorized: Access Token Invalid)",
    ],
    [
      403,
      "api_plan_restricted",
      "Active subscription needed",
      "Intercom refused PUT /contacts/c1 for this access token: the app may lack a permission or the plan may not include the API (403 api_plan_restricted: Active subscription needed)",
    ],
    [404, "not_found", "User Not Found", "Intercom found nothing at PUT /contacts/c1 (404 not_found: User Not Found)"],
    [
      409,
      "conflict",
      "Multiple existing users match this email address",
      "Intercom reported a conflict for PUT /contacts/c1 (409 conflict: Multiple existing users match this email address)",
    ],
  ])("%i %s", async (status, code, text, message) => {
    h.server.script({ status, json: errorList(code, text), headers: { "retry-after": "5" } });
    const c = client();
    const result = trap.add(await c.updateContact("c1", { email: "bad" }));
    expect(h.server.requests).toHaveLength(1);
    expect(h.clock.sleeps).toEqual([]);
    expect(result).toEqual({
      ok: false,
      error: {
        kind: "http",
        status,
        message,
        method: "PUT",
        path: "/contacts/c1",
        attempts: 1,
        retries: 0,
        errors: [{ code, message: text, field: null }],
        requestId: `rid-${code}`,
        rateLimit: { limit: null, remaining: null, resetAt: null },
        retryAfter: 5,
        link: null,
      },
    });
  });

  it("410 merged keeps the Link to the canonical contact", async () => {
    h.server.script({
      status: 410,
      json: errorList("contact_merged", "Contact was merged"),
      headers: { link: '</contacts/canon1>; rel="canonical"' },
    });
    const result = trap.add(await client().getContact("old1"));
    expect(result).toMatchObject({ ok: false, error: { status: 410, link: '</contacts/canon1>; rel="canonical"' } });
    if (!result.ok)
      expect(result.error.message).toContain("merged into another one; it now lives at </contacts/canon1>");
  });

  it("request id falls back to the X-Request-Id header", async () => {
    h.server.script({
      status: 404,
      json: { type: "error.list", errors: [{ code: "not_found" }] },
      headers: { "x-request-id": "hdr-9" },
    });
    const result = trap.add(await client().getContact("c1"));
    expect(result).toMatchObject({
      ok: false,
      error: { requestId: "hdr-9", errors: [{ code: "not_found", message: null }] },
    });
  });
});

describe("operations that are not safe to repeat", () => {
  it("a company without company_id is not retried after a 503 (it may have been created)", async () => {
    h.server.script({ status: 503, json: errorList("service_unavailable", "x") });
    const result = trap.add(await client().createOrUpdateCompany({ name: "No id Inc" }));
    expect(h.server.requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, error: { status: 503, attempts: 1 } });
  });

  it("but is retried after a 429 (refused before processing)", async () => {
    h.server.script(
      { status: 429, json: errorList("rate_limit_exceeded", "x") },
      { status: 200, json: { type: "company", id: "co" } },
    );
    const result = trap.add(await client().createOrUpdateCompany({ name: "No id Inc" }));
    expect(result).toMatchObject({ ok: true, attempts: 2 });
  });

  it("an upsert keyed by company_id is retried after a 503", async () => {
    h.server.script(
      { status: 503, json: errorList("service_unavailable", "x") },
      { status: 200, json: { type: "company", id: "co" } },
    );
    const result = trap.add(await client().createOrUpdateCompany({ company_id: "acme", name: "Acme" }));
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(h.server.requests.map((r) => r.body)).toEqual([
      '{"company_id":"acme","name":"Acme"}',
      '{"company_id":"acme","name":"Acme"}',
    ]);
  });
});

it("nothing collected in this file contains the token", () => {
  expect(trap.count()).toBeGreaterThan(20);
  trap.assertClean();
});
