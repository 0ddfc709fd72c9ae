import { listAdmins } from "./admins.js";
import {
  attachCompany,
  createOrUpdateCompany,
  listAttachedCompanies,
  retrieveCompanies,
  showCompany,
} from "./companies.js";
import { searchContacts } from "./contact-search.js";
import {
  archiveContact,
  createContact,
  listSegments,
  showContact,
  showContactByExternalId,
  unarchiveContact,
  updateContact,
} from "./contacts.js";
import type { Handler } from "./context.js";
import { createDataAttribute, listDataAttributes } from "./data-attributes.js";
import { attachTag, createTag, detachTag, listContactTags, listTags } from "./tags.js";

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

/** The Intercom routes the sandbox serves, by resource. Templates are what fault rules and the request log see. */
export const ROUTES: readonly Route[] = [
  // contacts
  route("POST", "/contacts", createContact),
  route("POST", "/contacts/search", searchContacts),
  route("GET", "/contacts/find_by_external_id/:external_id", showContactByExternalId),
  route("GET", "/contacts/:contact_id", showContact),
  route("PUT", "/contacts/:contact_id", updateContact),
  route("POST", "/contacts/:contact_id/archive", archiveContact),
  route("POST", "/contacts/:contact_id/unarchive", unarchiveContact),
  route("GET", "/contacts/:contact_id/segments", listSegments),
  // companies
  route("POST", "/companies", createOrUpdateCompany),
  route("GET", "/companies", retrieveCompanies),
  route("GET", "/companies/:company_id", showCompany),
  route("GET", "/contacts/:contact_id/companies", listAttachedCompanies),
  route("POST", "/contacts/:contact_id/companies", attachCompany),
  // tags
  route("GET", "/tags", listTags),
  route("POST", "/tags", createTag),
  route("GET", "/contacts/:contact_id/tags", listContactTags),
  route("POST", "/contacts/:contact_id/tags", attachTag),
  route("DELETE", "/contacts/:contact_id/tags/:tag_id", detachTag),
  // data attributes
  route("GET", "/data_attributes", listDataAttributes),
  route("POST", "/data_attributes", createDataAttribute),
  // admins
  route("GET", "/admins", listAdmins),
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
