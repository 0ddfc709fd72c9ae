import type { UpdateUserOutput } from "@intercom-kit/domain";

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters by definition
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;

export function stripAnsi(text: string | undefined): string {
  return (text ?? "").replace(ANSI, "");
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a truthy value (returned) or the time runs out (throws with the last seen value). */
export async function waitFor<T>(check: () => T, what: string, timeoutMs = 5000, describe?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) {
      // Ink subscribes input handlers in effects that run just after a frame is drawn; let them attach.
      await sleep(100);
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}${describe ? `\n--- last seen ---\n${describe()}` : ""}`);
    }
    await sleep(20);
  }
}

/** A complete user record, as the domain returns it, for tests that need no network. */
export function makeUser(overrides: Partial<UpdateUserOutput> = {}): UpdateUserOutput {
  return {
    type: "user",
    id: "665b43285a4db0c1e2000001",
    user_id: "25",
    anonymous: false,
    email: "joe@example.com",
    name: "Joe Example",
    avatar: { type: "avatar", image_url: "https://example.org/joe.png" },
    app_id: "ecsbx7kt",
    companies: {
      type: "company.list",
      companies: [{ type: "company", company_id: "366", id: "c1", name: "Serenity" }],
    },
    location_data: {
      type: "location_data",
      city_name: "Dublin",
      continent_code: "EU",
      country_name: "Ireland",
      latitude: null,
      longitude: null,
      postal_code: null,
      region_name: "Dublin",
      timezone: "Europe/Dublin",
      country_code: "IRL",
    },
    phone: "555671243",
    pseudonym: null,
    remote_created_at: 1392731331,
    session_count: null,
    owner_id: null,
    last_request_at: 1734450600,
    created_at: 1717257000,
    signed_up_at: 1392731331,
    updated_at: 1764192527,
    unsubscribed_from_emails: false,
    marked_email_as_spam: false,
    has_hard_bounced: false,
    do_not_track: null,
    referrer: "https://example.org",
    last_seen_ip: null,
    user_agent_data: null,
    utm_campaign: "spring-launch",
    utm_content: "banner",
    utm_medium: "email",
    utm_source: "newsletter",
    utm_term: "update-user",
    social_profiles: {
      type: "social_profile.list",
      social_profiles: [
        {
          type: "social_profile",
          id: null,
          name: "Twitter",
          url: "https://twitter.com/th1sland",
          username: "th1sland",
        },
      ],
    },
    custom_attributes: { plan: "free", team_mates: 9 },
    tags: { type: "tag.list", tags: [{ type: "tag", id: "202", name: "Sync" }] },
    segments: {
      type: "segment.list",
      segments: [
        { type: "segment", id: "s1", name: "Active" },
        { type: "segment", id: "s2", name: "Slipping Away" },
      ],
    },
    ...overrides,
  };
}
