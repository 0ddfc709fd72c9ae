/**
 * One company upsert per distinct company across a bulk run: a client wrapper whose `createOrUpdateCompany` is
 * memoised by the request body (company_id + name + monthly_spend, canonical JSON). Wrapping the client keeps
 * `updateUser` unaware of bulk runs: it asks for the upsert as usual and gets the shared answer.
 */
import type { Company, CompanyUpsertBody, IntercomClient, IntercomResult } from "@intercom-kit/core";
import { canonicalJson } from "./canonical-json.js";

export interface CompanyCacheStats {
  /** Upserts actually sent (first calls, and retries after a shared failure). */
  sent: number;
  /** Upserts answered from the cache or by joining one in flight. */
  shared: number;
}

export interface CompanyCachingClient extends IntercomClient {
  companyCacheStats(): CompanyCacheStats;
}

/**
 * Wraps `client` so equal company upserts are sent once. A failed upsert is not cached: the row that joined a
 * failing call tries once on its own, and later rows start afresh, so one transient failure does not sink every
 * row of that company.
 */
export function withCompanyCache(client: IntercomClient): CompanyCachingClient {
  const cache = new Map<string, Promise<IntercomResult<Company>>>();
  const stats: CompanyCacheStats = { sent: 0, shared: 0 };

  const send = (key: string, body: CompanyUpsertBody, options?: { signal?: AbortSignal }) => {
    stats.sent++;
    const call = client.createOrUpdateCompany(body, options).then((result) => {
      if (!result.ok && cache.get(key) === call) cache.delete(key);
      return result;
    });
    cache.set(key, call);
    return call;
  };

  return {
    get baseUrl() {
      return client.baseUrl;
    },
    get version() {
      return client.version;
    },
    getContact: (id, o) => client.getContact(id, o),
    updateContact: (id, body, o) => client.updateContact(id, body, o),
    findContactByExternalId: (id, o) => client.findContactByExternalId(id, o),
    searchContacts: (body, o) => client.searchContacts(body, o),
    async createOrUpdateCompany(body, o) {
      const key = canonicalJson(body);
      const shared = cache.get(key);
      if (!shared) return send(key, body, o);
      stats.shared++;
      const result = await shared;
      if (result.ok || o?.signal?.aborted) return result;
      // The call we joined failed: join a newer one if another row already started it, else send our own.
      stats.shared--;
      const newer = cache.get(key);
      if (newer) {
        stats.shared++;
        return newer;
      }
      return send(key, body, o);
    },
    attachCompany: (contactId, companyId, o) => client.attachCompany(contactId, companyId, o),
    listContactCompanies: (contactId, page, o) => client.listContactCompanies(contactId, page, o),
    listContactTags: (contactId, o) => client.listContactTags(contactId, o),
    listContactSegments: (contactId, o) => client.listContactSegments(contactId, o),
    rateLimit: () => client.rateLimit(),
    stats: () => client.stats(),
    companyCacheStats: () => ({ ...stats }),
  };
}
