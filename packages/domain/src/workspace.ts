/**
 * Facts about the workspace read once and reused: its custom attributes, tags and admins (per client, for a minute,
 * so a burst of updates reads each once while a long-lived client, such as an agent server, still sees a tag renamed
 * in Intercom), and, within a bulk run only, for the whole run, its companies.
 */
import type { IntercomClient, IntercomResult } from "@intercom-kit/core";
import type { AttributeDefinition } from "./attributes.js";
import type { WorkspaceCache } from "./types.js";

interface CacheState extends WorkspaceCache {
  /** Also cache company reads and share company upserts (a bulk run; company facts go stale in a long-lived client). */
  readonly companies: boolean;
  /** Entries older than this are read again (null: kept for the cache's life). */
  readonly maxAgeMs: number | null;
  readonly readAt: Map<string, number>;
  readonly now: () => number;
}

/** How long a client's own cache keeps what it read. */
export const CLIENT_CACHE_MAX_AGE_MS = 60_000;

const byClient = new WeakMap<IntercomClient, CacheState>();

export interface WorkspaceCacheOptions {
  /** Also cache companies by Company ID and share their upserts (a bulk run). */
  companies?: boolean;
  /** Read an entry again once it is this old. Default: never (the cache lives as long as its run). */
  maxAgeMs?: number;
  now?: () => number;
}

/** A cache for one bulk run (companies included) or a scope of your own. */
export function createWorkspaceCache(options: WorkspaceCacheOptions = {}): WorkspaceCache {
  const cache: CacheState = {
    entries: new Map(),
    companies: options.companies === true,
    maxAgeMs: options.maxAgeMs ?? null,
    readAt: new Map(),
    now: options.now ?? Date.now,
  };
  return cache;
}

/** The cache `prepareUpdate` uses for this client when none is given: workspace facts for a minute. */
export function cacheFor(client: IntercomClient): WorkspaceCache {
  let cache = byClient.get(client);
  if (!cache) {
    cache = createWorkspaceCache({ maxAgeMs: CLIENT_CACHE_MAX_AGE_MS }) as CacheState;
    byClient.set(client, cache);
  }
  return cache;
}

/** Drops `key` when it is older than the cache keeps things. */
function expire(cache: WorkspaceCache, key: string): void {
  const state = cache as Partial<CacheState>;
  const at = state.readAt?.get(key);
  if (state.maxAgeMs == null || at === undefined || !state.now) return;
  if (state.now() - at >= state.maxAgeMs) {
    cache.entries.delete(key);
    state.readAt?.delete(key);
  }
}

export function cachesCompanies(cache: WorkspaceCache): boolean {
  return (cache as Partial<CacheState>).companies === true;
}

/**
 * A cached read: the first caller sends it, later ones share the answer. A failed read is not kept, so the next
 * caller tries again.
 */
export function cached<T>(
  cache: WorkspaceCache,
  key: string,
  read: () => Promise<IntercomResult<T>>,
): { result: Promise<IntercomResult<T>>; sent: boolean } {
  expire(cache, key);
  const known = cache.entries.get(key) as Promise<IntercomResult<T>> | undefined;
  if (known) return { result: known, sent: false };
  const result = read().then((r) => {
    if (!r.ok && cache.entries.get(key) === result) cache.entries.delete(key);
    return r;
  });
  cache.entries.set(key, result);
  const state = cache as Partial<CacheState>;
  if (state.readAt && state.now) state.readAt.set(key, state.now());
  return { result, sent: true };
}

/** True when `key` is cached and fresh (so reading it costs no round trip). */
export function isCached(cache: WorkspaceCache, key: string): boolean {
  expire(cache, key);
  return cache.entries.has(key);
}

export const CACHE_KEYS = {
  dataAttributes: "data-attributes:contact",
  tags: "tags",
  admins: "admins",
  company: (companyId: string) => `company:${companyId}`,
  upsert: (body: string) => `upsert:${body}`,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Reading the answers: every field the domain relies on is checked, so an unexpected answer is an error value

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The attribute definitions of a data_attribute_list, or undefined when the answer is not one. */
export function readDefinitions(data: unknown): AttributeDefinition[] | undefined {
  if (!isObject(data) || !Array.isArray(data.data)) return undefined;
  const out: AttributeDefinition[] = [];
  for (const item of data.data) {
    if (!isObject(item) || typeof item.name !== "string") return undefined;
    // Standard attributes (name, email, ...) are written through their own fields, not custom_attributes.
    if (item.custom === false) continue;
    const options = Array.isArray(item.options) ? item.options.filter((o): o is string => typeof o === "string") : [];
    out.push({
      name: item.name,
      dataType: typeof item.data_type === "string" ? item.data_type : "string",
      options,
      archived: item.archived === true,
      apiWritable: item.api_writable !== false,
    });
  }
  return out;
}

/**
 * The company with `companyId` in an answer of `GET /companies?company_id=` (a list; a single company is taken too):
 * the company, null when the list does not hold it, undefined when the answer is neither.
 */
export function findCompanyIn(data: unknown, companyId: string): Record<string, unknown> | null | undefined {
  const list =
    isObject(data) && Array.isArray(data.data)
      ? data.data
      : isObject(data) && typeof data.id === "string"
        ? [data]
        : undefined;
  if (!list) return undefined;
  return (
    list.find(
      (x): x is Record<string, unknown> => isObject(x) && x.company_id === companyId && typeof x.id === "string",
    ) ?? null
  );
}

export interface WorkspaceTag {
  id: string;
  name: string;
}

/** The tags of a tag list (workspace or contact), or undefined when the answer is not one. */
export function readTags(data: unknown): WorkspaceTag[] | undefined {
  if (!isObject(data) || !Array.isArray(data.data)) return undefined;
  const out: WorkspaceTag[] = [];
  for (const item of data.data) {
    if (!isObject(item) || typeof item.id !== "string") return undefined;
    out.push({ id: item.id, name: typeof item.name === "string" ? item.name : "" });
  }
  return out;
}

export interface WorkspaceAdmin {
  id: string;
  email: string | null;
  name: string | null;
}

export function readAdmins(data: unknown): WorkspaceAdmin[] | undefined {
  if (!isObject(data) || !Array.isArray(data.admins)) return undefined;
  const out: WorkspaceAdmin[] = [];
  for (const item of data.admins) {
    if (!isObject(item) || (typeof item.id !== "string" && typeof item.id !== "number")) return undefined;
    out.push({
      id: String(item.id),
      email: typeof item.email === "string" ? item.email : null,
      name: typeof item.name === "string" ? item.name : null,
    });
  }
  return out;
}
