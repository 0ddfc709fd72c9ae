import type { DataAttribute, DataType } from "./model.js";
import type { JsonObject } from "./views.js";

export type Model = DataAttribute["model"];

interface Standard {
  name: string;
  /** Dotted path for nested attributes (e.g. `location.city`); the name otherwise. */
  full_name?: string;
  label: string;
  description: string;
  data_type: DataType;
  api_writable: boolean;
}

/** A realistic handful of Intercom's standard contact attributes (`custom: false`), api_writable as Intercom marks them. */
const STANDARD_CONTACT: Standard[] = [
  { name: "id", label: "ID", description: "Intercom's id for the contact", data_type: "string", api_writable: false },
  {
    name: "external_id",
    label: "User ID",
    description: "Your id for the user",
    data_type: "string",
    api_writable: true,
  },
  { name: "role", label: "Role", description: "user or lead", data_type: "string", api_writable: true },
  { name: "name", label: "Name", description: "The contact's full name", data_type: "string", api_writable: true },
  {
    name: "email",
    label: "Email",
    description: "The contact's email address",
    data_type: "string",
    api_writable: true,
  },
  {
    name: "email_domain",
    label: "Email domain",
    description: "The domain part of the email address",
    data_type: "string",
    api_writable: false,
  },
  { name: "phone", label: "Phone", description: "The contact's phone number", data_type: "string", api_writable: true },
  {
    name: "image_url",
    full_name: "avatar.image_url",
    label: "Avatar",
    description: "URL of the contact's avatar image",
    data_type: "string",
    api_writable: true,
  },
  {
    name: "owner_id",
    label: "Owner",
    description: "The admin who owns the contact",
    data_type: "integer",
    api_writable: true,
  },
  {
    name: "signed_up_at",
    label: "Signed up",
    description: "When the user signed up",
    data_type: "date",
    api_writable: true,
  },
  {
    name: "last_seen_at",
    label: "Last seen",
    description: "When the contact was last seen",
    data_type: "date",
    api_writable: true,
  },
  {
    name: "unsubscribed_from_emails",
    label: "Unsubscribed from emails",
    description: "Whether the contact opted out of emails",
    data_type: "boolean",
    api_writable: true,
  },
  {
    name: "has_hard_bounced",
    label: "Hard bounced",
    description: "Whether an email to the contact hard-bounced",
    data_type: "boolean",
    api_writable: false,
  },
  {
    name: "marked_email_as_spam",
    label: "Marked email as spam",
    description: "Whether the contact marked an email as spam",
    data_type: "boolean",
    api_writable: false,
  },
  {
    name: "created_at",
    label: "Created",
    description: "When the contact was added to Intercom",
    data_type: "date",
    api_writable: false,
  },
  {
    name: "updated_at",
    label: "Updated",
    description: "When the contact was last changed",
    data_type: "date",
    api_writable: false,
  },
  {
    name: "city",
    full_name: "location.city",
    label: "City",
    description: "City, from the contact's location",
    data_type: "string",
    api_writable: false,
  },
  {
    name: "country",
    full_name: "location.country",
    label: "Country",
    description: "Country, from the contact's location",
    data_type: "string",
    api_writable: false,
  },
];

/** Intercom's standard company attributes (the names, types and writability of the official example). */
const STANDARD_COMPANY: Standard[] = [
  { name: "id", label: "ID", description: "Intercom's id for the company", data_type: "string", api_writable: false },
  {
    name: "company_id",
    label: "Company ID",
    description: "Your id for the company",
    data_type: "string",
    api_writable: false,
  },
  { name: "name", label: "Company name", description: "The company's name", data_type: "string", api_writable: true },
  {
    name: "name",
    full_name: "plan.name",
    label: "Plan",
    description: "The company's plan",
    data_type: "string",
    api_writable: false,
  },
  {
    name: "monthly_spend",
    label: "Monthly Spend",
    description: "Revenue from the company per month",
    data_type: "float",
    api_writable: true,
  },
  { name: "size", label: "Company size", description: "Number of employees", data_type: "integer", api_writable: true },
  {
    name: "industry",
    label: "Company industry",
    description: "The company's industry",
    data_type: "string",
    api_writable: true,
  },
  {
    name: "website",
    label: "Company website",
    description: "The company's website",
    data_type: "string",
    api_writable: true,
  },
  {
    name: "remote_created_at",
    label: "Company created at",
    description: "When you created the company",
    data_type: "date",
    api_writable: true,
  },
  {
    name: "user_count",
    label: "People",
    description: "Number of people in the company",
    data_type: "integer",
    api_writable: false,
  },
  {
    name: "created_at",
    label: "Created at",
    description: "When the company was added to Intercom",
    data_type: "date",
    api_writable: false,
  },
];

const STANDARD: Record<Model, Standard[]> = { contact: STANDARD_CONTACT, company: STANDARD_COMPANY };

/** Names no new custom attribute of this model may take (standard ones, as their top-level name). */
export function standardNames(model: Model): string[] {
  return STANDARD[model].filter((a) => a.full_name === undefined).map((a) => a.name);
}

export function standardAttributeViews(model: Model): JsonObject[] {
  return STANDARD[model].map((a) => ({
    type: "data_attribute",
    name: a.name,
    full_name: a.full_name ?? a.name,
    label: a.label,
    description: a.description,
    data_type: a.data_type,
    api_writable: a.api_writable,
    ui_writable: false,
    messenger_writable: true,
    custom: false,
    archived: false,
    model,
  }));
}

/** A custom attribute as `GET /data_attributes` and `POST /data_attributes` return it. */
export function customAttributeView(a: DataAttribute): JsonObject {
  const out: JsonObject = {
    id: a.id,
    type: "data_attribute",
    name: a.name,
    full_name: `custom_attributes.${a.name}`,
    label: a.label,
  };
  if (a.description !== null) out.description = a.description;
  out.data_type = a.data_type;
  if (a.options !== null) out.options = [...a.options];
  out.api_writable = a.api_writable;
  out.ui_writable = a.ui_writable;
  out.messenger_writable = a.messenger_writable;
  out.custom = true;
  out.archived = a.archived;
  if (a.admin_id !== null) out.admin_id = a.admin_id;
  out.created_at = a.created_at;
  out.updated_at = a.updated_at;
  out.model = a.model;
  return out;
}
