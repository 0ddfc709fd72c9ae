import { createOfficialValidator } from "@intercom-kit/spec-check";
import { afterAll, expect } from "vitest";
import type { SandboxOptions } from "../src/index.js";

export interface Recorded {
  method: string;
  path: string;
  status: number;
  body: unknown;
  /** The Intercom-Version the response was served for. */
  version: string;
}

/**
 * The official schemas say `format: uri` for the `type` of an addressable list item, while the official
 * examples and the real API send "tag" / "note" there. This is the only violation besides relative urls that
 * we accept, and only at exactly this place.
 */
const ADDRESSABLE_TYPE = /^(\/data\/\d+)?\/(tags|notes)\/data\/\d+\/type must match format "uri"$/;

/** Schemas the sandbox's responses are checked against: all must compile, or the check proves nothing. */
const SCHEMAS = [
  "contact",
  "company",
  "error",
  "contact_list",
  "contact_attached_companies",
  "tag_list",
  "contact_segments",
];

/**
 * Records every response of the sandboxes started with `onResponse`, and validates them all against the
 * official 2.15 description after the file's tests: 2xx against the operation's declared response schema,
 * errors against `error`.
 */
export function recordResponses(): { onResponse: NonNullable<SandboxOptions["onResponse"]>; records: Recorded[] } {
  const records: Recorded[] = [];
  afterAll(() => {
    expect(records.length, "no response was recorded").toBeGreaterThan(0);
    const validator = createOfficialValidator("2.15", { ignoreRelativeUrls: true });
    validator.assertCompiled(SCHEMAS);
    // Responses served with the 2.16 shape (owner_id became a string; also Preview/Unstable) are checked against
    // the 2.16 description; every older version is served with the 2.15 shape.
    const is216 = (r: Recorded) => ["2.16", "Preview", "Unstable"].includes(r.version);
    const needs216 = records.some(is216);
    const validator216 = needs216 ? createOfficialValidator("2.16", { ignoreRelativeUrls: true }) : undefined;
    validator216?.assertCompiled(SCHEMAS);
    const problems: string[] = [];
    let contactsSeen = 0;
    for (const r of records) {
      const isError = r.status >= 400;
      const v = is216(r) ? validator216! : validator;
      const outcome = isError ? v.validate("error", r.body) : v.validateResponse(r.method, r.path, r.status, r.body);
      const kept = outcome.errors.filter((e) => {
        return isError || !ADDRESSABLE_TYPE.test(e);
      });
      if (kept.length > 0) problems.push(`${r.method} ${r.path} ${r.status}: ${kept.join("; ")}`);
      if (!isError && (r.body as { type?: string }).type === "contact") contactsSeen++;
    }
    expect(problems).toEqual([]);
    expect(validator.compiledCount()).toBeGreaterThanOrEqual(SCHEMAS.length);
    // Contacts carry relative urls (tags/notes/companies/subscriptions): those must have been seen and dropped,
    // which proves the validator really looked at them.
    if (contactsSeen > 0) {
      expect(validator.ignoredCount()).toBeGreaterThan(0);
    }
  });
  return {
    records,
    onResponse: (method, path, status, body, meta) => {
      records.push({ method, path, status, body: structuredClone(body), version: meta.version });
    },
  };
}

export interface CallResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test convenience over arbitrary JSON
  body: any;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Sent as Intercom-Version (default "2.15"); null leaves the header out. */
  version?: string | null;
  /** Override the token; null sends no Authorization. */
  token?: string | null;
}

/** A small fetch wrapper for talking to a sandbox over real HTTP. */
export function api(sb: { url: string; token: string }) {
  return async (method: string, path: string, opts: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { Accept: "application/json" };
    const token = opts.token === undefined ? sb.token : opts.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    const version = opts.version === undefined ? "2.15" : opts.version;
    if (version !== null) headers["Intercom-Version"] = version;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(`${sb.url}${path}`, { method, headers: { ...headers, ...opts.headers }, body });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Asserts an Intercom error.list with this code, and returns its first error. */
export function expectError(
  r: CallResult,
  status: number,
  code: string,
): { code: string; message: string; field?: string } {
  expect(r.status, r.text).toBe(status);
  expect(r.body.type).toBe("error.list");
  expect(r.body.request_id).toMatch(UUID);
  expect(r.body.errors).toHaveLength(1);
  expect(r.body.errors[0].code).toBe(code);
  expect(typeof r.body.errors[0].message).toBe("string");
  return r.body.errors[0];
}
