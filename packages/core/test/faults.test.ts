import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createIntercomClient,
  describeFailure,
  type IntercomClientOptions,
  type RequestEvent,
  systemClock,
} from "../src/index.js";
import { type FakeClock, fakeClock } from "./helpers/fake-clock.js";
import { leakTrap } from "./helpers/leak-trap.js";
import { type ScriptServer, startScriptServer } from "./helpers/script-server.js";

const TOKEN = "tok_faults_test_3f8a61d2c0";
const trap = leakTrap(TOKEN);
let server: ScriptServer;
let other: ScriptServer;
let clock: FakeClock;
let events: RequestEvent[];

beforeAll(async () => {
  server = await startScriptServer();
  other = await startScriptServer();
});
afterAll(async () => {
  await server.close();
  await other.close();
});
beforeEach(() => {
  server.reset();
  other.reset();
  clock = fakeClock();
  events = [];
});

function client(extra: Partial<IntercomClientOptions> = {}) {
  return createIntercomClient({
    token: TOKEN,
    baseUrl: server.url,
    clock,
    random: () => 0.5,
    onEvent: (e) => events.push(trap.add(e)),
    ...extra,
  });
}

async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe("timeouts", () => {
  it("a server that never answers times out per attempt, is retried, then reported", async () => {
    server.script("hang", "hang");
    const started = Date.now();
    const result = trap.add(await client({ timeoutMs: 80, maxRetries: 1 }).getContact("c1"));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.requests).toHaveLength(2);
    expect(result).toEqual({
      ok: false,
      error: {
        kind: "timeout",
        timeoutMs: 80,
        method: "GET",
        path: "/contacts/c1",
        attempts: 2,
        retries: 1,
        message: `No answer from ${server.url} within 0.08s (2 attempts)`,
      },
    });
    expect(events.map((e) => [e.outcome, e.status])).toEqual([
      ["retry", null],
      ["failed", null],
    ]);
  });

  it("the default message names the 20 s limit", async () => {
    server.script("hang");
    const c = client({ maxRetries: 0, timeoutMs: 20_000 });
    const controller = new AbortController();
    // Not waiting 20 s: check the wording through a short twin, and that a long timeout is still abortable.
    setTimeout(() => controller.abort(), 30);
    const aborted = trap.add(await c.getContact("c1", { signal: controller.signal }));
    expect(aborted).toMatchObject({ ok: false, error: { kind: "aborted" } });
    server.script("hang");
    const short = trap.add(await client({ maxRetries: 0, timeoutMs: 50 }).getContact("c1"));
    expect(short.ok ? "" : short.error.message).toBe(`No answer from ${server.url} within 0.05s`);
  });

  it("a slow body counts against the same timeout", async () => {
    server.script((_req) => ({ status: 200, json: { id: "late" }, delayMs: 300 }));
    const result = trap.add(await client({ timeoutMs: 60, maxRetries: 0 }).getContact("c1"));
    expect(result).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });
});

describe("network errors", () => {
  it("a connection reset is retried, then reported as one actionable line", async () => {
    server.script("reset", "reset", "reset");
    const c = client();
    const result = trap.add(await c.getContact("c1"));
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(result).toMatchObject({
      ok: false,
      error: { kind: "network", attempts: 3, retries: 2, cause: "ECONNRESET", notSent: false },
    });
    if (!result.ok) {
      expect(result.error.message).toBe(
        `Could not reach ${server.url}: connection reset (ECONNRESET) after 3 attempts`,
      );
    }
  });

  it("a closed connection then an answer succeeds", async () => {
    server.script("destroy", { status: 200, json: { id: "c1" } });
    const result = trap.add(await client().getContact("c1"));
    expect(result).toMatchObject({ ok: true, attempts: 2, data: { id: "c1" } });
  });

  it("connection refused", async () => {
    const url = await closedPortUrl();
    const result = trap.add(await client({ baseUrl: url, maxRetries: 1 }).getContact("c1"));
    // Refused every time: the request never reached anyone, so a write certainly was not made.
    expect(result).toMatchObject({
      ok: false,
      error: { kind: "network", cause: "ECONNREFUSED", attempts: 2, notSent: true },
    });
    if (!result.ok)
      expect(result.error.message).toBe(`Could not reach ${url}: connection refused (ECONNREFUSED) after 2 attempts`);
  });

  it("a reset on a company create without company_id is not retried (it may have been created)", async () => {
    server.script("reset");
    const result = trap.add(await client().createOrUpdateCompany({ name: "Acme" }));
    expect(server.requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, error: { kind: "network", attempts: 1 } });
  });
});

describe("malformed answers", () => {
  const html = "<html><body>Please log in to the proxy</body></html>";

  it("a 2xx that is not JSON is retried (it comes from something in between), then reported with a snippet", async () => {
    server.script(
      { status: 200, raw: html, headers: { "content-type": "text/html", "x-request-id": "px-1" } },
      { status: 200, raw: html, headers: { "content-type": "text/html", "x-request-id": "px-2" } },
      { status: 200, raw: html, headers: { "content-type": "text/html", "x-request-id": "px-3" } },
    );
    const result = trap.add(await client().getContact("c1"));
    expect(server.requests).toHaveLength(3);
    expect(result).toEqual({
      ok: false,
      error: {
        kind: "malformed",
        status: 200,
        requestId: "px-3",
        bodySnippet: html,
        method: "GET",
        path: "/contacts/c1",
        attempts: 3,
        retries: 2,
        message: `Intercom answered GET /contacts/c1 (200) with a body that is not JSON: "${html}" after 3 attempts; a proxy or firewall in between may be interfering`,
      },
    });
  });

  it("a truncated JSON body then a good one succeeds", async () => {
    server.script(
      { status: 200, raw: '{"type":"contact","id":' },
      { status: 200, json: { type: "contact", id: "c1" } },
    );
    expect(trap.add(await client().getContact("c1"))).toMatchObject({ ok: true, attempts: 2 });
  });

  it("an empty 200 is malformed; long bodies are cut to a short snippet", async () => {
    server.script({ status: 200, raw: "" }, { status: 200, raw: "x".repeat(5000) });
    const empty = trap.add(await client({ maxRetries: 0 }).getContact("c1"));
    expect(empty.ok ? "" : empty.error.message).toContain("with an empty body where JSON was expected");
    const long = trap.add(await client({ maxRetries: 0 }).getContact("c1"));
    expect(long.ok).toBe(false);
    if (!long.ok && long.error.kind === "malformed") expect(long.error.bodySnippet.length).toBeLessThanOrEqual(200);
  });

  it("an error status with a non-JSON body stays an http failure with the snippet in its message", async () => {
    server.script({ status: 401, raw: "Unauthorized", headers: { "content-type": "text/plain" } });
    const result = trap.add(await client().getContact("c1"));
    expect(result).toMatchObject({ ok: false, error: { kind: "http", status: 401, errors: [] } });
    if (!result.ok)
      expect(result.error.message).toBe("Intercom rejected the access token (401 unauthorized: Unauthorized)");
  });
});

describe("abort", () => {
  it("an already aborted signal sends nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = trap.add(await client().getContact("c1", { signal: controller.signal }));
    expect(result).toEqual({
      ok: false,
      error: {
        kind: "aborted",
        method: "GET",
        path: "/contacts/c1",
        attempts: 0,
        retries: 0,
        message: "The request GET /contacts/c1 was cancelled before Intercom answered",
      },
    });
    expect(server.requests).toHaveLength(0);
  });

  it("aborting a request in flight stops it and does not retry", async () => {
    server.script("hang", "hang");
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user pressed Esc")), 40);
    const result = trap.add(await client().getContact("c1", { signal: controller.signal }));
    expect(result).toMatchObject({ ok: false, error: { kind: "aborted", attempts: 1 } });
    expect(server.requests).toHaveLength(1);
  });

  it("aborting during a retry wait ends the wait at once", async () => {
    server.script({
      status: 503,
      json: { type: "error.list", errors: [{ code: "service_unavailable" }] },
      headers: { "retry-after": "30" },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 40);
    const started = Date.now();
    const result = trap.add(await client({ clock: systemClock }).getContact("c1", { signal: controller.signal }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ ok: false, error: { kind: "aborted", attempts: 1 } });
    expect(server.requests).toHaveLength(1);
  });
});

describe("redirects", () => {
  it("a redirect to another origin is not followed, so the token never reaches it", async () => {
    server.script({ status: 302, headers: { location: `${other.url}/contacts/c1?steal=1` } });
    const result = trap.add(await client().getContact("c1"));
    expect(other.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, error: { kind: "http", status: 302, attempts: 1 } });
    if (!result.ok) {
      expect(result.error.message).toBe(
        `Intercom answered GET /contacts/c1 with a redirect (302) to ${other.url}/contacts/c1; it was not followed so the access token is only ever sent to ${server.url}: check baseUrl/region`,
      );
    }
  });

  it("a 307 to the same origin is not followed either (no surprise re-sends of a body)", async () => {
    server.script({ status: 307, headers: { location: "/contacts/c2" } });
    const result = trap.add(await client().updateContact("c1", { name: "A" }));
    expect(server.requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, error: { status: 307 } });
  });
});

describe("with an injected fetch", () => {
  it("one that ignores its signal still times out (the attempt is raced, not just signalled)", async () => {
    const seen: RequestInit[] = [];
    const fetch = ((_url: string, init: RequestInit) => {
      seen.push(init);
      return new Promise<Response>(() => {});
    }) as unknown as typeof globalThis.fetch;
    const result = trap.add(await client({ fetch, timeoutMs: 30, maxRetries: 1 }).getContact("c1"));
    expect(result).toMatchObject({ ok: false, error: { kind: "timeout", attempts: 2 } });
    expect(seen).toHaveLength(2);
    expect(seen.every((init) => init.signal?.aborted)).toBe(true);
    expect(seen[0]?.redirect).toBe("manual");
  });

  it("an opaque redirect (status 0, as browser-like fetches report manual redirects) is a redirect failure", async () => {
    const fetch = (async () =>
      ({
        status: 0,
        statusText: "",
        headers: new Headers(),
        text: async () => "",
      }) as unknown as Response) as typeof globalThis.fetch;
    const result = trap.add(await client({ fetch }).getContact("c1"));
    expect(result).toMatchObject({ ok: false, error: { kind: "http", status: 0, attempts: 1 } });
    if (!result.ok)
      expect(result.error.message).toMatch(
        /^Intercom answered GET \/contacts\/c1 with a redirect; it was not followed/,
      );
  });

  it("the headers it receives cannot be changed for later requests", async () => {
    const sent: Record<string, string>[] = [];
    const fetch = (async (_url: string, init: RequestInit) => {
      const headers = init.headers as Record<string, string>;
      sent.push({ ...headers });
      try {
        headers["x-evil"] = "1";
      } catch {
        // frozen: fine
      }
      return new Response('{"id":"c1"}', { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const c = client({ fetch });
    trap.add(await c.getContact("c1"));
    trap.add(await c.getContact("c1"));
    expect(sent[1]).not.toHaveProperty("x-evil");
  });
});

describe("redaction", () => {
  it("a server that echoes the token gets it redacted in every field", async () => {
    server.script(
      {
        status: 401,
        json: {
          type: "error.list",
          request_id: `rid-${TOKEN}`,
          errors: [{ code: "unauthorized", message: `Token ${TOKEN} is invalid`, field: TOKEN }],
        },
        headers: { link: `<https://x/?t=${TOKEN}>`, "retry-after": "1" },
      },
      { status: 200, raw: `<p>Bearer ${TOKEN}</p>` },
      { status: 302, headers: { location: `https://elsewhere.example/${TOKEN}/x` } },
    );
    const c = client({ maxRetries: 0 });
    const a = trap.add(await c.getContact("c1"));
    const b = trap.add(await c.getContact("c1"));
    const d = trap.add(await c.getContact("c1"));
    for (const r of [a, b, d]) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        trap.add(describeFailure(r.error));
        expect(JSON.stringify(r)).toContain("[redacted]");
      }
    }
    expect(a).toMatchObject({
      ok: false,
      error: {
        message: "Intercom rejected the access token (401 unauthorized: Token [redacted] is invalid)",
        errors: [{ code: "unauthorized", message: "Token [redacted] is invalid", field: "[redacted]" }],
        requestId: "rid-[redacted]",
        link: "<https://x/?t=[redacted]>",
      },
    });
    expect(b).toMatchObject({ ok: false, error: { kind: "malformed", bodySnippet: "<p>Bearer [redacted]</p>" } });
    expect(d.ok ? "" : d.error.message).toContain("https://elsewhere.example/[redacted]/x");
  });

  it("describeFailure adds what support asks for", async () => {
    server.script({
      status: 404,
      json: { type: "error.list", request_id: "req-77", errors: [{ code: "not_found", message: "User Not Found" }] },
    });
    const result = trap.add(await client().getContact("nobody"));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(describeFailure(result.error)).toBe(
        "Intercom found nothing at GET /contacts/nobody (404 not_found: User Not Found) [GET /contacts/nobody, request id req-77, 1 attempt]",
      );
    }
  });

  it("nothing collected across the fault tests contains the token", () => {
    expect(trap.count()).toBeGreaterThan(30);
    trap.assertClean();
  });
});
