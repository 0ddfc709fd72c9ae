import {
  abortedFailureMessage,
  classifyNetworkError,
  httpFailureMessage,
  malformedFailureMessage,
  networkFailureMessage,
  parseErrorItems,
  SNIPPET_LENGTH,
  timeoutFailureMessage,
} from "./failure.js";
import type { Pacer } from "./pacing.js";
import { oneLine, redact } from "./redact.js";
import { computeRetryDelay, isRetryableStatus, parseRateLimit, parseRetryAfterMs } from "./retry-policy.js";
import type { Clock, IntercomFailure, IntercomResult, RateLimitInfo, RequestEvent, WaitReason } from "./types.js";

export interface OperationSpec {
  /**
   * Safe to send twice. Only such operations are retried after the request may have reached Intercom (timeouts,
   * resets, 5xx); others are retried only when it certainly did not (connection refused, 429).
   */
  idempotent: boolean;
}

/**
 * What openapi-fetch builds for us. Passed to it as its `Request` constructor: a plain holder instead of a WHATWG
 * Request keeps the JSON body a string (re-sendable on every retry without cloning a stream) and saves building a
 * Request that fetch would rebuild anyway.
 */
export class OutgoingRequest {
  readonly url: string;
  readonly method: string;
  readonly body: string | undefined;
  constructor(url: string, init: { method?: string; body?: unknown }) {
    this.url = url;
    this.method = init.method ?? "GET";
    if (init.body !== undefined && init.body !== null && typeof init.body !== "string") {
      throw new TypeError("intercom-kit: request bodies must serialize to a JSON string");
    }
    this.body = init.body ?? undefined;
  }
}

export interface TransportConfig {
  /** Normalised, without trailing slash. */
  baseUrl: string;
  token: string;
  /** Sent as Intercom-Version. */
  version: string;
  timeoutMs: number;
  maxRetries: number;
  maxDelayMs: number;
  maxRateLimitWaitMs: number;
  fetch: typeof fetch;
  clock: Clock;
  random: () => number;
  onEvent: ((event: RequestEvent) => void) | undefined;
  pacer: Pacer;
}

export interface TransportStats {
  requests: number;
  retries: number;
  rateLimited: number;
  pacedWaits: number;
}

export interface Transport {
  send(op: OperationSpec, request: OutgoingRequest, signal: AbortSignal | undefined): Promise<IntercomResult<unknown>>;
  stats(): TransportStats;
}

/** A failed attempt, judged: the failure as it would be returned, and why it may be retried (null: it may not). */
interface Judgement {
  ok: false;
  failure: IntercomFailure;
  retry: WaitReason | null;
  status: number | null;
  requestId: string | null;
  /** Raw Retry-After header. */
  retryAfter: string | null;
  /** X-RateLimit-Reset, when the limit is what failed. */
  resetAt: number | null;
  timeoutMs: number | undefined;
}

type Success = Extract<IntercomResult<unknown>, { ok: true }>;

interface RetryPlan {
  reason: WaitReason;
  delayMs: number;
  /** null: beyond maxRetries, a 429 within the rate-limit wait bound. */
  retriesLeft: number | null;
}

/** Pacing waits shorter than this are not worth telling a person about. */
const WAIT_EVENT_MIN_MS = 250;

function statusReason(status: number): WaitReason {
  if (status === 429) return "rate_limited";
  if (status === 408) return "timeout";
  return "server_error";
}

type AttemptOutcome =
  | { kind: "response"; status: number; statusText: string; headers: Headers; text: string }
  | { kind: "network"; error: unknown }
  | { kind: "timeout" }
  | { kind: "aborted" };

const ABORTED = Symbol("aborted");

/** What every failure says about the call it ends. */
function failureBase(method: string, path: string, attempts: number) {
  return { method, path, attempts, retries: attempts - 1 };
}

function header(headers: Headers, name: string): string | null {
  return headers.get(name);
}

export function createTransport(config: TransportConfig): Transport {
  const { token, timeoutMs, maxRetries, maxDelayMs, maxRateLimitWaitMs, clock, random, onEvent, pacer } = config;
  const fetchImpl = config.fetch;
  const raceNeeded = fetchImpl !== globalThis.fetch;
  const base = new URL(config.baseUrl);
  const origin = base.origin;
  const basePath = base.pathname.replace(/\/+$/, "");
  const counters: TransportStats = { requests: 0, retries: 0, rateLimited: 0, pacedWaits: 0 };
  // Built once and frozen: an injected fetch cannot change what later requests send.
  const headersWithoutBody: Record<string, string> = Object.freeze({
    accept: "application/json",
    "intercom-version": config.version,
    authorization: `Bearer ${token}`,
  });
  const headersWithBody: Record<string, string> = Object.freeze({
    ...headersWithoutBody,
    "content-type": "application/json",
  });

  const clean = (text: string) => redact(text, token);

  function apiPath(url: string): string {
    const q = url.indexOf("?");
    const withoutQuery = q === -1 ? url : url.slice(0, q);
    const afterBase = withoutQuery.startsWith(config.baseUrl)
      ? withoutQuery.slice(config.baseUrl.length)
      : withoutQuery;
    return clean(afterBase || basePath || "/");
  }

  function emit(event: RequestEvent): void {
    if (!onEvent) return;
    try {
      onEvent(event);
    } catch {
      // A broken logger must not break the request it is logging.
    }
  }

  async function attemptOnce(url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<AttemptOutcome> {
    const controller = new AbortController();
    let timedOut = false;
    let stop: ((reason: typeof ABORTED) => void) | undefined;
    // An injected fetch may ignore its signal, so its promises are raced against the timeout and the caller's abort.
    // The platform fetch honours the signal for both the headers and the body, and the race would cost on every call.
    const stopped = raceNeeded
      ? new Promise<typeof ABORTED>((resolve) => {
          stop = resolve;
        })
      : undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException("The attempt timed out", "TimeoutError"));
      stop?.(ABORTED);
    }, timeoutMs);
    const onAbort = () => {
      controller.abort(signal?.reason);
      stop?.(ABORTED);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (signal?.aborted) return { kind: "aborted" };
      const pending = fetchImpl(url, { ...init, signal: controller.signal });
      let response: Response | typeof ABORTED;
      if (stopped) {
        pending.catch(() => {});
        response = await Promise.race([pending, stopped]);
      } else {
        response = await pending;
      }
      if (response === ABORTED) return signal?.aborted ? { kind: "aborted" } : { kind: "timeout" };
      const reading = response.text();
      let text: string | typeof ABORTED;
      if (stopped) {
        reading.catch(() => {});
        text = await Promise.race([reading, stopped]);
      } else {
        text = await reading;
      }
      if (text === ABORTED) return signal?.aborted ? { kind: "aborted" } : { kind: "timeout" };
      return {
        kind: "response",
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        text,
      };
    } catch (error) {
      if (signal?.aborted) return { kind: "aborted" };
      if (timedOut) return { kind: "timeout" };
      return { kind: "network", error };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Classifies one attempt's outcome: the success result, or a failure with the reason it may be retried for
   * (null: final). Builds the failure exactly as it is returned when no retry follows.
   */
  function judge(
    op: OperationSpec,
    request: OutgoingRequest,
    path: string,
    outcome: AttemptOutcome,
    attempts: number,
    rateLimit: RateLimitInfo,
  ): Success | Judgement {
    const method = request.method;
    if (outcome.kind === "response") {
      const status = outcome.status;
      const h = outcome.headers;
      let requestId = header(h, "x-request-id");
      if (status === 429) counters.rateLimited++;
      let body: unknown;
      let isJson = false;
      if (outcome.text !== "") {
        try {
          body = JSON.parse(outcome.text);
          isJson = true;
        } catch {
          isJson = false;
        }
      }
      if (isJson && body && typeof body === "object") {
        const rid = (body as { request_id?: unknown }).request_id;
        if (typeof rid === "string" && rid) requestId = rid;
      }
      requestId = requestId === null ? null : clean(requestId);
      if (status >= 200 && status < 300 && isJson)
        return { ok: true, data: body, status, requestId, rateLimit, attempts };
      const base = failureBase(method, path, attempts);
      if (status >= 200 && status < 300) {
        // A 2xx that is not JSON comes from something in between (a captive portal, a proxy error page): it may
        // well be transient, so it is retried like a 5xx when the operation is safe to repeat.
        const snippet = oneLine(clean(outcome.text), SNIPPET_LENGTH);
        return {
          ok: false,
          failure: {
            kind: "malformed",
            message: clean(malformedFailureMessage(method, path, status, snippet, attempts)),
            ...base,
            status,
            requestId,
            bodySnippet: snippet,
          },
          retry: op.idempotent ? "server_error" : null,
          status,
          requestId,
          retryAfter: null,
          resetAt: null,
          timeoutMs: undefined,
        };
      }
      const errors = isJson
        ? parseErrorItems(body).map((e) => ({
            code: clean(e.code),
            message: e.message === null ? null : clean(e.message),
            field: e.field === null ? null : clean(e.field),
          }))
        : [];
      const retryAfterHeader = header(h, "retry-after");
      const retryAfterMs = parseRetryAfterMs(retryAfterHeader, clock.now());
      const retryAfter = retryAfterMs === null ? null : Math.ceil(retryAfterMs / 1000);
      const rawLink = header(h, "link");
      const link = rawLink === null ? null : clean(rawLink);
      const message = httpFailureMessage({
        method,
        path,
        attempts,
        status,
        statusText: statusTextOf(status),
        errors,
        requestId,
        rateLimit,
        retryAfter,
        link,
        bodySnippet: isJson ? "" : oneLine(clean(outcome.text), SNIPPET_LENGTH),
        location: redirectTarget(header(h, "location"), request.url),
        baseOrigin: origin,
      });
      // A 429 means the request was refused unprocessed: safe to repeat for any operation.
      const retryable = isRetryableStatus(status) && (op.idempotent || status === 429);
      return {
        ok: false,
        failure: {
          kind: "http",
          message: clean(message),
          ...base,
          status,
          errors,
          requestId,
          rateLimit,
          retryAfter,
          link,
        },
        retry: retryable ? statusReason(status) : null,
        status,
        requestId,
        retryAfter: retryAfterHeader,
        // Waiting for X-RateLimit-Reset only makes sense when the limit is the problem; a 503 with rate-limit
        // headers (Intercom sends them on every authenticated answer) should not wait out a 10 s window.
        resetAt: status === 429 || rateLimit.remaining === 0 ? rateLimit.resetAt : null,
        timeoutMs: undefined,
      };
    }
    const base = failureBase(method, path, attempts);
    if (outcome.kind === "network") {
      const reason = classifyNetworkError(outcome.error);
      return {
        ok: false,
        failure: {
          kind: "network",
          message: clean(networkFailureMessage(origin, reason, attempts)),
          ...base,
          cause: clean(reason.code ?? oneLine(reason.reason, 120)),
          notSent: reason.notSent,
        },
        retry: reason.transient && (op.idempotent || reason.notSent) ? "network" : null,
        status: null,
        requestId: null,
        retryAfter: null,
        resetAt: null,
        timeoutMs: undefined,
      };
    }
    if (outcome.kind === "timeout") {
      return {
        ok: false,
        failure: {
          kind: "timeout",
          message: clean(timeoutFailureMessage(origin, timeoutMs, attempts)),
          ...base,
          timeoutMs,
        },
        retry: op.idempotent ? "timeout" : null,
        status: null,
        requestId: null,
        retryAfter: null,
        resetAt: null,
        timeoutMs,
      };
    }
    return {
      ok: false,
      failure: { kind: "aborted", message: abortedFailureMessage(method, path), ...base },
      retry: null,
      status: null,
      requestId: null,
      retryAfter: null,
      resetAt: null,
      timeoutMs: undefined,
    };
  }

  /**
   * Whether a failed attempt is tried again, and after how long. Every retry counts against maxRetries; once those
   * are used, only a 429 is retried, while this call's waits on 429s stay within maxRateLimitWaitMs (the last wait
   * is shortened to fit).
   */
  function planRetry(judged: Judgement, retriesUsed: number, rateLimitWaitedMs: number): RetryPlan | null {
    const reason = judged.retry;
    if (reason === null) return null;
    const bounded = retriesUsed < maxRetries;
    const budget = maxRateLimitWaitMs - rateLimitWaitedMs;
    if (!bounded && !(reason === "rate_limited" && budget > 0)) return null;
    const delay = computeRetryDelay({
      retry: retriesUsed,
      now: clock.now(),
      retryAfter: judged.retryAfter,
      resetAt: judged.resetAt,
      maxDelayMs,
      random,
    }).ms;
    return bounded
      ? { reason, delayMs: delay, retriesLeft: maxRetries - retriesUsed - 1 }
      : { reason, delayMs: Math.min(delay, budget), retriesLeft: null };
  }

  /** Sends one request: pacing, attempts, retries. Never throws; failures are values. */
  async function send(
    op: OperationSpec,
    request: OutgoingRequest,
    signal: AbortSignal | undefined,
  ): Promise<IntercomResult<unknown>> {
    const method = request.method;
    const path = apiPath(request.url);
    // The client's fixed headers (built once) plus Content-Type for bodies; the token is added only here.
    const init: RequestInit = {
      method,
      headers: request.body === undefined ? headersWithoutBody : headersWithBody,
      body: request.body,
      redirect: "manual",
    };

    let attempts = 0;
    let retriesUsed = 0;
    let rateLimitWaitedMs = 0;
    /** Whether any attempt so far may have been processed by Intercom (so a final network failure may hide a write). */
    let mayHaveReached = false;
    const aborted = (): IntercomResult<unknown> => ({
      ok: false,
      error: {
        kind: "aborted",
        message: abortedFailureMessage(method, path),
        method,
        path,
        attempts,
        retries: Math.max(0, attempts - 1),
      },
    });
    const onWait = onEvent
      ? (ms: number) => {
          if (ms <= WAIT_EVENT_MIN_MS) return;
          emit({
            method,
            path,
            attempt: attempts + 1,
            status: null,
            requestId: null,
            durationMs: 0,
            outcome: "wait",
            delayMs: ms,
            reason: "pacing",
            retriesLeft: Math.max(0, maxRetries - retriesUsed),
            rateLimit: pacer.snapshot(),
          });
        }
      : undefined;

    for (;;) {
      if (signal?.aborted) return aborted();
      // The common case (budget left) takes no promise; waiting is the exception.
      if (attempts > 0 || !pacer.tryAcquire()) {
        try {
          if (await pacer.acquire(signal, attempts > 0, onWait)) counters.pacedWaits++;
        } catch {
          return aborted();
        }
      }
      attempts++;
      counters.requests++;
      const started = clock.now();
      const outcome = await attemptOnce(request.url, init, signal);
      const seen = outcome.kind === "response" ? parseRateLimit(outcome.headers) : null;
      pacer.release(seen);
      const durationMs = Math.max(0, clock.now() - started);
      const rateLimit: RateLimitInfo = seen ?? pacer.snapshot();

      const judged = judge(op, request, path, outcome, attempts, rateLimit);
      if (outcome.kind === "timeout" || (outcome.kind === "response" && outcome.status !== 429)) mayHaveReached = true;
      if (!judged.ok && judged.failure.kind === "network") {
        if (!judged.failure.notSent) mayHaveReached = true;
        judged.failure.notSent = !mayHaveReached;
      }
      if (judged.ok) {
        if (onEvent) {
          const { status, requestId } = judged;
          const retriesLeft = Math.max(0, maxRetries - retriesUsed);
          emit({
            method,
            path,
            attempt: attempts,
            status,
            requestId,
            durationMs,
            outcome: "ok",
            retriesLeft,
            rateLimit,
          });
        }
        return judged;
      }

      const { status, requestId } = judged;
      const plan = planRetry(judged, retriesUsed, rateLimitWaitedMs);
      if (plan === null) {
        const retriesLeft = Math.max(0, maxRetries - retriesUsed);
        emit({
          method,
          path,
          attempt: attempts,
          status,
          requestId,
          durationMs,
          outcome: "failed",
          retriesLeft,
          rateLimit,
        });
        return { ok: false, error: judged.failure };
      }
      const { reason } = plan;
      const event: RequestEvent = {
        method,
        path,
        attempt: attempts,
        status,
        requestId,
        durationMs,
        outcome: "retry",
        delayMs: plan.delayMs,
        reason,
        retriesLeft: plan.retriesLeft,
        rateLimit,
      };
      if (judged.timeoutMs !== undefined) event.timeoutMs = judged.timeoutMs;
      emit(event);
      retriesUsed++;
      counters.retries++;
      if (reason === "rate_limited") rateLimitWaitedMs += plan.delayMs;
      try {
        await clock.sleep(plan.delayMs, signal);
      } catch {
        return aborted();
      }
      if (signal?.aborted) return aborted();
    }
  }

  return {
    send,
    stats: () => ({ ...counters }),
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: "bad request",
  401: "unauthorized",
  402: "payment required",
  403: "forbidden",
  404: "not found",
  405: "method not allowed",
  406: "not acceptable",
  408: "request timeout",
  409: "conflict",
  410: "gone",
  415: "unsupported media type",
  422: "unprocessable entity",
  429: "too many requests",
  500: "internal server error",
  502: "bad gateway",
  503: "service unavailable",
  504: "gateway timeout",
};

function redirectTarget(location: string | null, requestUrl: string): string | null {
  if (!location) return null;
  try {
    const target = new URL(location, requestUrl);
    // Origin and path only: a query string could carry anything.
    return `${target.origin}${target.pathname}`;
  } catch {
    return null;
  }
}

function statusTextOf(status: number): string {
  return STATUS_TEXT[status] ?? "";
}
