import type {
  AdminRecord,
  CompanyRecord,
  ContactRecord,
  CustomValue,
  DataAttribute,
  LocationRecord,
  SandboxData,
  SegmentRecord,
  TagRecord,
} from "./model.js";

/** Every seed timestamp is relative to this instant (2024-12-18), so the data never depends on the clock. */
const EPOCH = 1_734_537_000;
const DAY = 86_400;

/** 24 hex characters like Intercom's ids: creation time, a fixed middle, a counter. */
export function makeId(createdAt: number, n: number): string {
  return `${createdAt.toString(16).padStart(8, "0")}5a4db0c1e2${n.toString(16).padStart(6, "0")}`;
}

const WORKSPACE_ID = "ecsbx7kt";

const TAGS: TagRecord[] = [
  { id: "202", name: "Sync", applied_by: "321452" },
  { id: "203", name: "VIP", applied_by: "321452" },
  { id: "204", name: "Beta tester", applied_by: "321453" },
  { id: "205", name: "Churn risk", applied_by: "321453" },
];

const SEGMENT_NAMES = ["Active", "New", "Slipping Away"] as const;
const SEGMENTS: SegmentRecord[] = SEGMENT_NAMES.map((name, i) => ({
  id: makeId(EPOCH - 400 * DAY + i, 900 + i),
  name,
  created_at: EPOCH - 400 * DAY + i * 60,
  updated_at: EPOCH - 10 * DAY + i * 60,
  person_type: "user" as const,
}));
const segmentId = (name: (typeof SEGMENT_NAMES)[number]): string => SEGMENTS.find((s) => s.name === name)!.id;

/** The admin the API acts as (the access token's owner): creator of API-made tags and attributes. */
const API_ADMIN_ID = "321452";

const ADMINS: AdminRecord[] = [
  {
    id: "321452",
    name: "Aoife Byrne",
    email: "aoife.byrne@example.com",
    job_title: "Support lead",
    away_mode_enabled: false,
    away_mode_reassign: false,
    has_inbox_seat: true,
    team_ids: [814865],
    avatar: "https://static.example.com/avatars/321452.png",
  },
  {
    id: "321453",
    name: "Tomás Walsh",
    email: "tomas.walsh@example.com",
    job_title: "Account manager",
    away_mode_enabled: false,
    away_mode_reassign: false,
    has_inbox_seat: true,
    team_ids: [814865],
    avatar: null,
  },
  {
    id: "321454",
    name: "Nadia Okafor",
    email: "nadia.okafor@example.com",
    job_title: null,
    away_mode_enabled: true,
    away_mode_reassign: true,
    has_inbox_seat: false,
    team_ids: [],
    avatar: null,
  },
];

type AttributeSeed = Pick<DataAttribute, "name" | "model" | "data_type"> & Partial<DataAttribute>;

const ATTRIBUTE_SEEDS: AttributeSeed[] = [
  { name: "paid_subscriber", model: "contact", data_type: "boolean", label: "Paid subscriber" },
  { name: "monthly_spend", model: "contact", data_type: "float", label: "Monthly spend" },
  { name: "team_mates", model: "contact", data_type: "integer", label: "Team mates" },
  { name: "last_order_at", model: "contact", data_type: "date", label: "Last order" },
  { name: "plan", model: "contact", data_type: "string", label: "Plan" },
  {
    name: "subscription",
    model: "contact",
    data_type: "string",
    label: "Subscription",
    description: "The subscription the user pays for (a list)",
    options: ["free", "pro", "enterprise"],
  },
  { name: "job_title", model: "contact", data_type: "string", label: "Job title" },
  { name: "nickname", model: "contact", data_type: "string", label: "Nickname" },
  {
    name: "old_plan",
    model: "contact",
    data_type: "string",
    label: "Old plan",
    description: "Replaced by plan; archived",
    archived: true,
  },
  {
    name: "health_score",
    model: "contact",
    data_type: "integer",
    label: "Health score",
    description: "Computed by an integration; not writable through the API",
    api_writable: false,
  },
  { name: "tier", model: "company", data_type: "string", label: "Tier" },
  { name: "region", model: "company", data_type: "string", label: "Region" },
];

const DATA_ATTRIBUTES: DataAttribute[] = ATTRIBUTE_SEEDS.map((a, i) => ({
  id: 12_870 + i,
  label: a.name,
  description: null,
  options: null,
  api_writable: true,
  messenger_writable: false,
  ui_writable: true,
  archived: false,
  admin_id: i % 2 === 0 ? "321452" : "321453",
  created_at: EPOCH - (500 - i) * DAY,
  updated_at: EPOCH - (400 - i) * DAY,
  ...a,
}));

interface CompanySeed {
  company_id: string;
  name: string;
  plan: string | null;
  size: number | null;
  website: string | null;
  industry: string | null;
  monthly_spend: number;
  custom: Record<string, string>;
}

const COMPANY_SEEDS: CompanySeed[] = [
  {
    company_id: "366",
    name: "Serenity",
    plan: "Pro",
    size: 9,
    website: "https://serenity.example.com",
    industry: "Transport",
    monthly_spend: 155,
    custom: { tier: "gold", region: "EMEA" },
  },
  {
    company_id: "6",
    name: "Blue Sun Corporation",
    plan: "Enterprise",
    size: 5000,
    website: "https://bluesun.example.com",
    industry: "Manufacturing",
    monthly_spend: 98_000,
    custom: { tier: "platinum", region: "AMER" },
  },
  {
    company_id: "acme",
    name: "Acme Inc",
    plan: "Starter",
    size: 120,
    website: "https://acme.example.com",
    industry: "Retail",
    monthly_spend: 1_200,
    custom: { tier: "silver", region: "AMER" },
  },
  {
    company_id: "initech",
    name: "Initech",
    plan: "Pro",
    size: 300,
    website: "https://initech.example.com",
    industry: "Software",
    monthly_spend: 4_500,
    custom: { tier: "gold", region: "AMER" },
  },
  {
    company_id: "globex",
    name: "Globex",
    plan: null,
    size: null,
    website: null,
    industry: "Energy",
    monthly_spend: 0,
    custom: {},
  },
  {
    company_id: "no-users",
    name: "Wayne Holdings",
    plan: "Starter",
    size: 40,
    website: "https://wayne.example.com",
    industry: "Finance",
    monthly_spend: 310,
    custom: { tier: "bronze" },
  },
];

function companies(): CompanyRecord[] {
  return COMPANY_SEEDS.map((c, i) => {
    const created = EPOCH - (300 - i * 20) * DAY;
    return {
      id: makeId(created, 500 + i),
      company_id: c.company_id,
      name: c.name,
      plan: c.plan,
      size: c.size,
      website: c.website,
      industry: c.industry,
      monthly_spend: c.monthly_spend,
      remote_created_at: created - 30 * DAY,
      created_at: created,
      updated_at: created + 5 * DAY,
      last_request_at: i % 2 === 0 ? EPOCH - i * DAY : null,
      session_count: i * 3,
      custom_attributes: { ...c.custom },
    };
  });
}

const FIRST = [
  "Ada",
  "Grace",
  "Alan",
  "Katherine",
  "Linus",
  "Margaret",
  "Dennis",
  "Barbara",
  "Ken",
  "Frances",
  "Edsger",
  "Radia",
  "Tim",
  "Hedy",
  "Donald",
  "Sophie",
  "Niklaus",
  "Adele",
  "John",
  "Jean",
  "Bjarne",
  "Anita",
  "Guido",
  "Mary",
  "Yukihiro",
];
const LAST = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Johnson",
  "Torvalds",
  "Hamilton",
  "Ritchie",
  "Liskov",
  "Thompson",
  "Allen",
  "Dijkstra",
  "Perlman",
  "Berners-Lee",
  "Lamarr",
  "Knuth",
  "Wilson",
  "Wirth",
  "Goldberg",
  "Backus",
  "Sammet",
  "Stroustrup",
  "Borg",
  "van Rossum",
  "Kenneth Keller",
  "Matsumoto",
];

const PLACES: LocationRecord[] = [
  { country: "Ireland", region: "Dublin", city: "Dublin", country_code: "IRL", continent_code: "EU" },
  { country: "United States", region: "California", city: "San Francisco", country_code: "USA", continent_code: "NA" },
  { country: "United Kingdom", region: "England", city: "London", country_code: "GBR", continent_code: "EU" },
  { country: "Germany", region: "Berlin", city: "Berlin", country_code: "DEU", continent_code: "EU" },
  { country: "Australia", region: "New South Wales", city: "Sydney", country_code: "AUS", continent_code: "OC" },
  { country: "Japan", region: "Tokyo", city: "Tokyo", country_code: "JPN", continent_code: "AS" },
];
const NO_PLACE: LocationRecord = { country: null, region: null, city: null, country_code: null, continent_code: null };

export function blankContact(id: string, created: number): ContactRecord {
  return {
    id,
    external_id: null,
    role: "user",
    email: "",
    phone: null,
    name: null,
    avatar: null,
    owner_id: null,
    social_profiles: [],
    has_hard_bounced: false,
    marked_email_as_spam: false,
    unsubscribed_from_emails: false,
    created_at: created,
    updated_at: created,
    signed_up_at: created,
    last_seen_at: null,
    last_replied_at: null,
    last_contacted_at: null,
    last_email_opened_at: null,
    last_email_clicked_at: null,
    language_override: null,
    browser: null,
    browser_version: null,
    browser_language: null,
    os: null,
    android_app_name: null,
    android_app_version: null,
    android_device: null,
    android_os_version: null,
    android_sdk_version: null,
    android_last_seen_at: null,
    ios_app_name: null,
    ios_app_version: null,
    ios_device: null,
    ios_os_version: null,
    ios_sdk_version: null,
    ios_last_seen_at: null,
    location: { ...NO_PLACE },
    custom_attributes: {},
    tags: [],
    company_ids: [],
    segment_ids: [],
    utm_campaign: null,
    utm_content: null,
    utm_medium: null,
    utm_source: null,
    utm_term: null,
    referrer: null,
    enabled_push_messaging: null,
    merged_into: null,
    archived: false,
  };
}

function gravatar(n: number): string {
  return `https://secure.gravatar.com/avatar/${(0x5eed0000 + n * 7919).toString(16).padStart(32, "0")}?s=24&d=identicon`;
}

function contacts(companyIds: string[]): ContactRecord[] {
  const out: ContactRecord[] = [];
  let n = 1;
  const next = (created: number): ContactRecord => blankContact(makeId(created, n++), created);
  const [serenity, blueSun, acme, initech, globex] = companyIds as [string, string, string, string, string];

  // The official 1.x example user, modernised: the obvious demo target.
  const joeCreated = EPOCH - 200 * DAY;
  const joe = next(joeCreated);
  Object.assign(joe, {
    external_id: "25",
    email: "joe@example.com",
    phone: "555671243",
    name: "Joe Example",
    avatar: gravatar(25),
    owner_id: 321452,
    social_profiles: [{ name: "Twitter", url: "https://twitter.com/th1sland" }],
    signed_up_at: 1_392_731_331,
    last_seen_at: EPOCH - DAY,
    last_replied_at: EPOCH - 3 * DAY,
    last_contacted_at: EPOCH - 4 * DAY,
    last_email_opened_at: EPOCH - 2 * DAY,
    last_email_clicked_at: EPOCH - 2 * DAY + 600,
    browser: "chrome",
    browser_version: "131.0.0.0",
    browser_language: "en",
    os: "OS X 10.15.7",
    location: { ...PLACES[0]! },
    custom_attributes: { paid_subscriber: true, monthly_spend: 155.5, team_mates: 9, last_order_at: 1_475_569_818 },
    tags: [{ id: "202", applied_at: joeCreated + DAY }],
    company_ids: [serenity, blueSun],
    segment_ids: [segmentId("Active"), segmentId("New"), segmentId("Slipping Away")],
    utm_campaign: "spring-launch",
    utm_content: "banner",
    utm_medium: "email",
    utm_source: "newsletter",
    utm_term: "update-user",
    referrer: "https://example.org",
    enabled_push_messaging: true,
    updated_at: joeCreated + 10 * DAY,
  } satisfies Partial<ContactRecord>);
  out.push(joe);

  // 25 more users, external ids "26".."50", deterministic variety.
  const companyCycle = [acme, initech, globex, serenity, null, blueSun, null];
  for (let i = 0; i < 25; i++) {
    const created = EPOCH - (180 - i * 6) * DAY;
    const c = next(created);
    const first = FIRST[i]!;
    const last = LAST[i]!;
    const ext = String(26 + i);
    const company = companyCycle[i % companyCycle.length];
    const custom: Record<string, CustomValue> = { paid_subscriber: i % 3 !== 0, team_mates: (i * 7) % 23 };
    if (i % 4 === 0) custom.job_title = ["Engineer", "Designer", "CTO", "Support lead"][(i / 4) % 4]!;
    if (i % 5 === 1) custom.monthly_spend = 10 + i * 2.5;
    if (i % 5 === 2) custom.subscription = ["free", "pro", "enterprise"][i % 3]!;
    if (i % 6 === 4) custom.health_score = 40 + i;
    Object.assign(c, {
      external_id: ext,
      email: `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, "")}@example.${i % 3 === 2 ? "org" : "com"}`,
      phone: i % 3 === 0 ? `+35315550${String(100 + i)}` : null,
      name: `${first} ${last}`,
      avatar: i % 2 === 0 ? gravatar(26 + i) : null,
      owner_id: i % 4 === 1 ? 321453 : null,
      social_profiles:
        i % 5 === 0
          ? [
              { name: "Twitter", url: `https://twitter.com/${first.toLowerCase()}${i}` },
              { name: "LinkedIn", url: `https://www.linkedin.com/in/${first.toLowerCase()}-${i}` },
            ]
          : [],
      unsubscribed_from_emails: i % 6 === 5,
      has_hard_bounced: i === 13,
      marked_email_as_spam: i === 17,
      last_seen_at: i % 2 === 0 ? EPOCH - i * DAY : null,
      browser: i % 2 === 0 ? ["chrome", "firefox", "safari"][i % 3]! : null,
      os: i % 2 === 0 ? ["Windows 10", "OS X 14.1", "Linux"][i % 3]! : null,
      location: i % 4 === 3 ? { ...NO_PLACE } : { ...PLACES[i % PLACES.length]! },
      custom_attributes: custom,
      tags:
        i % 3 === 0
          ? [{ id: "202", applied_at: created + DAY }]
          : i % 3 === 1
            ? [
                { id: "203", applied_at: created + 2 * DAY },
                { id: "204", applied_at: created + 3 * DAY },
              ]
            : [],
      company_ids: company ? [company] : [],
      segment_ids:
        i % 4 === 0
          ? [segmentId("Active")]
          : i % 4 === 1
            ? [segmentId("New")]
            : i % 4 === 2
              ? [segmentId("Slipping Away")]
              : [],
      utm_source: i % 3 === 0 ? "google" : null,
      utm_medium: i % 3 === 0 ? "cpc" : null,
      utm_campaign: i % 3 === 0 ? "brand" : null,
      referrer: i % 3 === 0 ? "https://www.google.com/" : null,
      ios_app_name: i === 7 ? "Example iOS" : null,
      ios_app_version: i === 7 ? "4.2.0" : null,
      ios_device: i === 7 ? "iPhone15,2" : null,
      ios_os_version: i === 7 ? "17.1" : null,
      ios_sdk_version: i === 7 ? "17.0.0" : null,
      ios_last_seen_at: i === 7 ? EPOCH - 2 * DAY : null,
      android_app_name: i === 8 ? "Example Android" : null,
      android_app_version: i === 8 ? "4.2.0" : null,
      android_device: i === 8 ? "Pixel 8" : null,
      android_os_version: i === 8 ? "14" : null,
      android_sdk_version: i === 8 ? "15.5.1" : null,
      android_last_seen_at: i === 8 ? EPOCH - 3 * DAY : null,
      enabled_push_messaging: i === 7 || i === 8 ? true : null,
      language_override: i === 3 ? "de" : null,
      updated_at: created + DAY,
    } satisfies Partial<ContactRecord>);
    out.push(c);
  }

  // Two users sharing one email address (Intercom allows it for users with different external ids).
  for (const [ext, name] of [
    ["shared-1", "Sam Shared"],
    ["shared-2", "Sasha Shared"],
  ] as const) {
    const created = EPOCH - 50 * DAY + out.length;
    const c = next(created);
    Object.assign(c, {
      external_id: ext,
      email: "shared@example.com",
      name,
      location: { ...PLACES[2]! },
      company_ids: [acme],
      updated_at: created,
    } satisfies Partial<ContactRecord>);
    out.push(c);
  }

  // A lead (visitor who gave an email), not a user: find_by_external_id does not see it.
  {
    const created = EPOCH - 20 * DAY;
    const c = next(created);
    Object.assign(c, {
      role: "lead",
      external_id: "lead-1",
      email: "lena.lead@example.net",
      name: "Lena Lead",
      signed_up_at: null,
      location: { ...PLACES[3]! },
      segment_ids: [segmentId("New")],
    } satisfies Partial<ContactRecord>);
    out.push(c);
  }

  // A user that was merged into Joe Example: every lookup answers 410 with a Link to Joe.
  {
    const created = EPOCH - 250 * DAY;
    const c = next(created);
    Object.assign(c, {
      external_id: "merged-25",
      email: "joe.old@example.com",
      name: "Joe Example (old account)",
      merged_into: joe.id,
      updated_at: EPOCH - 100 * DAY,
    } satisfies Partial<ContactRecord>);
    out.push(c);
  }

  // An archived user: invisible to every contact route (404) until unarchived; its email and external id are taken.
  {
    const created = EPOCH - 150 * DAY;
    const c = next(created);
    Object.assign(c, {
      external_id: "archived-1",
      email: "archie.archived@example.com",
      name: "Archie Archived",
      location: { ...PLACES[2]! },
      custom_attributes: { paid_subscriber: false },
      tags: [{ id: "205", applied_at: created + 20 * DAY }],
      archived: true,
      updated_at: EPOCH - 30 * DAY,
    } satisfies Partial<ContactRecord>);
    out.push(c);
  }
  return out;
}

/** A fresh, deterministic copy of the seed state. */
export function createSeedData(): SandboxData {
  const cos = companies();
  return {
    format: "intercom-kit-sandbox-state",
    version: 1,
    workspace_id: WORKSPACE_ID,
    next_id: 1000,
    contacts: contacts(cos.map((c) => c.id)),
    companies: cos,
    tags: TAGS.map((t) => ({ ...t })),
    segments: SEGMENTS.map((s) => ({ ...s })),
    data_attributes: DATA_ATTRIBUTES.map((a) => ({ ...a, options: a.options && [...a.options] })),
    admins: ADMINS.map((a) => ({ ...a, team_ids: [...a.team_ids] })),
  };
}

const seed = createSeedData();
const byExt = (ext: string): ContactRecord => seed.contacts.find((c) => c.external_id === ext)!;
const byCompanyId = (cid: string): CompanyRecord => seed.companies.find((c) => c.company_id === cid)!;

/**
 * Notable ids of the seed data, so tests elsewhere need not hard-code them.
 * (Computed once from the same deterministic function; plain frozen data, not mutable module state.)
 */
export const SEED = Object.freeze({
  workspaceId: WORKSPACE_ID,
  /** Joe Example, a user with two companies, the `Sync` tag, all three segments, location, avatar, socials. */
  user: Object.freeze({
    id: byExt("25").id,
    externalId: "25",
    email: "joe@example.com",
    name: "Joe Example",
  }),
  /** A plain user with no company (external id "30"). */
  plainUser: Object.freeze({ id: byExt("30").id, externalId: "30", email: byExt("30").email }),
  /** Every seeded user's external id ("25".."50"). */
  userExternalIds: Object.freeze(Array.from({ length: 26 }, (_, i) => String(25 + i))),
  /** Two users share this email address. */
  sharedEmail: "shared@example.com",
  sharedEmailContactIds: Object.freeze([byExt("shared-1").id, byExt("shared-2").id]),
  /** The merged contact: GET and find_by_external_id answer 410 contact_merged, Link to `user.id`. */
  merged: Object.freeze({ id: byExt("merged-25").id, externalId: "merged-25", mergedIntoId: byExt("25").id }),
  /** A lead (role "lead") with external id "lead-1". */
  lead: Object.freeze({ id: byExt("lead-1").id, externalId: "lead-1", email: "lena.lead@example.net" }),
  /** Serenity (company_id "366"), attached to Joe Example. */
  company: Object.freeze({ id: byCompanyId("366").id, companyId: "366", name: "Serenity" }),
  /** Blue Sun Corporation (company_id "6"), also attached to Joe Example. */
  secondCompany: Object.freeze({ id: byCompanyId("6").id, companyId: "6", name: "Blue Sun Corporation" }),
  /** A company no user is attached to. */
  unattachedCompany: Object.freeze({ id: byCompanyId("no-users").id, companyId: "no-users", name: "Wayne Holdings" }),
  /** An Intercom id that matches nothing. */
  unknownId: "000000000000000000000000",
  tagNames: Object.freeze(["Sync", "VIP", "Beta tester", "Churn risk"]),
  segmentNames: Object.freeze(["Active", "New", "Slipping Away"]),
  /** Writable custom data attributes defined for contacts; any other key (or an archived or read-only one) answers 400. */
  contactAttributes: Object.freeze(
    DATA_ATTRIBUTES.filter((a) => a.model === "contact" && a.api_writable && !a.archived).map((a) => a.name),
  ),
  /** An archived user (external id "archived-1"): 404 everywhere until unarchived; its email and external id are taken. */
  archived: Object.freeze({
    id: byExt("archived-1").id,
    externalId: "archived-1",
    email: "archie.archived@example.com",
  }),
  /** The workspace's admins (valid `owner_id`s); the first is the admin the API acts as, the third is away. */
  admins: Object.freeze(ADMINS.map((a) => Object.freeze({ id: a.id, name: a.name, email: a.email }))),
  /** The admin the API acts as (creator of tags and attributes made through the API). */
  apiAdminId: API_ADMIN_ID,
  /** The workspace's tags by role (ids are strings of digits, as Intercom's). */
  tags: Object.freeze({
    sync: Object.freeze({ id: "202", name: "Sync" }),
    vip: Object.freeze({ id: "203", name: "VIP" }),
    betaTester: Object.freeze({ id: "204", name: "Beta tester" }),
    churnRisk: Object.freeze({ id: "205", name: "Churn risk" }),
  }),
  /** One contact custom attribute of each kind, for enforcement tests. */
  dataAttributes: Object.freeze({
    string: "job_title",
    integer: "team_mates",
    float: "monthly_spend",
    boolean: "paid_subscriber",
    date: "last_order_at",
    list: Object.freeze({ name: "subscription", options: Object.freeze(["free", "pro", "enterprise"]) }),
    archived: "old_plan",
    readOnly: "health_score",
  }),
});
