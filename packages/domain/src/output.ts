import type { AttachedCompanies, Company, Contact, SegmentList, TagList } from "@intercom-kit/core";
import type { UpdateUserOutput } from "./types.js";

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);

/** The companies of GET /contacts/{id}/companies (the official schema says `companies`, its example says `data`). */
export function attachedCompanies(list: AttachedCompanies | null | undefined): Company[] {
  if (!list) return [];
  return list.companies ?? list.data ?? [];
}

export interface OutputSources {
  contact: Contact;
  /** null when not read: falls back to the ids on the contact, without names. */
  companies: Company[] | null;
  tags: TagList | null;
  segments: SegmentList | null;
}

/**
 * Maps API 2.x answers onto the legacy user record (the seed's output list): legacy names and nesting, values from
 * Intercom; fields 2.x does not have are null. The table in README.md says where each field comes from.
 */
export function toUserOutput({ contact, companies, tags, segments }: OutputSources): UpdateUserOutput {
  const location = contact.location ?? {};
  const inlineCompanies = (contact.companies?.data ?? []).map((c) => ({
    id: c.id ?? "",
    company_id: null,
    name: null,
  }));
  const companyRows = companies
    ? companies.map((c) => ({ id: c.id ?? "", company_id: str(c.company_id), name: str(c.name) }))
    : inlineCompanies;
  const tagRows = tags
    ? (tags.data ?? []).map((t) => ({ id: t.id ?? "", name: str(t.name) }))
    : (contact.tags?.data ?? []).map((t) => ({ id: t.id ?? "", name: null }));
  const raw = contact as Contact & Record<string, unknown>;
  return {
    type: "user",
    id: contact.id ?? "",
    user_id: str(contact.external_id),
    anonymous: contact.role === "lead",
    email: str(contact.email),
    name: str(contact.name),
    avatar: { type: "avatar", image_url: str(contact.avatar?.image_url) },
    app_id: str(contact.workspace_id),
    companies: {
      type: "company.list",
      companies: companyRows.map((c) => ({ type: "company", ...c })),
    },
    location_data: {
      type: "location_data",
      city_name: str(location.city),
      continent_code: str(location.continent_code),
      country_name: str(location.country),
      latitude: null,
      longitude: null,
      postal_code: null,
      region_name: str(location.region),
      timezone: null,
      country_code: str(location.country_code),
    },
    phone: str(contact.phone),
    pseudonym: null,
    remote_created_at: num(contact.signed_up_at),
    session_count: null,
    owner_id: typeof raw.owner_id === "number" || typeof raw.owner_id === "string" ? String(raw.owner_id) : null,
    last_request_at: num(contact.last_seen_at),
    created_at: num(contact.created_at),
    signed_up_at: num(contact.signed_up_at),
    updated_at: num(contact.updated_at),
    unsubscribed_from_emails: bool(contact.unsubscribed_from_emails),
    marked_email_as_spam: bool(contact.marked_email_as_spam),
    has_hard_bounced: bool(contact.has_hard_bounced),
    do_not_track: null,
    referrer: str(contact.referrer),
    last_seen_ip: null,
    user_agent_data: null,
    utm_campaign: str(contact.utm_campaign),
    utm_content: str(contact.utm_content),
    utm_medium: str(contact.utm_medium),
    utm_source: str(contact.utm_source),
    utm_term: str(contact.utm_term),
    social_profiles: {
      type: "social_profile.list",
      social_profiles: (contact.social_profiles?.data ?? []).map((p) => ({
        type: "social_profile",
        id: null,
        name: str(p.name),
        url: str(p.url),
        username: null,
      })),
    },
    custom_attributes: { ...(contact.custom_attributes ?? {}) },
    tags: { type: "tag.list", tags: tagRows.map((t) => ({ type: "tag", ...t })) },
    segments: {
      type: "segment.list",
      segments: (segments?.data ?? []).map((s) => ({ type: "segment", id: s.id ?? "", name: str(s.name) })),
    },
  };
}
