import type { ServerResponse } from "node:http";
import type { Delays } from "./delays.js";
import { errorBody } from "./errors.js";
import type { FaultDecision, FaultStatus } from "./faults.js";
import type { JsonObject } from "./views.js";

const STATUS_ERRORS: Record<FaultStatus, [code: string, message: string]> = {
  429: ["rate_limit_exceeded", ""],
  500: ["server_error", "Server Error"],
  502: ["server_error", "Bad Gateway"],
  503: ["service_unavailable", "Service Unavailable"],
  504: ["request_timeout", "Gateway Timeout"],
};

/** The body of an injected status (429 gets Intercom's rate-limit message for the current allowance). */
export function injectedStatusBody(requestId: string, status: FaultStatus, windowLimit: number): JsonObject {
  const [code, message] = STATUS_ERRORS[status];
  return errorBody(requestId, code, message || `Exceeded rate limit of ${windowLimit} in 10_seconds`);
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
