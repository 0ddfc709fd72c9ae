import type { JsonObject } from "./views.js";

/** Intercom's error body: `{type: "error.list", request_id, errors: [{code, message, field?}]}`. */
export function errorBody(requestId: string | null, code: string, message: string, field?: string): JsonObject {
  const error: JsonObject = { code, message };
  if (field !== undefined) error.field = field;
  return { type: "error.list", request_id: requestId, errors: [error] };
}

export interface Reply {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
}

export function fail(status: number, requestId: string, code: string, message: string, field?: string): Reply {
  return { status, body: errorBody(requestId, code, message, field) };
}
