/**
 * Facts about the workspace read once and reused: its custom attributes, tags and admins (per client, so a bulk run
 * or a long-lived library client reads each once), and, within a bulk run only, its companies.
 */
import type { IntercomClient, IntercomResult } from "@intercom-kit/core";
import type { AttributeDefinition } from "./attributes.js";
import type { WorkspaceCache } from "./types.js";

interface CacheState extends WorkspaceCache {
  /** Also cache company reads and share company upserts (a bulk run; company facts go stale in a long-lived client). */
  readonly companies: boolean;
}

const byClient = new WeakMap<IntercomClient, CacheState>();

/** A cache for one bulk run (companies included) or a scope of your own. */
export function createWorkspaceCache(options: { companies?: boolean } = {}): WorkspaceCache {
  const cache: CacheState = { entries: new Map(), companies: options.companies === true };
  return cache;
}

/** The cache `prepareUpdate` uses for this client when none is given. */
export function cacheFor(client: IntercomClient): WorkspaceCache {
  let cache = byClient.get(client);
  if (!cache) {
    cache = { entries: new Map(), companies: false };
    byClient.set(client, cache);
  }
  return cache;
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
  const known = cache.entries.get(key) as Promise<IntercomResult<T>> | undefined;
  if (known) return { result: known, sent: false };
  const result = read().then((r) => {
    if (!r.ok && cache.entries.get(key) === result) cache.entries.delete(key);
    return r;
  });
  cache.entries.set(key, result);
  return { result, sent: true };
}

/** True when `key` is cached (so reading it costs no round trip). */
export function isCached(cache: WorkspaceCache, key: string): boolean {
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
