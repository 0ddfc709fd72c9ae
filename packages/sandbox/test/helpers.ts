import { createOfficialValidator, type OfficialValidator, type OfficialVersion } from "@intercom-kit/spec-check";
import { afterAll, expect } from "vitest";
import type { SandboxOptions } from "../src/index.js";

export interface Recorded {
  method: string;
  path: string;
  /** The route template that answered (e.g. "/contacts/:contact_id"), or null. */
  route: string | null;
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
export const SCHEMAS = [
  "contact",
  "company",
  "error",
  "contact_list",
  "contact_attached_companies",
  "tag_list",
  "tag",
  "tag_basic",
  "contact_segments",
  "contact_archived",
  "contact_unarchived",
  "company_list",
  "data_attribute",
  "data_attribute_list",
  "admin_list",
];
/** 2.16 answers `POST /tags` with its own schema. */
const SCHEMAS_216 = [...SCHEMAS, "tag_create_response"];

/** Responses served with the 2.16 shapes (also Preview/Unstable) are checked against 2.16; every other version against 2.15. */
export const is216 = (version: string): boolean => ["2.16", "Preview", "Unstable"].includes(version);

// One validator per official version per test file (loading a description takes a moment).
const validators = new Map<OfficialVersion, OfficialValidator>();
function validatorFor(version: OfficialVersion): OfficialValidator {
  let v = validators.get(version);
  if (!v) {
    v = createOfficialValidator(version, { ignoreRelativeUrls: true });
    v.assertCompiled(version === "2.16" ? SCHEMAS_216 : SCHEMAS);
    validators.set(version, v);
  }
  return v;
}

export interface Validation {
  /** One line per response that broke its official schema (beyond the known oddities). */
  problems: string[];
  /** Validated responses per `<version> <METHOD> <route template> <status>` (version as served, e.g. "2.15"). */
  counts: Map<string, number>;
  /** How many bodies were validated in all. */
  total: number;
  /** Contacts among the validated 2xx bodies. */
  contacts: number;
}

/**
 * Validates recorded responses against the official description of the version they were served for: 2xx against
 * the operation's declared response schema, errors against `error`. Throws if a schema it needs did not compile.
 */
export function validateRecords(records: readonly Recorded[]): Validation {
  const out: Validation = { problems: [], counts: new Map(), total: 0, contacts: 0 };
  for (const r of records) {
    const isError = r.status >= 400;
    const v = validatorFor(is216(r.version) ? "2.16" : "2.15");
    const outcome = isError ? v.validate("error", r.body) : v.validateResponse(r.method, r.path, r.status, r.body);
    const kept = outcome.errors.filter((e) => isError || !ADDRESSABLE_TYPE.test(e));
    if (kept.length > 0) out.problems.push(`${r.version} ${r.method} ${r.path} ${r.status}: ${kept.join("; ")}`);
    const key = `${r.version} ${r.method} ${r.route ?? r.path} ${r.status}`;
    out.counts.set(key, (out.counts.get(key) ?? 0) + 1);
    out.total++;
    if (!isError && (r.body as { type?: string }).type === "contact") out.contacts++;
  }
  return out;
}

/**
 * Records every response of the sandboxes started with `onResponse`, and validates them all against the
 * official description (2.15, or 2.16 for what was served on 2.16) after the file's tests.
 */
export function recordResponses(): { onResponse: NonNullable<SandboxOptions["onResponse"]>; records: Recorded[] } {
  const records: Recorded[] = [];
  afterAll(() => {
    expect(records.length, "no response was recorded").toBeGreaterThan(0);
    const result = validateRecords(records);
    expect(result.problems).toEqual([]);
    expect(result.total).toBe(records.length);
    const v215 = validatorFor("2.15");
    expect(v215.compiledCount()).toBeGreaterThanOrEqual(SCHEMAS.length);
    // Contacts carry relative urls (tags/notes/companies/subscriptions): those must have been seen and dropped,
    // which proves the validator really looked at them.
    if (result.contacts > 0) {
      const ignored = [...validators.values()].reduce((n, v) => n + v.ignoredCount(), 0);
      expect(ignored).toBeGreaterThan(0);
    }
  });
  return {
    records,
    onResponse: (method, path, status, body, meta) => {
      records.push({
        method,
        path,
        route: meta.route ?? null,
        status,
        body: structuredClone(body),
        version: meta.version,
      });
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
