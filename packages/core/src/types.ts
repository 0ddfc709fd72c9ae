import type { components } from "./generated/intercom.js";
import type { components as components216 } from "./generated/intercom-2.16.js";
import type { Region } from "./regions.js";

type Schemas = components["schemas"];
type Schemas216 = components216["schemas"];

/** `owner_id` is an integer up to API 2.15 and a string from 2.16 on. */
type OwnerId = { owner_id?: number | string | null };

/**
 * Models, named once here so nobody outside core needs the generated names. Where 2.15 and 2.16 differ, the model
 * accepts both (a 2.15 and a 2.16 contact are each assignable to `Contact`).
 */
export type Contact = Omit<Schemas["contact_with_push"], "owner_id"> & OwnerId;
/** PUT /contacts/{id}: the 2.15 fields, `owner_id` as a number (2.15) or a string (2.16), `email_verified` (2.16). */
export type UpdateContactBody = Omit<Schemas["update_contact_request"], "owner_id"> &
  OwnerId & {
    /** 2.16 on, and only together with `email` (Intercom answers 400 otherwise). */
    email_verified?: Schemas216["update_contact_request"]["email_verified"];
  };
export type SearchContactsBody = Schemas["search_request"];
export type ContactList = Omit<Schemas["contact_list"], "data"> & {
  data?: (Omit<Schemas["contact"], "owner_id"> & OwnerId)[];
};
export type Company = Schemas["company"];
export type CompanyList = Schemas["company_list"];
export type CompanyUpsertBody = NonNullable<Schemas["create_or_update_company_request"]>;
export type AttachedCompanies = Schemas["contact_attached_companies"];
/** A contact's tags (GET /contacts/{id}/tags). */
export type TagList = Schemas["tag_list"];
/** Every tag of the workspace (GET /tags): the same `tag_list` shape. */
export type WorkspaceTagList = Schemas["tag_list"];
/**
 * A tag. Tagging and untagging a contact answer all of it; POST /tags answers `type`, `id` and `name` only (2.16 adds
 * the users and companies a bulk tagging touched).
 */
export type Tag = Schemas["tag"];
export type SegmentList = Schemas["contact_segments"];
export type DataAttribute = Schemas["data_attribute"];
export type DataAttributeList = Schemas["data_attribute_list"];
type CreateDataAttributeRequest = Schemas["create_data_attribute_request"];
/**
 * POST /data_attributes. The official schema is a oneOf (a list attribute needs `options`, the others must not have
 * them); this is the same fields as one object, which is easier to build. Intercom wants at least two options.
 */
export type CreateDataAttributeBody = {
  name: string;
  model: CreateDataAttributeRequest["model"];
  data_type: NonNullable<CreateDataAttributeRequest["data_type"]>;
  options?: { value: string }[];
  description?: string;
  messenger_writable?: boolean;
};
/** POST /contacts/{id}/archive and /unarchive answer the same shape: `{type, id, external_id, archived}`. */
export type ContactArchiveState = Schemas["contact_archived"] | Schemas["contact_unarchived"];
/** A teammate; `id` is what `owner_id` takes. */
export type Admin = NonNullable<Schemas["admin"]>;
export type AdminList = Schemas["admin_list"];
export type IntercomErrorBody = Schemas["error"];

/** Time, injectable so retry and pacing tests need not wait. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface IntercomClientOptions {
  /** Access token (required). Kept in a closure: never a property, never printed. */
  token: string;
  /** Regional server; ignored when `baseUrl` is given. Default `us`. */
  region?: Region;
  /** `https:` anything, or `http:` on a loopback host only. */
  baseUrl?: string;
  /** Sent as `Intercom-Version`: one of API_VERSIONS (checked with checkApiVersion). Default `2.15`. */
  version?: string;
  /** Per attempt. Default 20 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for any reason. Default 2. */
  maxRetries?: number;
  /** Upper bound of any single retry or pacing wait. Default 60 000. */
  maxDelayMs?: number;
  /**
   * After `maxRetries` are used up, a 429 is still retried while the time this call has spent waiting on 429s stays
   * within this bound (several processes sharing one app's limit keep waiting their turn). 0 turns this off.
   * Default 60 000.
   */
  maxRateLimitWaitMs?: number;
  fetch?: typeof fetch;
  clock?: Clock;
  /** In [0, 1); for jitter. Default Math.random. */
  random?: () => number;
  /** Called after every attempt (for logs and progress); never carries the token or bodies. */
  onEvent?: (event: RequestEvent) => void;
}

export interface RateLimitInfo {
  /** X-RateLimit-Limit: requests allowed in the current window. */
  limit: number | null;
  /** X-RateLimit-Remaining. */
  remaining: number | null;
  /** X-RateLimit-Reset: Unix seconds at which the window resets. */
  resetAt: number | null;
}

/** Why a request waits before (another) attempt. */
export type WaitReason = "rate_limited" | "server_error" | "timeout" | "network" | "pacing";

export interface RequestEvent {
  method: string;
  /** Path with ids, without query or host, e.g. `/contacts/abc`. */
  path: string;
  /** The attempt this event is about; for `wait`, the attempt that waits to be sent. */
  attempt: number;
  status: number | null;
  requestId: string | null;
  durationMs: number;
  /**
   * What happens next: done, a retry after `delayMs`, giving up, or (`wait`, before the attempt is sent) a pause of
   * `delayMs` for the rate-limit window. `wait` is reported only for pauses longer than a quarter second.
   */
  outcome: "ok" | "retry" | "failed" | "wait";
  delayMs?: number;
  /** On `retry` and `wait` events. */
  reason?: WaitReason;
  /**
   * Retries this call may still make after this event (`maxRetries` minus those made). null on a 429 retry beyond
   * `maxRetries`: those go on while the 429 waits stay within `maxRateLimitWaitMs`.
   */
  retriesLeft: number | null;
  /** On a retry after an attempt that got no answer in time: the per-attempt limit. */
  timeoutMs?: number;
  rateLimit: RateLimitInfo;
}

export interface IntercomErrorItem {
  code: string;
  message: string | null;
  field: string | null;
}

interface FailureBase {
  /** One line a person can act on. Never contains the token. */
  message: string;
  method: string;
  path: string;
  /** Attempts made in all (1 = no retry). */
  attempts: number;
  /** attempts - 1 */
  retries: number;
}

export type IntercomFailure =
  | (FailureBase & {
      kind: "http";
      status: number;
      /** Intercom's `errors[]` (empty when the body was not an error.list). */
      errors: IntercomErrorItem[];
      requestId: string | null;
      rateLimit: RateLimitInfo;
      /** Seconds, from Retry-After, when present. */
      retryAfter: number | null;
      /** The Link header (410 merged contacts point at the canonical contact). */
      link: string | null;
    })
  | (FailureBase & {
      kind: "network";
      cause: string;
      /**
       * True when no attempt of this call can have reached Intercom (connection refused, DNS, ...): a write certainly
       * was not made. False when one may have (a reset after sending, or an earlier attempt that timed out or got a 5xx).
       */
      notSent: boolean;
    })
  | (FailureBase & { kind: "timeout"; timeoutMs: number })
  | (FailureBase & { kind: "aborted" })
  | (FailureBase & { kind: "malformed"; status: number; requestId: string | null; bodySnippet: string });

export type IntercomResult<T> =
  | {
      ok: true;
      data: T;
      status: number;
      requestId: string | null;
      rateLimit: RateLimitInfo;
      attempts: number;
    }
  | { ok: false; error: IntercomFailure };

export interface CallOptions {
  signal?: AbortSignal;
}

export interface IntercomClient {
  readonly baseUrl: string;
  readonly version: string;
  getContact(contactId: string, options?: CallOptions): Promise<IntercomResult<Contact>>;
  updateContact(contactId: string, body: UpdateContactBody, options?: CallOptions): Promise<IntercomResult<Contact>>;
  findContactByExternalId(externalId: string, options?: CallOptions): Promise<IntercomResult<Contact>>;
  searchContacts(body: SearchContactsBody, options?: CallOptions): Promise<IntercomResult<ContactList>>;
  createOrUpdateCompany(body: CompanyUpsertBody, options?: CallOptions): Promise<IntercomResult<Company>>;
  attachCompany(contactId: string, companyId: string, options?: CallOptions): Promise<IntercomResult<Company>>;
  listContactCompanies(
    contactId: string,
    page?: { page?: number; perPage?: number },
    options?: CallOptions,
  ): Promise<IntercomResult<AttachedCompanies>>;
  listContactTags(contactId: string, options?: CallOptions): Promise<IntercomResult<TagList>>;
  listContactSegments(contactId: string, options?: CallOptions): Promise<IntercomResult<SegmentList>>;
  /** GET /companies/{id}, by Intercom's company id. */
  getCompany(companyId: string, options?: CallOptions): Promise<IntercomResult<Company>>;
  /** GET /companies?company_id=, by your company_id; a 404 when there is none. */
  findCompanyByCompanyId(companyId: string, options?: CallOptions): Promise<IntercomResult<CompanyList>>;
  listDataAttributes(
    model: "contact" | "company",
    query?: { includeArchived?: boolean },
    options?: CallOptions,
  ): Promise<IntercomResult<DataAttributeList>>;
  /** Not repeated once it may have reached Intercom: a second create of the same name is a 400. */
  createDataAttribute(body: CreateDataAttributeBody, options?: CallOptions): Promise<IntercomResult<DataAttribute>>;
  listTags(options?: CallOptions): Promise<IntercomResult<WorkspaceTagList>>;
  /** POST /tags {name}: creates the tag, or returns the existing one of that name. */
  createTag(name: string, options?: CallOptions): Promise<IntercomResult<Tag>>;
  tagContact(contactId: string, tagId: string, options?: CallOptions): Promise<IntercomResult<Tag>>;
  untagContact(contactId: string, tagId: string, options?: CallOptions): Promise<IntercomResult<Tag>>;
  archiveContact(contactId: string, options?: CallOptions): Promise<IntercomResult<ContactArchiveState>>;
  unarchiveContact(contactId: string, options?: CallOptions): Promise<IntercomResult<ContactArchiveState>>;
  listAdmins(options?: CallOptions): Promise<IntercomResult<AdminList>>;
  /** The latest rate-limit headers seen by this client (shared pacing state). */
  rateLimit(): RateLimitInfo;
  /** Counters since creation. */
  stats(): { requests: number; retries: number; rateLimited: number; pacedWaits: number };
}
