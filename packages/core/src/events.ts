import type { RequestEvent } from "./types.js";

const STATUS_WORDS: Record<number, string> = {
  408: "request timeout",
  429: "rate limited",
  500: "server error",
  502: "bad gateway",
  503: "service unavailable",
  504: "gateway timeout",
};

/** "8 s", "4.4 s", "0.3 s": whole seconds from ten on, tenths below. */
function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Number(s.toFixed(1))} s`;
}

function whatHappened(event: RequestEvent): string {
  const { status } = event;
  if (event.reason === "network") return "could not reach Intercom";
  if (status === null) {
    if (event.reason === "timeout") {
      return event.timeoutMs === undefined ? "no answer in time" : `no answer within ${seconds(event.timeoutMs)}`;
    }
    return "no answer";
  }
  if (status >= 200 && status < 300) return `${status} with a body that is not JSON`;
  const words = STATUS_WORDS[status] ?? (status >= 500 ? "server error" : "error");
  return `${status} ${words}`;
}

/**
 * The one line a person sees while a call waits, for `retry` and `wait` events; null for `ok` and `failed` (the
 * result or failure says what happened). Built from the event alone, which holds neither the token nor bodies:
 * - `PUT /contacts/abc: 429 rate limited, retrying in 8 s (attempt 2 of 3)`
 * - `POST /companies: no answer within 20 s, retrying in 1 s (attempt 2 of 3)`
 * - `waiting 6 s for Intercom's rate-limit window`
 */
export function describeRequestEvent(event: RequestEvent): string | null {
  const delay = seconds(event.delayMs ?? 0);
  if (event.outcome === "wait") return `waiting ${delay} for Intercom's rate-limit window`;
  if (event.outcome !== "retry") return null;
  const next = event.attempt + 1;
  const of = event.retriesLeft === null ? "" : ` of ${next + event.retriesLeft}`;
  return `${event.method} ${event.path}: ${whatHappened(event)}, retrying in ${delay} (attempt ${next}${of})`;
}
