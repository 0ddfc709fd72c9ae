import type { AdminRecord, CompanyRecord, ContactRecord, SandboxData, SegmentRecord, TagRecord } from "./model.js";
import { servesV216 } from "./versions.js";

/** At most this many items are inlined in a contact's tags/companies lists (as Intercom does). */
const INLINE_MAX = 10;

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Versions on which `owner_id` is a string (2.16 changed it from integer). */
function list(data: JsonObject[], url: string, total: number): JsonObject {
  return { type: "list", data, url, total_count: total, has_more: total > data.length };
}

/** A contact as `GET /contacts/{id}` returns it (the official example's keys, in its order). */
export function contactView(data: SandboxData, c: ContactRecord, version = "2.15"): JsonObject {
  const companies = c.company_ids.filter((id) => data.companies.some((co) => co.id === id));
  return {
    type: "contact",
    id: c.id,
    workspace_id: data.workspace_id,
    external_id: c.external_id,
    role: c.role,
    email: c.email,
    email_domain: c.email.includes("@") ? c.email.slice(c.email.lastIndexOf("@") + 1) : "",
    phone: c.phone,
    name: c.name,
    avatar: c.avatar === null ? null : { type: "avatar", image_url: c.avatar },
    owner_id: c.owner_id === null ? null : servesV216(version) ? String(c.owner_id) : c.owner_id,
    social_profiles: {
      type: "list",
      data: c.social_profiles.map((p) => ({ type: "social_profile", name: p.name, url: p.url })),
    },
    has_hard_bounced: c.has_hard_bounced,
    marked_email_as_spam: c.marked_email_as_spam,
    unsubscribed_from_emails: c.unsubscribed_from_emails,
    created_at: c.created_at,
    updated_at: c.updated_at,
    signed_up_at: c.signed_up_at,
    last_seen_at: c.last_seen_at,
    last_replied_at: c.last_replied_at,
    last_contacted_at: c.last_contacted_at,
    last_email_opened_at: c.last_email_opened_at,
    last_email_clicked_at: c.last_email_clicked_at,
    language_override: c.language_override,
    browser: c.browser,
    browser_version: c.browser_version,
    browser_language: c.browser_language,
    os: c.os,
    location: {
      type: "location",
      country: c.location.country,
      region: c.location.region,
      city: c.location.city,
      country_code: c.location.country_code,
      continent_code: c.location.continent_code,
    },
    android_app_name: c.android_app_name,
    android_app_version: c.android_app_version,
    android_device: c.android_device,
    android_os_version: c.android_os_version,
    android_sdk_version: c.android_sdk_version,
    android_last_seen_at: c.android_last_seen_at,
    ios_app_name: c.ios_app_name,
    ios_app_version: c.ios_app_version,
    ios_device: c.ios_device,
    ios_os_version: c.ios_os_version,
    ios_sdk_version: c.ios_sdk_version,
    ios_last_seen_at: c.ios_last_seen_at,
    custom_attributes: { ...c.custom_attributes },
    tags: list(
      c.tags.slice(0, INLINE_MAX).map((t) => ({ type: "tag", id: t.id, url: `/tags/${t.id}` })),
      `/contacts/${c.id}/tags`,
      c.tags.length,
    ),
    notes: list([], `/contacts/${c.id}/notes`, 0),
    companies: list(
      companies.slice(0, INLINE_MAX).map((id) => ({ type: "company", id, url: `/companies/${id}` })),
      `/contacts/${c.id}/companies`,
      companies.length,
    ),
    opted_out_subscription_types: list([], `/contacts/${c.id}/subscriptions`, 0),
    opted_in_subscription_types: list([], `/contacts/${c.id}/subscriptions`, 0),
    utm_campaign: c.utm_campaign,
    utm_content: c.utm_content,
    utm_medium: c.utm_medium,
    utm_source: c.utm_source,
    utm_term: c.utm_term,
    referrer: c.referrer,
    enabled_push_messaging: c.enabled_push_messaging,
  };
}

/** Stable small id for a plan name (Intercom gives plans their own ids). */
function planId(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 900_000;
  return String(100_000 + h);
}

export function userCount(data: SandboxData, companyId: string): number {
  return data.contacts.filter((c) => c.merged_into === null && !c.archived && c.company_ids.includes(companyId)).length;
}

/** A company as `POST /companies` returns it; unset optional scalars are left out, as in the official examples. */
export function companyView(data: SandboxData, co: CompanyRecord): JsonObject {
  const out: JsonObject = { type: "company", company_id: co.company_id, id: co.id, app_id: data.workspace_id };
  if (co.name !== null) out.name = co.name;
  if (co.remote_created_at !== null) out.remote_created_at = co.remote_created_at;
  out.created_at = co.created_at;
  out.updated_at = co.updated_at;
  if (co.last_request_at !== null) out.last_request_at = co.last_request_at;
  out.monthly_spend = co.monthly_spend;
  out.session_count = co.session_count;
  out.user_count = userCount(data, co.id);
  if (co.size !== null) out.size = co.size;
  if (co.website !== null) out.website = co.website;
  if (co.industry !== null) out.industry = co.industry;
  out.tags = { type: "tag.list", tags: [] };
  out.segments = { type: "segment.list", segments: [] };
  out.plan = co.plan === null ? {} : { type: "plan", id: planId(co.plan), name: co.plan };
  out.custom_attributes = { ...co.custom_attributes };
  return out;
}

/** A tag as applied to a contact (`applied_at`, `applied_by`). */
export function tagView(tag: TagRecord, appliedAt: number): JsonObject {
  return {
    type: "tag",
    id: tag.id,
    name: tag.name,
    applied_at: appliedAt,
    applied_by: { type: "admin", id: tag.applied_by },
  };
}

/** A tag of the workspace (`tag_basic`). */
export function tagBasicView(tag: TagRecord): JsonObject {
  return { type: "tag", id: tag.id, name: tag.name };
}

/** An admin as `GET /admins` lists it; `avatar` only when asked for (`display_avatar=true`). */
export function adminView(a: AdminRecord, withAvatar = false): JsonObject {
  const out: JsonObject = { type: "admin", email: a.email, id: a.id, name: a.name };
  if (a.job_title !== null) out.job_title = a.job_title;
  out.away_mode_enabled = a.away_mode_enabled;
  out.away_mode_reassign = a.away_mode_reassign;
  out.has_inbox_seat = a.has_inbox_seat;
  out.team_ids = [...a.team_ids];
  if (withAvatar) out.avatar = a.avatar;
  return out;
}

/** `contact_archived` / `contact_unarchived`. */
export function contactReferenceView(c: ContactRecord): JsonObject {
  return { type: "contact", id: c.id, external_id: c.external_id, archived: c.archived };
}

export function segmentView(s: SegmentRecord): JsonObject {
  return {
    type: "segment",
    id: s.id,
    name: s.name,
    created_at: s.created_at,
    updated_at: s.updated_at,
    person_type: s.person_type,
  };
}
