import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Delays } from "./delays.js";
import { errorBody, type Reply } from "./errors.js";
import { injectedStatusBody, injectedStatusHeaders, sendFaulty, sendRedirect, untilClosed } from "./fault-replies.js";
import type { FaultDecision, FaultPlan } from "./faults.js";
import { acceptsJson, parseJsonBody, pathSegments, rateHeaders, readBody, sendJson, tokenMatches } from "./http-io.js";
import type { Settings } from "./options.js";
import type { RateLimiter, RateLimitVerdict } from "./rate-limit.js";
import type { RecordedRequest, RequestLog } from "./request-log.js";
import { matchRoute, type RouteMatch } from "./routes/index.js";
import type { Store } from "./store.js";
import { INTERCOM_VERSIONS } from "./versions.js";

function servedVersion(header: string | undefined, dflt: string): string {
  const v = header?.trim();
  return v !== undefined && INTERCOM_VERSIONS.includes(v) ? v : dflt;
}

export interface PipelineDeps {
  settings: Settings;
  store: Store;
  limiter: RateLimiter;
  faults: FaultPlan;
  log: RequestLog;
  delays: Delays;
  baseUrl: () => string;
}

/** One Intercom request in flight: what is known so far, and how to answer it. */
interface Exchange {
  requestId: string;
  method: string;
  path: string;
  url: URL;
  req: IncomingMessage;
  res: ServerResponse;
  entry: RecordedRequest;
  /** The version the answer is served for: the header when it is a valid version, else the default. */
  served: string;
  /** Rate-limit headers, once the request was counted. */
  rl: Record<string, string>;
}

/**
 * The request pipeline for Intercom routes, in Intercom's order: auth, rate limit, Accept, Intercom-Version,
 * faults (and latency), body, route. Each gate either lets the request through or answers it.
 */
export function createIntercomHandler(deps: PipelineDeps) {
  const { settings, limiter, faults, log, delays } = deps;

  function reply(x: Exchange, status: number, body: Reply["body"], headers: Record<string, string>): void {
    x.entry.status = status;
    log.add(x.entry);
    sendJson(x.res, status, body, { "X-Request-Id": x.requestId, ...headers });
    settings.onResponse?.(x.method, x.path, status, body, {
      version: x.served,
      requestId: x.requestId,
      route: x.entry.route,
    });
  }

  const fail = (x: Exchange, status: number, code: string, message: string, headers = x.rl): void =>
    reply(x, status, errorBody(x.requestId, code, message), headers);

  /** Auth, rate limit, Accept and version; returns the verdict when the request may go on. */
  function admit(x: Exchange): RateLimitVerdict | undefined {
    if (!tokenMatches(x.req.headers.authorization, settings.token)) {
      // No rate-limit headers without valid credentials (Intercom documents this).
      fail(x, 401, "unauthorized", "Access Token Invalid", {});
      return undefined;
    }
    const verdict = limiter.take(settings.now());
    x.rl = rateHeaders(verdict);
    if (!verdict.allowed) {
      fail(x, 429, "rate_limit_exceeded", `Exceeded rate limit of ${verdict.limit} in 10_seconds`);
      return undefined;
    }
    if (!acceptsJson(x.req.headers.accept)) {
      fail(x, 406, "not_acceptable", "The Accept header must allow application/json");
      return undefined;
    }
    const sent = x.entry.version;
    const v = sent === null ? settings.defaultVersion : sent.trim();
    if (!INTERCOM_VERSIONS.includes(v)) {
      fail(x, 400, "intercom_version_invalid", `Intercom-Version '${v.slice(0, 32)}' is not a valid API version`);
      return undefined;
    }
    return verdict;
  }

  /** An injected status answers instead of the route (nothing changes). */
  function answerInjected(x: Exchange, decision: FaultDecision, verdict: RateLimitVerdict): void {
    const status = decision.status!;
    const headers =
      status === 429 ? rateHeaders({ ...limiter.peek(settings.now()), remaining: 0 }) : rateHeaders(verdict);
    reply(x, status, injectedStatusBody(x.requestId, status, verdict.limit, decision), {
      ...headers,
      ...injectedStatusHeaders(decision),
    });
  }

  /** A redirect answers instead of the route (nothing changes); it has no body, so onResponse does not hear of it. */
  function answerRedirect(x: Exchange, decision: FaultDecision): void {
    const redirect = decision.redirect!;
    x.entry.status = redirect.status;
    log.add(x.entry);
    sendRedirect(x.res, redirect, { "X-Request-Id": x.requestId, ...x.rl });
  }

  /**
   * No answer at all, until the client gives up (or the sandbox stops); then logged with `status`: 0 when the
   * request was not handled, the handler's status when it was (as for a reset).
   */
  async function hold(x: Exchange, status = 0): Promise<void> {
    await untilClosed(x.res);
    x.entry.status = status;
    log.add(x.entry);
  }

  /** Routes the request; an exception in a handler is a 500, never a crash. */
  function dispatch(
    x: Exchange,
    body: unknown,
    decision: FaultDecision,
    segments: string[] | undefined,
    match: RouteMatch,
  ): void {
    if (!segments) {
      fail(x, 400, "parameter_invalid", "Malformed percent-encoding in the path");
      return;
    }
    if (segments[0] === "users") {
      // The legacy Users API: gone on 2.x, and not emulated for 1.x.
      if (x.served.startsWith("1.")) fail(x, 404, "not_found", "The sandbox does not emulate the legacy 1.x Users API");
      else fail(x, 400, "intercom_version_invalid", "Requested resource is not available in current API version");
      return;
    }
    if (match.kind === "none") {
      fail(x, 404, "not_found", "Resource Not Found");
      return;
    }
    if (match.kind === "method") {
      fail(x, 405, "method_not_allowed", `Method ${x.method} is not allowed here`, {
        ...x.rl,
        Allow: match.allowed.join(", "),
      });
      return;
    }
    let out: Reply;
    try {
      out = match.handler({
        store: deps.store,
        method: x.method,
        path: x.path,
        params: match.params,
        query: x.url.searchParams,
        body,
        version: x.served,
        requestId: x.requestId,
        nowSec: Math.floor(settings.now() / 1000),
        baseUrl: deps.baseUrl(),
      });
    } catch {
      out = { status: 500, body: errorBody(x.requestId, "server_error", "Server Error") };
    }
    if (decision.stall === "after") {
      // Handled (changes ARE applied), but the answer never leaves: the client times out.
      void hold(x, out.status);
      return;
    }
    if (decision.reset || decision.malformed || decision.slowBody) {
      x.entry.status = out.status;
      log.add(x.entry);
      // A slow body still arrives whole, so it is reported; cut or truncated ones are not.
      if (decision.slowBody && !decision.reset && !decision.malformed)
        settings.onResponse?.(x.method, x.path, out.status, out.body, {
          version: x.served,
          requestId: x.requestId,
          route: x.entry.route,
        });
      sendFaulty(
        x.res,
        out.status,
        out.body,
        { "X-Request-Id": x.requestId, ...x.rl, ...out.headers },
        decision,
        delays,
      );
      return;
    }
    reply(x, out.status, out.body, { ...x.rl, ...out.headers });
  }

  return async function handleIntercom(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const versionHeader = req.headers["intercom-version"];
    const version = Array.isArray(versionHeader) ? versionHeader[0] : versionHeader;
    const method = (req.method ?? "GET").toUpperCase();
    const requestId = randomUUID();
    const arrived = settings.now();
    const raw = await readBody(req, settings.maxBodyBytes);
    const x: Exchange = {
      requestId,
      method,
      path: url.pathname,
      url,
      req,
      res,
      served: servedVersion(version, settings.defaultVersion),
      rl: {},
      entry: {
        requestId,
        method,
        path: url.pathname,
        route: null,
        query: Object.fromEntries(url.searchParams),
        version: version ?? null,
        accept: req.headers.accept ?? null,
        body: undefined,
        status: 0,
        faults: [],
        at: arrived,
      },
    };
    const verdict = admit(x);
    if (!verdict) return;
    // Known before faults fire, so the log and onResponse name the route of an injected failure too.
    const segments = pathSegments(x.path);
    const match: RouteMatch = segments ? matchRoute(method, segments) : { kind: "none" };
    if (match.kind === "found" && segments?.[0] !== "users") x.entry.route = match.template;

    const decision = faults.decide(method, x.path);
    x.entry.faults = decision.fired;
    await delays.wait(settings.latencyMs + decision.delayMs);
    if (delays.stopped) return;
    if (decision.status !== undefined) {
      answerInjected(x, decision, verdict);
      return;
    }
    if (decision.redirect) {
      answerRedirect(x, decision);
      return;
    }
    if (decision.stall === true) {
      await hold(x);
      return;
    }
    if (raw.tooLarge) {
      fail(x, 400, "bad_request", `Request body is larger than ${settings.maxBodyBytes} bytes`);
      return;
    }
    const parsed = parseJsonBody(raw.text);
    if ("invalid" in parsed) {
      fail(x, 400, "parameter_invalid", "Request body is not valid JSON");
      return;
    }
    x.entry.body = parsed.value;
    dispatch(x, parsed.value, decision, segments, match);
  };
}
