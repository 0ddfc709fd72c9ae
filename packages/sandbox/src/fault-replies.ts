import type { ServerResponse } from "node:http";
import type { Delays } from "./delays.js";
import { errorBody } from "./errors.js";
import type { FaultDecision, FaultStatus } from "./faults.js";
import type { JsonObject } from "./views.js";

/** Intercom's codes (its error-codes page) and messages, one per status; statuses not listed get a generic pair. */
const STATUS_ERRORS: Record<number, [code: string, message: string]> = {
  400: ["parameter_invalid", "Invalid parameters"],
  401: ["unauthorized", "Access Token Invalid"],
  402: ["api_plan_restricted", "Active subscription needed."],
  403: ["api_plan_restricted", "Active subscription needed."],
  404: ["not_found", "Resource Not Found"],
  405: ["method_not_allowed", "Method Not Allowed"],
  406: ["not_acceptable", "The Accept header must allow application/json"],
  408: ["request_timeout", "Request Timeout"],
  409: ["conflict", "The request conflicts with the current state of the resource"],
  410: ["contact_merged", "This contact has been merged. See the 'Link' header for the canonical contact."],
  415: ["unsupported", "Unsupported Media Type"],
  422: ["unprocessable_entity", "The request could not be processed"],
  429: ["rate_limit_exceeded", ""],
  500: ["server_error", "Server Error"],
  502: ["server_error", "Bad Gateway"],
  503: ["service_unavailable", "Service Unavailable"],
  504: ["request_timeout", "Gateway Timeout"],
};

/** The code and message an injected status answers with (a rule's own `code`/`message` win). */
export function injectedError(status: FaultStatus, d: Pick<FaultDecision, "code" | "message"> = {}): [string, string] {
  const [code, message] =
    STATUS_ERRORS[status] ?? (status >= 500 ? ["server_error", "Server Error"] : ["client_error", "Client Error"]);
  return [d.code ?? code, d.message ?? message];
}

/** The body of an injected status (429 gets Intercom's rate-limit message for the current allowance). */
export function injectedStatusBody(
  requestId: string,
  status: FaultStatus,
  windowLimit: number,
  d: Pick<FaultDecision, "code" | "message"> = {},
): JsonObject {
  const [code, message] = injectedError(status, d);
  return errorBody(requestId, code, message || `Exceeded rate limit of ${windowLimit} in 10_seconds`);
}

/** Extra headers of an injected status: a 410 names the contact it was merged into, as the sandbox's own 410 does. */
export function injectedStatusHeaders(d: Pick<FaultDecision, "status" | "mergedInto">): Record<string, string> {
  if (d.status === 410 && d.mergedInto !== undefined)
    return { Link: `</contacts/${encodeURIComponent(d.mergedInto)}>; rel="canonical"` };
  return {};
}

/** A redirect instead of an answer: the status and `Location`, no body. */
export function sendRedirect(
  res: ServerResponse,
  redirect: NonNullable<FaultDecision["redirect"]>,
  headers: Record<string, string>,
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(redirect.status, { ...headers, Location: redirect.location, "Content-Length": "0" });
  res.end();
}

/** Resolves when the client has closed the connection (or it was closed for it): a held request's end. */
export function untilClosed(res: ServerResponse): Promise<void> {
  if (res.destroyed || res.socket === null || res.socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => res.once("close", () => resolve()));
}

/**
 * Sends a handled response the way a fault rule mangles it: truncated (`malformed`), cut off mid-body with the
 * socket destroyed (`reset`), or trickled in chunks (`slowBody`).
 */
export function sendFaulty(
  res: ServerResponse,
  status: number,
  body: JsonObject,
  headers: Record<string, string>,
  d: FaultDecision,
  delays: Delays,
): void {
  if (res.destroyed || res.headersSent) return;
  const full = Buffer.from(JSON.stringify(body));
  const head = (length: number) =>
    res.writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": String(length),
      ...headers,
    });
  if (d.malformed) {
    const cut = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
    head(cut.length);
    res.end(cut);
    return;
  }
  head(full.length);
  res.flushHeaders();
  if (d.reset) {
    res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.socket?.destroy());
    return;
  }
  const slow = d.slowBody!;
  let offset = 0;
  const step = (): void => {
    if (res.destroyed || delays.stopped) return;
    const chunk = full.subarray(offset, offset + slow.chunkBytes);
    offset += chunk.length;
    if (offset >= full.length) {
      res.end(chunk);
      return;
    }
    res.write(chunk);
    delays.later(slow.intervalMs, step);
  };
  step();
}
