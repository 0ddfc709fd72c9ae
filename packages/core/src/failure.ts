import { oneLine } from "./redact.js";
import type { IntercomErrorItem, IntercomFailure, RateLimitInfo } from "./types.js";

const MAX_DETAIL = 300;
export const SNIPPET_LENGTH = 200;

/** Intercom's error.list items, or [] when the body is something else. */
export function parseErrorItems(body: unknown): IntercomErrorItem[] {
  if (!body || typeof body !== "object") return [];
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  const items: IntercomErrorItem[] = [];
  for (const e of errors) {
    if (!e || typeof e !== "object") continue;
    const { code, message, field } = e as Record<string, unknown>;
    items.push({
      code: typeof code === "string" ? code : "unknown",
      message: typeof message === "string" ? message : null,
      field: typeof field === "string" ? field : null,
    });
  }
  return items;
}

function errorDetail(items: IntercomErrorItem[]): string {
  return items
    .map((e) => {
      const text = e.message ? `${e.code}: ${e.message}` : e.code;
      return e.field && !(e.message ?? "").includes(e.field) ? `${text} (field ${e.field})` : text;
    })
    .join("; ");
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s}s` : `${Number(s.toFixed(3))}s`;
}

function afterAttempts(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : "";
}

export interface HttpFailureInput {
  method: string;
  path: string;
  attempts: number;
  status: number;
  statusText: string;
  errors: IntercomErrorItem[];
  requestId: string | null;
  rateLimit: RateLimitInfo;
  retryAfter: number | null;
  link: string | null;
  /** Already redacted; used when the body was not an error.list. */
  bodySnippet: string;
  /** For 3xx: where the server wanted to send us (origin and path only). */
  location: string | null;
  baseOrigin: string;
}

/** One line a person can act on, for an HTTP answer that is not a success. */
export function httpFailureMessage(f: HttpFailureInput): string {
  const detail = f.errors.length
    ? errorDetail(f.errors)
    : f.bodySnippet
      ? `${f.statusText || "error"}: ${f.bodySnippet}`
      : f.statusText;
  const paren = oneLine(detail ? `(${f.status} ${detail})` : `(${f.status})`, MAX_DETAIL);
  const tries = afterAttempts(f.attempts);
  const where = `${f.method} ${f.path}`;
  const s = f.status;
  // 0: an opaque redirect, as a browser-like fetch reports `redirect: "manual"`.
  if ((s >= 300 && s < 400) || s === 0) {
    const to = f.location ? ` to ${f.location}` : "";
    const code = s === 0 ? "" : ` (${s})`;
    return `Intercom answered ${where} with a redirect${code}${to}; it was not followed so the access token is only ever sent to ${f.baseOrigin}: check baseUrl/region`;
  }
  if (s === 401) return `Intercom rejected the access token ${paren}`;
  if (s === 403)
    return `Intercom refused ${where} for this access token: the app may lack a permission or the plan may not include the API ${paren}`;
  if (s === 404) return `Intercom found nothing at ${where} ${paren}`;
  if (s === 409) return `Intercom reported a conflict for ${where} ${paren}`;
  if (s === 410) {
    const link = f.link ? `; it now lives at ${oneLine(f.link, 120)}` : "";
    return `The record at ${where} was merged into another one${link} ${paren}`;
  }
  if (s === 400 || s === 422) return `Intercom refused ${where} as invalid ${paren}`;
  if (s === 406) return `Intercom cannot answer ${where} in JSON ${paren}`;
  if (s === 408) return `Intercom gave up waiting for the request ${where} ${paren}${tries}; try again later`;
  if (s === 429) {
    const reset =
      f.rateLimit.resetAt !== null
        ? `; the window resets at ${new Date(f.rateLimit.resetAt * 1000).toISOString()}`
        : "";
    return `Intercom's rate limit was exceeded ${paren}${tries}${reset}`;
  }
  if (s >= 500) return `Intercom had a server problem with ${where} ${paren}${tries}; try again later`;
  return `Intercom answered ${where} with HTTP ${s} ${paren}${tries}`;
}

interface NetworkReason {
  code: string | null;
  reason: string;
  /** The request certainly never reached the server (safe to retry even a non-idempotent operation). */
  notSent: boolean;
  /** Worth another attempt at all. */
  transient: boolean;
}

const NETWORK_REASONS: Record<string, [reason: string, notSent: boolean, transient: boolean]> = {
  ECONNRESET: ["connection reset", false, true],
  ECONNREFUSED: ["connection refused", true, true],
  ENOTFOUND: ["host not found", true, false],
  EAI_AGAIN: ["DNS lookup failed for now", true, true],
  ETIMEDOUT: ["connection timed out", false, true],
  EHOSTUNREACH: ["host unreachable", true, true],
  ENETUNREACH: ["network unreachable", true, true],
  ENETDOWN: ["network down", true, true],
  EPIPE: ["connection broken", false, true],
  ECONNABORTED: ["connection aborted", false, true],
  UND_ERR_SOCKET: ["connection closed by the server", false, true],
  UND_ERR_CLOSED: ["connection closed", false, true],
  UND_ERR_CONNECT_TIMEOUT: ["connection attempt timed out", true, true],
  UND_ERR_HEADERS_TIMEOUT: ["no response headers in time", false, true],
  UND_ERR_BODY_TIMEOUT: ["response body stalled", false, true],
  CERT_HAS_EXPIRED: ["the server's TLS certificate has expired", true, false],
  DEPTH_ZERO_SELF_SIGNED_CERT: ["the server's TLS certificate is self-signed", true, false],
  SELF_SIGNED_CERT_IN_CHAIN: ["the server's TLS certificate chain is self-signed", true, false],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ["the server's TLS certificate cannot be verified", true, false],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ["the server's TLS certificate issuer is unknown", true, false],
  ERR_TLS_CERT_ALTNAME_INVALID: ["the server's TLS certificate is for another host", true, false],
};

/** Reads the error code from a fetch rejection (undici puts it on `cause`, sometimes one level deeper). */
export function classifyNetworkError(error: unknown): NetworkReason & { detail: string } {
  let current: unknown = error;
  let detail = "";
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof message === "string" && message && message !== "fetch failed") detail = message;
    if (typeof code === "string" && code) {
      const known = NETWORK_REASONS[code];
      if (known) return { code, reason: known[0], notSent: known[1], transient: known[2], detail };
      return { code, reason: detail ? detail : "network error", notSent: false, transient: true, detail };
    }
    current = cause;
  }
  return { code: null, reason: detail || "network error", notSent: false, transient: true, detail };
}

export function networkFailureMessage(origin: string, reason: NetworkReason, attempts: number): string {
  const code = reason.code && !reason.reason.includes(reason.code) ? ` (${reason.code})` : "";
  return oneLine(`Could not reach ${origin}: ${reason.reason}${code}${afterAttempts(attempts)}`, MAX_DETAIL + 100);
}

export function timeoutFailureMessage(origin: string, timeoutMs: number, attempts: number): string {
  const tries = attempts > 1 ? ` (${attempts} attempts)` : "";
  return `No answer from ${origin} within ${seconds(timeoutMs)}${tries}`;
}

export function abortedFailureMessage(method: string, path: string): string {
  return `The request ${method} ${path} was cancelled before Intercom answered`;
}

export function malformedFailureMessage(
  method: string,
  path: string,
  status: number,
  snippet: string,
  attempts: number,
): string {
  const what = snippet ? `a body that is not JSON: "${snippet}"` : "an empty body where JSON was expected";
  return `Intercom answered ${method} ${path} (${status}) with ${what}${afterAttempts(attempts)}; a proxy or firewall in between may be interfering`;
}

/**
 * A longer single line for logs: the message plus what support will ask for (request id, attempts).
 * Never contains the token (the failure never does).
 */
export function describeFailure(failure: IntercomFailure): string {
  const parts = [failure.message];
  const facts: string[] = [`${failure.method} ${failure.path}`];
  if (failure.kind === "http" || failure.kind === "malformed") {
    if (failure.requestId) facts.push(`request id ${failure.requestId}`);
  }
  if (failure.kind === "http" && failure.retryAfter !== null) facts.push(`Retry-After ${failure.retryAfter}s`);
  facts.push(failure.attempts === 1 ? "1 attempt" : `${failure.attempts} attempts`);
  parts.push(`[${facts.join(", ")}]`);
  return parts.join(" ");
}
