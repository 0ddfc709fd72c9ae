import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIELDS } from "../src/index.js";
import type { ErrorKind, UpdateUserOutput } from "../src/types.js";

const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
/** Table rows as trimmed cells (the formatter pads columns). */
const rows = readme
  .split("\n")
  .filter((line) => line.startsWith("|"))
  .map((line) =>
    line
      .slice(1, -1)
      .split(" | ")
      .map((c) => c.trim()),
  );

describe("README stays in step with the code", () => {
  it.each(FIELDS.map((f) => [f.key, f] as const))("the field table lists %s with its label and flag", (_k, f) => {
    const row = rows.find((cells) => cells[0] === `\`${f.key}\``);
    expect(row).toBeDefined();
    expect(row?.[1]).toBe(f.label);
    expect(row?.[2]).toMatch(new RegExp(`^\`--${f.flag}[\` ]`));
  });

  const kinds: Record<ErrorKind, true> = {
    invalid_input: true,
    not_found: true,
    ambiguous: true,
    unauthorized: true,
    forbidden: true,
    conflict: true,
    rate_limited: true,
    intercom_error: true,
    network: true,
    timeout: true,
    partial: true,
    unknown: true,
    stale: true,
    aborted: true,
  };
  it.each(Object.keys(kinds))("the error table explains %s", (kind) => {
    expect(rows.some((cells) => cells[0] === `\`${kind}\``)).toBe(true);
  });

  const topLevel: Record<keyof UpdateUserOutput, true> = {
    type: true,
    id: true,
    user_id: true,
    anonymous: true,
    email: true,
    name: true,
    avatar: true,
    app_id: true,
    companies: true,
    location_data: true,
    phone: true,
    pseudonym: true,
    remote_created_at: true,
    session_count: true,
    owner_id: true,
    last_request_at: true,
    created_at: true,
    signed_up_at: true,
    updated_at: true,
    unsubscribed_from_emails: true,
    marked_email_as_spam: true,
    has_hard_bounced: true,
    do_not_track: true,
    referrer: true,
    last_seen_ip: true,
    user_agent_data: true,
    utm_campaign: true,
    utm_content: true,
    utm_medium: true,
    utm_source: true,
    utm_term: true,
    social_profiles: true,
    custom_attributes: true,
    tags: true,
    segments: true,
    merged_from: true,
    incomplete: true,
  };
  it.each(Object.keys(topLevel))("the mapping table says where %s comes from", (field) => {
    const mapping = readme.slice(readme.indexOf("## Output"));
    expect(mapping).toMatch(new RegExp(`\\\`${field}[.\\\`]`));
  });
});
