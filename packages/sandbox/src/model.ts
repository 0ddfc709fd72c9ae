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
  /** Set when this contact was merged into another: every lookup of it answers 410 with a Link to that id. */
  merged_into: string | null;
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

export type DataType = "string" | "integer" | "float" | "boolean" | "date";

export interface DataAttribute {
  name: string;
  model: "contact" | "company";
  data_type: DataType;
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
  data_attributes: DataAttribute[];
}
