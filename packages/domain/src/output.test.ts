import type { Contact } from "@intercom-kit/core";
import { describe, expect, it } from "vitest";
import { toUserOutput } from "./output.js";
import type { UpdateUserOutput } from "./types.js";

const contact: Contact = {
  type: "contact",
  id: "c1",
  external_id: "25",
  workspace_id: "ws1",
  role: "user",
  email: "joe@example.com",
  phone: "555",
  name: "Joe",
  owner_id: 321452,
  has_hard_bounced: false,
  marked_email_as_spam: true,
  unsubscribed_from_emails: false,
  created_at: 100,
  updated_at: 200,
  signed_up_at: 50,
  last_seen_at: 150,
  custom_attributes: { plan: "pro" },
  avatar: { type: "avatar", image_url: "https://x/a.png" },
  tags: { data: [{ type: "tag", id: "202", url: "/tags/202" }] },
  companies: { data: [{ type: "company", id: "co1", url: "/companies/co1" }] },
  location: {
    type: "location",
    country: "Ireland",
    region: "Dublin",
    city: "Dublin",
    country_code: "IRL",
    continent_code: "EU",
  },
  social_profiles: { data: [{ type: "social_profile", name: "Twitter", url: "https://twitter.com/joe" }] },
  referrer: "https://example.org",
  utm_source: "news",
};

const table: Array<[string, { given: Parameters<typeof toUserOutput>[0]; want: Partial<UpdateUserOutput> }]> = [
  [
    "identity and legacy names",
    {
      given: { contact, companies: null, tags: null, segments: null },
      want: {
        type: "user",
        id: "c1",
        user_id: "25",
        anonymous: false,
        app_id: "ws1",
        owner_id: "321452",
        remote_created_at: 50,
        signed_up_at: 50,
        last_request_at: 150,
        created_at: 100,
        updated_at: 200,
        unsubscribed_from_emails: false,
        marked_email_as_spam: true,
        has_hard_bounced: false,
        avatar: { type: "avatar", image_url: "https://x/a.png" },
        referrer: "https://example.org",
        utm_source: "news",
        utm_term: null,
      },
    },
  ],
  [
    "fields 2.x does not have are null",
    {
      given: { contact, companies: null, tags: null, segments: null },
      want: { pseudonym: null, session_count: null, do_not_track: null, last_seen_ip: null, user_agent_data: null },
    },
  ],
  [
    "location_data from location",
    {
      given: { contact, companies: null, tags: null, segments: null },
      want: {
        location_data: {
          type: "location_data",
          city_name: "Dublin",
          continent_code: "EU",
          country_name: "Ireland",
          latitude: null,
          longitude: null,
          postal_code: null,
          region_name: "Dublin",
          timezone: null,
          country_code: "IRL",
        },
      },
    },
  ],
  [
    "a lead is anonymous; missing values are null",
    {
      given: { contact: { id: "l1", role: "lead" }, companies: [], tags: { data: [] }, segments: { data: [] } },
      want: {
        anonymous: true,
        user_id: null,
        email: null,
        app_id: null,
        owner_id: null,
        avatar: { type: "avatar", image_url: null },
        companies: { type: "company.list", companies: [] },
        custom_attributes: {},
        social_profiles: { type: "social_profile.list", social_profiles: [] },
      },
    },
  ],
  [
    "companies, tags and segments from the reads, with names",
    {
      given: {
        contact,
        companies: [{ type: "company", id: "co1", company_id: "366", name: "Serenity" }],
        tags: { type: "list", data: [{ type: "tag", id: "202", name: "Sync" }] },
        segments: { type: "list", data: [{ type: "segment", id: "s1", name: "Active" }] },
      },
      want: {
        companies: {
          type: "company.list",
          companies: [{ type: "company", id: "co1", company_id: "366", name: "Serenity" }],
        },
        tags: { type: "tag.list", tags: [{ type: "tag", id: "202", name: "Sync" }] },
        segments: { type: "segment.list", segments: [{ type: "segment", id: "s1", name: "Active" }] },
      },
    },
  ],
  [
    "without the reads, ids from the contact and no names",
    {
      given: { contact, companies: null, tags: null, segments: null },
      want: {
        companies: { type: "company.list", companies: [{ type: "company", id: "co1", company_id: null, name: null }] },
        tags: { type: "tag.list", tags: [{ type: "tag", id: "202", name: null }] },
        segments: { type: "segment.list", segments: [] },
        social_profiles: {
          type: "social_profile.list",
          social_profiles: [
            { type: "social_profile", id: null, name: "Twitter", url: "https://twitter.com/joe", username: null },
          ],
        },
      },
    },
  ],
  [
    "owner_id as a string whatever the version sends",
    {
      given: { contact: { id: "x", owner_id: "99" as unknown as number }, companies: [], tags: null, segments: null },
      want: { owner_id: "99" },
    },
  ],
];

describe("toUserOutput", () => {
  it.each(table)("%s", (_n, { given, want }) => {
    expect(toUserOutput(given)).toMatchObject(want);
  });

  it("has exactly the seed's top-level fields", () => {
    const out = toUserOutput({ contact, companies: [], tags: null, segments: null });
    expect(Object.keys(out).sort()).toEqual(
      [
        "type",
        "id",
        "user_id",
        "anonymous",
        "email",
        "name",
        "avatar",
        "app_id",
        "companies",
        "location_data",
        "phone",
        "pseudonym",
        "remote_created_at",
        "session_count",
        "owner_id",
        "last_request_at",
        "created_at",
        "signed_up_at",
        "updated_at",
        "unsubscribed_from_emails",
        "marked_email_as_spam",
        "has_hard_bounced",
        "do_not_track",
        "referrer",
        "last_seen_ip",
        "user_agent_data",
        "utm_campaign",
        "utm_content",
        "utm_medium",
        "utm_source",
        "utm_term",
        "social_profiles",
        "custom_attributes",
        "tags",
        "segments",
      ].sort(),
    );
  });

  it("does not share the contact's custom_attributes object", () => {
    const out = toUserOutput({ contact, companies: [], tags: null, segments: null });
    expect(out.custom_attributes).not.toBe(contact.custom_attributes);
  });
});
