import createClient from "openapi-fetch";
import { checkBaseUrl } from "./base-url.js";
import { systemClock } from "./clock.js";
import type { paths } from "./generated/intercom.js";
import { createPacer } from "./pacing.js";
import { requireSafeId } from "./path-segment.js";
import { redact } from "./redact.js";
import { isRegion, REGION_BASE_URLS, REGIONS } from "./regions.js";
import { createTransport, type OperationSpec, OutgoingRequest } from "./transport.js";
import type { CallOptions, IntercomClient, IntercomClientOptions, IntercomResult } from "./types.js";
import { checkApiVersion, DEFAULT_API_VERSION } from "./versions.js";

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_MAX_DELAY_MS = 60_000;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 60_000;

const READ: OperationSpec = { idempotent: true };
/**
 * Writes whose repetition changes nothing: PUT /contacts/{id} sets fields to given values; attaching an attached
 * company, tagging a tagged contact, archiving an archived one and POST /tags of an existing name are no-ops.
 */
const IDEMPOTENT_WRITE: OperationSpec = { idempotent: true };
/**
 * Creates that must not be repeated once they may have reached Intercom: POST /companies without company_id makes a
 * new company each time; a second POST /data_attributes of the same name is a 400 "already exists".
 */
const CREATE: OperationSpec = { idempotent: false };

function fail(message: string): never {
  throw new TypeError(`createIntercomClient: ${message}`);
}

function checkNumber(name: string, value: unknown, fallback: number, min: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    fail(`options.${name} must be ${integer ? "an integer" : "a number"} >= ${min}; got ${String(value)}`);
  }
  return value;
}

const requireId = requireSafeId;

type UpdateContactBody215 = NonNullable<
  paths["/contacts/{contact_id}"]["put"]["requestBody"]
>["content"]["application/json"];

/**
 * A typed Intercom REST client (API 2.x) built on openapi-fetch, with retries, shared rate-limit pacing, timeouts
 * and failures returned as values. Throws only for programmer errors (missing token, bad options).
 */
export function createIntercomClient(options: IntercomClientOptions): IntercomClient {
  if (!options || typeof options !== "object") fail("options are required ({ token })");
  const token = options.token;
  if (typeof token !== "string" || token.trim() === "") {
    fail("options.token is required: an Intercom access token (got an empty value)");
  }
  if (/\s/.test(token)) fail("options.token contains whitespace or a line break; copy the access token again");

  let baseUrl: string;
  if (options.baseUrl !== undefined) {
    const checked = checkBaseUrl(options.baseUrl);
    if (!checked.ok) fail(`options.${redact(checked.message, token)}`);
    baseUrl = checked.url;
  } else {
    const region: unknown = options.region ?? "us";
    if (!isRegion(region)) {
      fail(
        `options.region must be one of ${REGIONS.map((r) => r.id).join(", ")}; got ${redact(String(region), token)}`,
      );
    }
    baseUrl = REGION_BASE_URLS[region];
  }
  const versionCheck = checkApiVersion(options.version ?? DEFAULT_API_VERSION);
  if (!versionCheck.ok) fail(`options.version: ${redact(versionCheck.message, token)}`);
  const version = versionCheck.version;
  const timeoutMs = checkNumber("timeoutMs", options.timeoutMs, DEFAULT_TIMEOUT_MS, 1, false);
  const maxRetries = checkNumber("maxRetries", options.maxRetries, DEFAULT_MAX_RETRIES, 0, true);
  const maxDelayMs = checkNumber("maxDelayMs", options.maxDelayMs, DEFAULT_MAX_DELAY_MS, 0, false);
  const maxRateLimitWaitMs = checkNumber(
    "maxRateLimitWaitMs",
    options.maxRateLimitWaitMs,
    DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
    0,
    false,
  );
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") fail("options.fetch must be a fetch function (none is available globally)");
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  if (options.onEvent !== undefined && typeof options.onEvent !== "function")
    fail("options.onEvent must be a function");

  const pacer = createPacer({ clock, random, maxDelayMs });
  const transport = createTransport({
    baseUrl,
    token,
    version,
    timeoutMs,
    maxRetries,
    maxDelayMs,
    maxRateLimitWaitMs,
    fetch: fetchImpl,
    clock,
    random,
    onEvent: options.onEvent,
    pacer,
  });
  // openapi-fetch builds URLs, query strings and JSON bodies from the generated `paths` (so bodies and parameters
  // are type-checked); the transport does the sending and owns the headers (Accept, Intercom-Version, the token).
  const api = createClient<paths>({ baseUrl, Request: OutgoingRequest as unknown as typeof Request });
  // Handed back to openapi-fetch after every call: a 204 makes it skip reading and parsing (the transport did both).
  // It has no body, so one per client can be reused.
  const handled = new Response(null, { status: 204 });

  /**
   * Runs one operation: openapi-fetch hands the built request to this per-call fetch, the transport sends it (with
   * retries and pacing) and parses the answer itself (it must see the body to decide on a retry).
   */
  async function run<T>(
    op: OperationSpec,
    options: CallOptions | undefined,
    invoke: (fetch: (input: Request) => Promise<Response>) => Promise<unknown>,
  ): Promise<IntercomResult<T>> {
    let result: IntercomResult<unknown> | undefined;
    await invoke(async (input) => {
      result = await transport.send(op, input as unknown as OutgoingRequest, options?.signal);
      return handled;
    });
    if (!result) throw new Error("intercom-kit: openapi-fetch did not send the request");
    return result as IntercomResult<T>;
  }

  const client: IntercomClient = {
    baseUrl,
    version,
    getContact(contactId, callOptions) {
      requireId("getContact", "contactId", contactId);
      return run(READ, callOptions, (fetch) =>
        api.GET("/contacts/{contact_id}", { params: { path: { contact_id: contactId } }, fetch }),
      );
    },
    updateContact(contactId, body, callOptions) {
      requireId("updateContact", "contactId", contactId);
      // One client for both versions: the body may carry 2.16's string owner_id and email_verified, which the 2.15
      // types (that build the request) do not know. The JSON is the same either way.
      const sent = body as UpdateContactBody215;
      return run(IDEMPOTENT_WRITE, callOptions, (fetch) =>
        api.PUT("/contacts/{contact_id}", { params: { path: { contact_id: contactId } }, body: sent, fetch }),
      );
    },
    findContactByExternalId(externalId, callOptions) {
      requireId("findContactByExternalId", "externalId", externalId);
      return run(READ, callOptions, (fetch) =>
        api.GET("/contacts/find_by_external_id/{external_id}", {
          params: { path: { external_id: externalId } },
          fetch,
        }),
      );
    },
    searchContacts(body, callOptions) {
      // A POST, but a read.
      return run(READ, callOptions, (fetch) => api.POST("/contacts/search", { body, fetch }));
    },
    createOrUpdateCompany(body, callOptions) {
      // An upsert keyed by company_id; without one, every call creates a company, so it must not be repeated blindly.
      const op = typeof body?.company_id === "string" && body.company_id !== "" ? IDEMPOTENT_WRITE : CREATE;
      return run(op, callOptions, (fetch) => api.POST("/companies", { body, fetch }));
    },
    attachCompany(contactId, companyId, callOptions) {
      requireId("attachCompany", "contactId", contactId);
      requireId("attachCompany", "companyId", companyId);
      return run(IDEMPOTENT_WRITE, callOptions, (fetch) =>
        api.POST("/contacts/{contact_id}/companies", {
          params: { path: { contact_id: contactId } },
          body: { id: companyId },
          fetch,
        }),
      );
    },
    listContactCompanies(contactId, page, callOptions) {
      requireId("listContactCompanies", "contactId", contactId);
      const query: { page?: number; per_page?: number } = {};
      if (page?.page !== undefined) query.page = page.page;
      if (page?.perPage !== undefined) query.per_page = page.perPage;
      return run(READ, callOptions, (fetch) =>
        api.GET("/contacts/{contact_id}/companies", { params: { path: { contact_id: contactId }, query }, fetch }),
      );
    },
    listContactTags(contactId, callOptions) {
      requireId("listContactTags", "contactId", contactId);
      return run(READ, callOptions, (fetch) =>
        api.GET("/contacts/{contact_id}/tags", { params: { path: { contact_id: contactId } }, fetch }),
      );
    },
    listContactSegments(contactId, callOptions) {
      requireId("listContactSegments", "contactId", contactId);
      return run(READ, callOptions, (fetch) =>
        api.GET("/contacts/{contact_id}/segments", { params: { path: { contact_id: contactId } }, fetch }),
      );
    },
    getCompany(companyId, callOptions) {
      requireId("getCompany", "companyId", companyId);
      return run(READ, callOptions, (fetch) =>
        api.GET("/companies/{company_id}", { params: { path: { company_id: companyId } }, fetch }),
      );
    },
    findCompanyByCompanyId(companyId, callOptions) {
      // A query value, not a path segment; the same rule keeps one notion of a valid id (and a lone surrogate would
      // make the query encoding throw).
      requireId("findCompanyByCompanyId", "companyId", companyId);
      return run(READ, callOptions, (fetch) =>
        api.GET("/companies", { params: { query: { company_id: companyId } }, fetch }),
      );
    },
    listDataAttributes(model, query, callOptions) {
      if (model !== "contact" && model !== "company") {
        throw new TypeError(`IntercomClient.listDataAttributes: model must be "contact" or "company"`);
      }
      const includeArchived = query?.includeArchived;
      if (includeArchived !== undefined && typeof includeArchived !== "boolean") {
        throw new TypeError("IntercomClient.listDataAttributes: query.includeArchived must be a boolean");
      }
      const q: { model: "contact" | "company"; include_archived?: boolean } = { model };
      if (includeArchived !== undefined) q.include_archived = includeArchived;
      return run(READ, callOptions, (fetch) => api.GET("/data_attributes", { params: { query: q }, fetch }));
    },
    createDataAttribute(body, callOptions) {
      if (!body || typeof body !== "object") {
        throw new TypeError("IntercomClient.createDataAttribute: body must be an object ({ name, model, data_type })");
      }
      // The flat body is one of the official oneOf's alternatives; Intercom judges which (options need list type).
      const official = body as unknown as NonNullable<
        NonNullable<paths["/data_attributes"]["post"]["requestBody"]>["content"]["application/json"]
      >;
      return run(CREATE, callOptions, (fetch) => api.POST("/data_attributes", { body: official, fetch }));
    },
    listTags(callOptions) {
      return run(READ, callOptions, (fetch) => api.GET("/tags", { fetch }));
    },
    createTag(name, callOptions) {
      if (typeof name !== "string" || name.trim() === "") {
        throw new TypeError("IntercomClient.createTag: name must be a non-empty string");
      }
      return run(IDEMPOTENT_WRITE, callOptions, (fetch) => api.POST("/tags", { body: { name }, fetch }));
    },
    tagContact(contactId, tagId, callOptions) {
      requireId("tagContact", "contactId", contactId);
      requireId("tagContact", "tagId", tagId);
      return run(IDEMPOTENT_WRITE, callOptions, (fetch) =>
        api.POST("/contacts/{contact_id}/tags", {
          params: { path: { contact_id: contactId } },
          body: { id: tagId },
          fetch,
        }),
      );
    },
    untagContact(contactId, tagId, callOptions) {
      requireId("untagContact", "contactId", contactId);
      requireId("untagContact", "tagId", tagId);
      return run(IDEMPOTENT_WRITE, callOptions, (fetch) =>
        api.DELETE("/contacts/{contact_id}/tags/{tag_id}", {
          params: { path: { contact_id: contactId, tag_id: tagId } },
          fetch,
        }),
      );
    },
    archiveContact(contactId, callOptions) {
      requireId("archiveContact", "contactId", contactId);
      return run(IDEMPOTENT_WRITE, callOptions, (fetch) =>
        api.POST("/contacts/{contact_id}/archive", { params: { path: { contact_id: contactId } }, fetch }),
      );
    },
    unarchiveContact(contactId, callOptions) {
      requireId("unarchiveContact", "contactId", contactId);
      return run(IDEMPOTENT_WRITE, callOptions, (fetch) =>
        api.POST("/contacts/{contact_id}/unarchive", { params: { path: { contact_id: contactId } }, fetch }),
      );
    },
    listAdmins(callOptions) {
      return run(READ, callOptions, (fetch) => api.GET("/admins", { fetch }));
    },
    rateLimit: () => pacer.snapshot(),
    stats: () => transport.stats(),
  };

  const summary = { baseUrl, version };
  Object.defineProperties(client, {
    toJSON: { value: () => ({ ...summary }), enumerable: false },
    toString: { value: () => `IntercomClient(${baseUrl}, version ${version})`, enumerable: false },
    [Symbol.for("nodejs.util.inspect.custom")]: {
      value: () => `IntercomClient { baseUrl: '${baseUrl}', version: '${version}' }`,
      enumerable: false,
    },
  });
  return Object.freeze(client);
}
