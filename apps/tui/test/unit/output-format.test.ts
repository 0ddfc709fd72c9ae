import type { UpdatePlan } from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import {
  errorDocument,
  formatErrorText,
  formatPlanText,
  formatTimestamp,
  formatUserText,
  formatValue,
  orderCalls,
  userSections,
} from "../../src/services/output-format.js";
import { makeUser } from "../helpers.js";

/** Every output field the seed lists, by its label. */
const SEED_LABELS = [
  "Type",
  "ID",
  "User ID",
  "Anonymous",
  "Email",
  "Name",
  "Avatar type",
  "Avatar image URL",
  "App ID",
  "Company ID",
  "Company name",
  "List size",
  "City name",
  "Continent code",
  "Country name",
  "Latitude",
  "Longitude",
  "Postal code",
  "Region name",
  "Timezone",
  "Country code",
  "Phone",
  "Pseudonym",
  "Remote created at",
  "Session Count",
  "Owner ID",
  "Last request at",
  "Created at",
  "Signed up at",
  "Updated at",
  "Unsubscribed from emails",
  "Marked email as spam",
  "Has hard bounced",
  "Do not track",
  "Referrer",
  "Last Seen IP",
  "User Agent Data",
  "Utm campaign",
  "Utm content",
  "Utm medium",
  "Utm source",
  "Utm term",
  "Username",
  "URL",
];

describe("user output as sections", () => {
  it("has the groups in reading order", () => {
    expect(userSections(makeUser()).map((s) => s.title.replace(/ \(.*/, ""))).toEqual([
      "Identity",
      "Email status",
      "Companies",
      "Location",
      "Social profiles",
      "Tags",
      "Segments",
      "Custom attributes",
      "UTM",
      "Activity and timestamps",
    ]);
  });

  it("labels every output field of the seed", () => {
    const labels = new Set(
      userSections(makeUser()).flatMap((s) => s.rows.map((r) => r.label.replace(/^#\d+ |^\s+/, ""))),
    );
    for (const label of SEED_LABELS) expect(labels, label).toContain(label);
  });

  it("shows timestamps as UTC dates and missing values as a dash", () => {
    const text = formatUserText(makeUser({ created_at: 1717257000, session_count: null }));
    expect(text).toMatch(/Created at\s+2024-06-01 15:50:00 UTC/);
    expect(text).toMatch(/Session Count\s+–/);
  });

  it("lists every company, tag, segment and custom attribute", () => {
    const text = formatUserText(
      makeUser({
        companies: {
          type: "company.list",
          companies: [
            { type: "company", company_id: "366", id: "c1", name: "Serenity" },
            { type: "company", company_id: "6", id: "c2", name: "Blue Sun" },
          ],
        },
        custom_attributes: { plan: "pro", seats: 3, paid: true },
      }),
    );
    expect(text).toMatch(/#1 Company name\s+Serenity/);
    expect(text).toMatch(/#2 Company name\s+Blue Sun/);
    expect(text).toMatch(/List size\s+2/);
    expect(text).toMatch(/seats\s+3/);
    expect(text).toMatch(/paid\s+yes/);
    expect(text).toMatch(/Sync · ID 202/);
    expect(text).toMatch(/Slipping Away · ID s2/);
  });

  it.each([
    [null, "–"],
    [0, "–"],
    [1392731331, "2014-02-18 13:48:51 UTC"],
  ])("formatTimestamp(%s) = %s", (given, want) => {
    expect(formatTimestamp(given)).toBe(want);
  });

  it.each([
    [true, "yes"],
    [false, "no"],
    ["", "–"],
    [{ a: 1 }, '{"a":1}'],
  ])("formatValue(%j) = %s", (given, want) => {
    expect(formatValue(given)).toBe(want);
  });
});

describe("plan and error text", () => {
  const plan: UpdatePlan = {
    identifyBy: "userId",
    roundTrips: 2,
    notes: ["monthly spend 155.98 will be truncated to 155"],
    calls: [
      { id: "tags", method: "GET", path: "/contacts/{id}/tags", purpose: "read tags", after: ["find"] },
      { id: "find", method: "GET", path: "/contacts/find_by_external_id/25", purpose: "find the user", after: [] },
      { id: "update", method: "PUT", path: "/contacts/{id}", purpose: "update fields", after: ["find"] },
    ],
  };

  it("orders calls after the ones they wait for", () => {
    expect(orderCalls(plan.calls).map((c) => c.id)).toEqual(["find", "tags", "update"]);
  });

  it("prints the diff, the calls and the notes", () => {
    const text = formatPlanText(plan, [{ key: "name", label: "Name", current: "Joe", next: "Ada" }]);
    expect(text).toMatch(/Name\s+Joe\s+->\s+Ada/);
    expect(text).toMatch(/1\. GET\s+\/contacts\/find_by_external_id\/25/);
    expect(text).toContain("2 round trips");
    expect(text).toContain("Note: monthly spend 155.98");
  });

  it("error text has the message, hint and request id; the JSON drops the raw cause", () => {
    const error = {
      kind: "rate_limited" as const,
      message: "Intercom is rate limiting",
      hint: "Wait a minute",
      requestId: "req-1",
      cause: {
        kind: "network" as const,
        message: "x",
        method: "GET",
        path: "/",
        attempts: 3,
        retries: 2,
        cause: "ECONNRESET",
      },
    };
    const text = formatErrorText(error);
    expect(text).toContain("Error: Intercom is rate limiting");
    expect(text).toContain("Hint: Wait a minute");
    expect(text).toContain("Request id: req-1");
    const doc = errorDocument(error);
    expect(doc.error).not.toHaveProperty("cause");
    expect(doc.error).toMatchObject({ kind: "rate_limited", requestId: "req-1" });
  });
});
