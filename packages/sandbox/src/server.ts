import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { errorBody, type Reply } from "./errors.js";
import { checkFaultRules, type FaultDecision, FaultPlan, type FaultRule } from "./faults.js";
import type { SandboxData } from "./model.js";
import { checkSandboxData, readState, writeStateAtomic } from "./persist.js";
import { RateLimiter, type RateLimitVerdict } from "./rate-limit.js";
import { matchRoute } from "./routes.js";
import { createSeedData } from "./seed.js";
import { type SandboxStateView, Store, stateView } from "./store.js";
import { companyView, contactView, type JsonObject } from "./views.js";

export const DEFAULT_VERSION = "2.15";
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Every value the `Intercom-Version` header may take (the official enum, 2.16, Preview and Unstable). */
export const INTERCOM_VERSIONS: readonly string[] = [
  "1.0",
  "1.1",
  "1.2",
  "1.3",
  "1.4",
  ...Array.from({ length: 17 }, (_, i) => `2.${i}`),
  "Preview",
  "Unstable",
];

export interface SandboxOptions {
  /** Port on 127.0.0.1 (default 0: a free port). The sandbox never listens on another interface. */
  port?: number;
  /** Bearer token clients must send. Default: random per start. */
  token?: string;
  /**
   * Start from this state instead of the seed (copied), e.g. `createSeedData()` plus thousands of generated
   * contacts for bulk tests and benches. `reset()` returns to it. Ignored when `stateFile` already holds a state.
   */
  data?: SandboxData;
  /** Persist the state as JSON here (written atomically after each change, loaded on start). */
  stateFile?: string;
  /** Requests per minute, split into 10-second windows of ceil(n / 6). Default 10 000. */
  rateLimitPerMinute?: number;
  /** Fixed delay added to every Intercom request, in ms. */
  latencyMs?: number;
  /** Fault rules (see FaultRule); change them at run time with `setFaults`. */
  faults?: FaultRule[];
  /** Seed of the fault PRNG (default 1): the same seed and requests give the same faults. */
  seed?: number;
  /** Clock in ms since the epoch (default Date.now): drives timestamps and rate-limit windows. */
  now?: () => number;
  /** Called with every JSON response the Intercom routes send (not admin routes, not mangled bodies). */
  onResponse?: (method: string, path: string, status: number, body: unknown, meta: ResponseMeta) => void;
  /** Largest accepted request body (default 1 MiB); larger ones get a 400. */
  maxBodyBytes?: number;
  /** Version used when a request has no Intercom-Version header (default "2.15", like an app set to 2.15). */
  defaultVersion?: string;
}

export interface ResponseMeta {
  /** The API version the response was served for (the header, or the default when absent or invalid). */
  version: string;
  requestId: string;
}

export interface RecordedRequest {
  requestId: string;
  method: string;
  /** Path without query, e.g. "/contacts/abc". */
  path: string;
  /** The route template, e.g. "/contacts/:contact_id", or null when no route matched. */
  route: string | null;
  query: Record<string, string>;
  /** Intercom-Version as sent (null when absent). */
  version: string | null;
  /** Accept as sent (null when absent). */
  accept: string | null;
  /** The parsed JSON body, if any. Never the headers (so never the token). */
  body: unknown;
  status: number;
  /** Indexes of the fault rules that fired. */
  faults: number[];
  /** Clock time (ms) when the request arrived. */
  at: number;
}

export interface Sandbox {
  /** e.g. "http://127.0.0.1:43127" (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The bearer token (not enumerable, so logging the object does not print it). */
  readonly token: string;
  /** Inspect the state directly (no HTTP, no rate limit). */
  readonly state: SandboxStateView;
  /** Replace the fault rules (and restart their counters; with `seed`, restart the PRNG). */
  setFaults(rules: FaultRule[], seed?: number): void;
  faults(): { rules: FaultRule[]; seed: number };
  /** Back to the start data (`options.data`, else the seed; also written to the state file) and clear the request log. */
  reset(): void;
  /** The Intercom requests served so far, oldest first (at most the last 10 000). */
  requests(): RecordedRequest[];
  clearRequests(): void;
  /** Close the server and every open socket; pending delayed responses are dropped. */
  stop(): Promise<void>;
}

const MAX_LOG = 10_000;
const SANDBOX_PREFIX = "/__sandbox";

interface BodyRead {
  text: string;
  tooLarge: boolean;
}

function readBody(req: IncomingMessage, max: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        tooLarge = true;
        chunks.length = 0;
        // Keep draining (so the client can read our 400), but stop a runaway upload.
        if (size > max * 16) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve({ text: tooLarge ? "" : Buffer.concat(chunks).toString("utf8"), tooLarge }));
    req.on("error", () => resolve({ text: "", tooLarge }));
    req.on("close", () => resolve({ text: tooLarge ? "" : Buffer.concat(chunks).toString("utf8"), tooLarge }));
  });
}

function acceptsJson(accept: string | undefined): boolean {
  // A missing Accept is served (lenient; see README). Otherwise one media range must allow JSON.
  if (accept === undefined || accept.trim() === "") return true;
  return accept.split(",").some((part) => {
    const type = part.split(";")[0]!.trim().toLowerCase();
    return type === "application/json" || type === "application/*" || type === "*/*";
  });
}

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return false;
  const a = Buffer.from(m[1]!.trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function rateHeaders(v: RateLimitVerdict): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(v.limit),
    "X-RateLimit-Remaining": String(v.remaining),
    "X-RateLimit-Reset": String(v.reset),
  };
}

const STATUS_ERRORS: Record<number, [string, string]> = {
  429: ["rate_limit_exceeded", ""],
  500: ["server_error", "Server Error"],
  502: ["server_error", "Bad Gateway"],
  503: ["service_unavailable", "Service Unavailable"],
  504: ["request_timeout", "Gateway Timeout"],
};

/** Starts a sandbox on 127.0.0.1. Resolves once it is listening. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  const token = options.token ?? `sbx_${randomBytes(24).toString("base64url")}`;
  if (token.length === 0 || /\s/.test(token))
    throw new Error("options.token must be a non-empty string without spaces");
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const defaultVersion = options.defaultVersion ?? DEFAULT_VERSION;
  if (!INTERCOM_VERSIONS.includes(defaultVersion))
    throw new Error(`options.defaultVersion must be one of ${INTERCOM_VERSIONS.join(", ")}`);
  const perMinute = options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
  if (!Number.isFinite(perMinute) || perMinute < 1) throw new Error("options.rateLimitPerMinute must be a number >= 1");
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error("options.latencyMs must be a number >= 0");
  const faultProblem = checkFaultRules(options.faults ?? []);
  if (faultProblem) throw new Error(`options.${faultProblem}`);
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535))
    throw new Error("options.port must be an integer between 0 and 65535");

  if (options.data !== undefined) {
    const problem = checkSandboxData(options.data);
    if (problem) throw new Error(`options.data is not a sandbox state: ${problem}`);
  }
  // Copied now, so later changes to the caller's object change nothing.
  const given = options.data === undefined ? undefined : structuredClone(options.data);
  const startData = (): SandboxData => (given ? structuredClone(given) : createSeedData());
  const loaded = options.stateFile ? readState(options.stateFile) : undefined;
  const store = new Store(loaded ?? startData(), options.stateFile);
  if (options.stateFile && !loaded) writeStateAtomic(options.stateFile, store.data);

  const limiter = new RateLimiter(perMinute);
  const faults = new FaultPlan(options.faults ?? [], options.seed ?? 1);
  let log: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const waiting = new Set<() => void>();
  let stopping = false;
  let baseUrl = "";

  const wait = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            waiting.delete(resolve);
            resolve();
          }, ms);
          timers.add(t);
          waiting.add(resolve);
        });

  function send(res: ServerResponse, status: number, body: JsonObject, headers: Record<string, string>): void {
    if (res.destroyed || res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  }

  function sendFaulty(
    res: ServerResponse,
    status: number,
    body: JsonObject,
    headers: Record<string, string>,
    d: FaultDecision,
  ): void {
    if (res.destroyed || res.headersSent) return;
    const full = Buffer.from(JSON.stringify(body));
    if (d.malformed) {
      const cut = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
      res.writeHead(status, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": String(cut.length),
        ...headers,
      });
      res.end(cut);
      return;
    }
    res.writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": String(full.length),
      ...headers,
    });
    if (d.reset) {
      res.flushHeaders();
      res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.socket?.destroy());
      return;
    }
    const slow = d.slowBody!;
    res.flushHeaders();
    let offset = 0;
    const step = (): void => {
      if (res.destroyed || stopping) return;
      const chunk = full.subarray(offset, offset + slow.chunkBytes);
      offset += chunk.length;
      if (offset >= full.length) {
        res.end(chunk);
        return;
      }
      res.write(chunk);
      const t = setTimeout(() => {
        timers.delete(t);
        step();
      }, slow.intervalMs);
      timers.add(t);
    };
    step();
  }

  function record(entry: RecordedRequest): void {
    log.push(entry);
    if (log.length > MAX_LOG) log = log.slice(log.length - MAX_LOG);
  }

  async function handleIntercom(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const requestId = randomUUID();
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const arrived = now();
    const versionHeader = req.headers["intercom-version"];
    const version = Array.isArray(versionHeader) ? versionHeader[0] : versionHeader;
    const raw = await readBody(req, maxBody);
    const entry: RecordedRequest = {
      requestId,
      method,
      path,
      route: null,
      query: Object.fromEntries(url.searchParams),
      version: version ?? null,
      accept: req.headers.accept ?? null,
      body: undefined,
      status: 0,
      faults: [],
      at: arrived,
    };
    const base = { "X-Request-Id": requestId };
    let served = defaultVersion;
    const reply = (status: number, body: JsonObject, headers: Record<string, string>): void => {
      entry.status = status;
      record(entry);
      send(res, status, body, { ...base, ...headers });
      options.onResponse?.(method, path, status, body, { version: served, requestId });
    };

    if (!tokenMatches(req.headers.authorization, token)) {
      // No rate-limit headers without valid credentials (Intercom documents this).
      reply(401, errorBody(requestId, "unauthorized", "Access Token Invalid"), {});
      return;
    }
    const verdict = limiter.take(now());
    const rl = rateHeaders(verdict);
    if (!verdict.allowed) {
      reply(
        429,
        errorBody(requestId, "rate_limit_exceeded", `Exceeded rate limit of ${verdict.limit} in 10_seconds`),
        rl,
      );
      return;
    }
    if (!acceptsJson(req.headers.accept)) {
      reply(406, errorBody(requestId, "not_acceptable", "The Accept header must allow application/json"), rl);
      return;
    }
    const v = version === undefined ? defaultVersion : version.trim();
    if (INTERCOM_VERSIONS.includes(v)) served = v;
    else {
      reply(
        400,
        errorBody(
          requestId,
          "intercom_version_invalid",
          `Intercom-Version '${v.slice(0, 32)}' is not a valid API version`,
        ),
        rl,
      );
      return;
    }

    const decision = faults.decide(method, path);
    entry.faults = decision.fired;
    await wait(latencyMs + decision.delayMs);
    if (stopping) return;
    if (decision.status !== undefined) {
      const [code, message] = STATUS_ERRORS[decision.status]!;
      const headers =
        decision.status === 429 ? rateHeaders({ ...limiter.peek(now()), remaining: 0 }) : rateHeaders(verdict);
      reply(
        decision.status,
        errorBody(requestId, code, message || `Exceeded rate limit of ${verdict.limit} in 10_seconds`),
        headers,
      );
      return;
    }

    if (raw.tooLarge) {
      reply(400, errorBody(requestId, "bad_request", `Request body is larger than ${maxBody} bytes`), rl);
      return;
    }
    let body: unknown;
    if (raw.text.trim() !== "") {
      try {
        body = JSON.parse(raw.text);
      } catch {
        reply(400, errorBody(requestId, "parameter_invalid", "Request body is not valid JSON"), rl);
        return;
      }
    }
    entry.body = body;

    let segments: string[];
    try {
      segments = path.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      reply(400, errorBody(requestId, "parameter_invalid", "Malformed percent-encoding in the path"), rl);
      return;
    }
    if (segments[0] === "users") {
      // The legacy Users API: gone on 2.x, and not emulated for 1.x.
      if (v.startsWith("1."))
        reply(404, errorBody(requestId, "not_found", "The sandbox does not emulate the legacy 1.x Users API"), rl);
      else
        reply(
          400,
          errorBody(
            requestId,
            "intercom_version_invalid",
            "Requested resource is not available in current API version",
          ),
          rl,
        );
      return;
    }
    const match = matchRoute(method, segments);
    if (match.kind === "none") {
      reply(404, errorBody(requestId, "not_found", "Resource Not Found"), rl);
      return;
    }
    if (match.kind === "method") {
      reply(405, errorBody(requestId, "method_not_allowed", `Method ${method} is not allowed here`), {
        ...rl,
        Allow: match.allowed.join(", "),
      });
      return;
    }
    entry.route = match.template;
    let out: Reply;
    try {
      out = match.handler({
        store,
        method,
        path,
        params: match.params,
        query: url.searchParams,
        body,
        version: v,
        requestId,
        nowSec: Math.floor(now() / 1000),
        baseUrl,
      });
    } catch {
      out = { status: 500, body: errorBody(requestId, "server_error", "Server Error") };
    }
    const headers = { ...base, ...rl, ...out.headers };
    if (decision.reset || decision.malformed || decision.slowBody) {
      entry.status = out.status;
      record(entry);
      if (decision.slowBody && !decision.reset && !decision.malformed)
        options.onResponse?.(method, path, out.status, out.body, { version: served, requestId });
      sendFaulty(res, out.status, out.body, headers, decision);
      return;
    }
    reply(out.status, out.body, { ...rl, ...out.headers });
  }

  function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, text: string): void {
    const requestId = randomUUID();
    const out = adminReply(req, url, text, requestId);
    send(res, out.status, out.body, { "X-Request-Id": requestId });
  }

  function adminReply(req: IncomingMessage, url: URL, text: string, requestId: string): Reply {
    const method = (req.method ?? "GET").toUpperCase();
    const ok = (body: JsonObject): Reply => ({ status: 200, body });
    const err = (status: number, code: string, message: string, field?: string): Reply => ({
      status,
      body: errorBody(requestId, code, message, field),
    });
    if (!tokenMatches(req.headers.authorization, token)) return err(401, "unauthorized", "Access Token Invalid");
    let body: unknown;
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        return err(400, "parameter_invalid", "Request body is not valid JSON");
      }
    }
    const rest = url.pathname
      .slice(SANDBOX_PREFIX.length)
      .split("/")
      .filter(Boolean)
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    const q = url.searchParams;
    const key = `${method} /${rest.map((s, i) => (i === 1 && rest[0] === "contacts" ? ":id" : s)).join("/")}`;
    switch (key) {
      case "GET /contacts": {
        const ext = q.get("external_id");
        const email = q.get("email");
        const filtered = ext !== null || email !== null;
        const rows = store.data.contacts.filter(
          (c) =>
            (ext === null || c.external_id === ext) &&
            (email === null || c.email.toLowerCase() === email.toLowerCase()) &&
            (!filtered || c.merged_into === null),
        );
        return ok({ type: "list", data: rows.map((c) => contactView(store.data, c)), total_count: rows.length });
      }
      case "GET /contacts/:id": {
        const c = store.contact(rest[1]!);
        if (!c) return err(404, "not_found", "User Not Found");
        return ok({ ...contactView(store.data, c), merged_into: c.merged_into ? store.canonicalId(c) : null });
      }
      case "GET /contacts/:id/companies": {
        const c = store.contact(rest[1]!);
        if (!c) return err(404, "not_found", "User Not Found");
        const data = store.attachedCompanies(c).map((co) => companyView(store.data, co));
        return ok({ type: "list", data, total_count: data.length });
      }
      case "GET /companies": {
        const cid = q.get("company_id");
        const rows = store.data.companies.filter((co) => cid === null || co.company_id === cid);
        return ok({ type: "list", data: rows.map((co) => companyView(store.data, co)), total_count: rows.length });
      }
      case "GET /state":
        return ok(structuredClone(store.data) as unknown as JsonObject);
      case "POST /reset":
        api.reset();
        return ok({ ok: true });
      case "GET /faults":
        return ok(faults.get() as unknown as JsonObject);
      case "POST /faults": {
        const b = body as { rules?: unknown; seed?: unknown } | undefined;
        const rules = b?.rules ?? [];
        const problem = checkFaultRules(rules);
        if (problem) return err(400, "parameter_invalid", problem, "rules");
        if (b?.seed !== undefined && !Number.isInteger(b.seed))
          return err(400, "parameter_invalid", "seed must be an integer", "seed");
        faults.set(rules as FaultRule[], b?.seed as number | undefined);
        return ok(faults.get() as unknown as JsonObject);
      }
      case "GET /requests":
        return ok({ type: "list", data: structuredClone(log) as unknown as JsonObject[] });
      case "DELETE /requests":
        log = [];
        return ok({ ok: true });
      default:
        return err(404, "not_found", `No sandbox admin route ${method} ${url.pathname}`);
    }
  }

  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://127.0.0.1");
    } catch {
      send(res, 400, errorBody(randomUUID(), "bad_request", "Malformed request URL"), {});
      return;
    }
    const done = (p: Promise<void>) =>
      p.catch(() => {
        send(res, 500, errorBody(randomUUID(), "server_error", "Server Error"), {});
      });
    if (url.pathname === SANDBOX_PREFIX || url.pathname.startsWith(`${SANDBOX_PREFIX}/`)) {
      done(
        readBody(req, maxBody).then((raw) => {
          if (raw.tooLarge) {
            send(res, 400, errorBody(randomUUID(), "bad_request", "Request body too large"), {});
            return;
          }
          handleAdmin(req, res, url, raw.text);
        }),
      );
      return;
    }
    done(handleIntercom(req, res, url));
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  let stopped: Promise<void> | undefined;
  const api: Sandbox = {
    url: baseUrl,
    port,
    token,
    state: stateView(store),
    setFaults(rules, seed) {
      const problem = checkFaultRules(rules);
      if (problem) throw new Error(problem);
      faults.set(rules, seed);
    },
    faults: () => faults.get(),
    reset() {
      store.replace(startData());
      log = [];
    },
    requests: () => structuredClone(log),
    clearRequests() {
      log = [];
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        stopping = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        // Delayed requests wake up, see `stopping` and drop their response.
        for (const wake of waiting) wake();
        waiting.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
  Object.defineProperty(api, "token", { value: token, enumerable: false });
  return api;
}
