/** The sandbox's stored records: plain JSON, so the whole state can be persisted and reloaded as is. */

export type CustomValue = string | number | boolean | null;

export interface LocationRecord {
  country: string | null;
  region: string | null;
  city: string | null;
  country_code: string | null;
  continent_code: string | null;
}

export interface ContactRecord {
  id: string;
  external_id: string | null;
  role: "user" | "lead";
  email: string;
  phone: string | null;
  name: string | null;
  /** Image URL; served as `{type: "avatar", image_url}`. */
  avatar: string | null;
  owner_id: number | null;
  social_profiles: { name: string; url: string }[];
  has_hard_bounced: boolean;
  marked_email_as_spam: boolean;
  unsubscribed_from_emails: boolean;
  created_at: number;
  updated_at: number;
  signed_up_at: number | null;
  last_seen_at: number | null;
  last_replied_at: number | null;
  last_contacted_at: number | null;
  last_email_opened_at: number | null;
  last_email_clicked_at: number | null;
  language_override: string | null;
  browser: string | null;
  browser_version: string | null;
  browser_language: string | null;
  os: string | null;
  android_app_name: string | null;
  android_app_version: string | null;
  android_device: string | null;
  android_os_version: string | null;
  android_sdk_version: string | null;
  android_last_seen_at: number | null;
  ios_app_name: string | null;
  ios_app_version: string | null;
  ios_device: string | null;
  ios_os_version: string | null;
  ios_sdk_version: string | null;
  ios_last_seen_at: number | null;
  location: LocationRecord;
  custom_attributes: Record<string, CustomValue>;
  /** Applied tags, in the order they were applied. */
  tags: { id: string; applied_at: number }[];
  /** Intercom company ids, in attach order. */
  company_ids: string[];
  segment_ids: string[];
  utm_campaign: string | null;
  utm_content: string | null;
  utm_medium: string | null;
  utm_source: string | null;
  utm_term: string | null;
  referrer: string | null;
  enabled_push_messaging: boolean | null;
  /** Set when this contact was merged into another: lookups answer 404 (2.15) or 410 with a Link (2.16). */
  merged_into: string | null;
  /** Archived (`POST /contacts/{id}/archive`): invisible to every contact route until unarchived. */
  archived: boolean;
}

export interface CompanyRecord {
  id: string;
  company_id: string;
  name: string | null;
  plan: string | null;
  size: number | null;
  website: string | null;
  industry: string | null;
  monthly_spend: number;
  remote_created_at: number | null;
  created_at: number;
  updated_at: number;
  last_request_at: number | null;
  session_count: number;
  custom_attributes: Record<string, CustomValue>;
}

export interface TagRecord {
  id: string;
  name: string;
  /** The admin who applied it (served as `applied_by`). */
  applied_by: string;
}

export interface SegmentRecord {
  id: string;
  name: string;
  created_at: number;
  updated_at: number;
  person_type: "user" | "contact";
}

/** The data types Intercom serves (a list attribute is a `string` with `options`; `datetime` is served as `date`). */
export type DataType = "string" | "integer" | "float" | "boolean" | "date";

/** A custom data attribute (the standard ones are fixed, see data-attributes.ts). */
export interface DataAttribute {
  name: string;
  model: "contact" | "company";
  data_type: DataType;
  /** Intercom's integer id. */
  id: number;
  /** What the UI shows (the name, unless set otherwise). */
  label: string;
  description: string | null;
  /** A list attribute's allowed values; null for a free value. */
  options: string[] | null;
  /** False: `PUT /contacts` (or `POST /companies`) may not set it. */
  api_writable: boolean;
  messenger_writable: boolean;
  ui_writable: boolean;
  /** Archived attributes are hidden from the list (unless `include_archived=true`) and refused on writes. */
  archived: boolean;
  /** The admin who created it. */
  admin_id: string | null;
  created_at: number;
  updated_at: number;
}

/** A teammate of the workspace (`GET /admins`); `owner_id` must name one. */
export interface AdminRecord {
  id: string;
  name: string;
  email: string;
  job_title: string | null;
  away_mode_enabled: boolean;
  away_mode_reassign: boolean;
  has_inbox_seat: boolean;
  team_ids: number[];
  avatar: string | null;
}

/** Everything the sandbox knows. Persisted verbatim by `stateFile`. */
export interface SandboxData {
  format: "intercom-kit-sandbox-state";
  version: 1;
  workspace_id: string;
  /** Counter for new Intercom ids (companies created at run time). */
  next_id: number;
  contacts: ContactRecord[];
  companies: CompanyRecord[];
  tags: TagRecord[];
  segments: SegmentRecord[];
  /** Custom data attributes of both models (archived ones included). */
  data_attributes: DataAttribute[];
  admins: AdminRecord[];
}
