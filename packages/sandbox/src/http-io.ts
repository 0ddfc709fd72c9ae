import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RateLimitVerdict } from "./rate-limit.js";
import type { JsonObject } from "./views.js";

export interface BodyRead {
  text: string;
  tooLarge: boolean;
}

/** Reads the whole request body as UTF-8; past `max` bytes it keeps draining (so the client reads our 400). */
export function readBody(req: IncomingMessage, max: number): Promise<BodyRead> {
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

/** Sends a JSON body (unless the socket is gone or a response already started). */
export function sendJson(res: ServerResponse, status: number, body: JsonObject, headers: Record<string, string>): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function acceptsJson(accept: string | undefined): boolean {
  // A missing Accept is served (lenient; see README). Otherwise one media range must allow JSON.
  if (accept === undefined || accept.trim() === "") return true;
  return accept.split(",").some((part) => {
    const type = part.split(";")[0]!.trim().toLowerCase();
    return type === "application/json" || type === "application/*" || type === "*/*";
  });
}

/** `Authorization: Bearer <token>`, compared in constant time. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return false;
  const a = Buffer.from(m[1]!.trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function rateHeaders(v: RateLimitVerdict): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(v.limit),
    "X-RateLimit-Remaining": String(v.remaining),
    "X-RateLimit-Reset": String(v.reset),
  };
}

/** Path segments, percent-decoded; undefined when the encoding is malformed. */
export function pathSegments(path: string): string[] | undefined {
  try {
    return path.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** Parses a JSON body; `undefined` for an empty one, `{ invalid: true }` when it is not JSON. */
export function parseJsonBody(text: string): { value: unknown } | { invalid: true } {
  if (text.trim() === "") return { value: undefined };
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { invalid: true };
  }
}
