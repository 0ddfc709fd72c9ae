import { attachCompany, createOrUpdateCompany, listAttachedCompanies } from "./companies.js";
import { searchContacts } from "./contact-search.js";
import { listSegments, showContact, showContactByExternalId, updateContact } from "./contacts.js";
import type { Handler } from "./context.js";
import { listTags } from "./tags.js";

export type { Handler, RouteContext } from "./context.js";

interface Route {
  method: string;
  pattern: string[];
  handler: Handler;
}

const route = (method: string, pattern: string, handler: Handler): Route => ({
  method,
  pattern: pattern.split("/").filter(Boolean),
  handler,
});

/** The Intercom routes the sandbox serves, by resource. */
export const ROUTES: readonly Route[] = [
  // contacts
  route("POST", "/contacts/search", searchContacts),
  route("GET", "/contacts/find_by_external_id/:external_id", showContactByExternalId),
  route("GET", "/contacts/:contact_id", showContact),
  route("PUT", "/contacts/:contact_id", updateContact),
  route("GET", "/contacts/:contact_id/segments", listSegments),
  // companies
  route("POST", "/companies", createOrUpdateCompany),
  route("GET", "/contacts/:contact_id/companies", listAttachedCompanies),
  route("POST", "/contacts/:contact_id/companies", attachCompany),
  // tags
  route("GET", "/contacts/:contact_id/tags", listTags),
];

export type RouteMatch =
  | { kind: "found"; handler: Handler; params: Record<string, string>; template: string }
  | { kind: "method"; allowed: string[] }
  | { kind: "none" };

/** `segments` are already percent-decoded. */
export function matchRoute(method: string, segments: string[]): RouteMatch {
  const allowed: string[] = [];
  for (const r of ROUTES) {
    if (r.pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let hit = true;
    for (let i = 0; i < r.pattern.length; i++) {
      const p = r.pattern[i]!;
      const s = segments[i]!;
      if (p.startsWith(":")) params[p.slice(1)] = s;
      else if (p !== s) {
        hit = false;
        break;
      }
    }
    if (!hit) continue;
    // "/contacts/search" must not be read as GET /contacts/{id} = "search" when the method differs.
    if (r.method === method) return { kind: "found", handler: r.handler, params, template: `/${r.pattern.join("/")}` };
    allowed.push(r.method);
  }
  return allowed.length ? { kind: "method", allowed } : { kind: "none" };
}
