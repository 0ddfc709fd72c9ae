import type { components } from "./generated/intercom.js";
import type { Region } from "./regions.js";

type Schemas = components["schemas"];

/** Models, named once here so nobody outside core needs the generated names. */
export type Contact = Schemas["contact_with_push"];
export type UpdateContactBody = Schemas["update_contact_request"];
export type SearchContactsBody = Schemas["search_request"];
export type ContactList = Schemas["contact_list"];
export type Company = Schemas["company"];
export type CompanyUpsertBody = NonNullable<Schemas["create_or_update_company_request"]>;
export type AttachedCompanies = Schemas["contact_attached_companies"];
export type TagList = Schemas["tag_list"];
export type SegmentList = Schemas["contact_segments"];
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
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number;
  /** Upper bound of any single retry or pacing wait. Default 60 000. */
  maxDelayMs?: number;
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

export interface RequestEvent {
  method: string;
  /** Path with ids, without query or host, e.g. `/contacts/abc`. */
  path: string;
  attempt: number;
  status: number | null;
  requestId: string | null;
  durationMs: number;
  /** What happens next: done, a retry after `delayMs`, or giving up. */
  outcome: "ok" | "retry" | "failed";
  delayMs?: number;
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
  | (FailureBase & { kind: "network"; cause: string })
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
  /** The latest rate-limit headers seen by this client (shared pacing state). */
  rateLimit(): RateLimitInfo;
  /** Counters since creation. */
  stats(): { requests: number; retries: number; rateLimited: number; pacedWaits: number };
}
