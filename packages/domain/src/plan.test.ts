import type { CompanyUpsertBody, SearchContactsBody, UpdateContactBody } from "@intercom-kit/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  companyUpsertBody,
  criticalPath,
  emailSearchBody,
  planUpdate,
  supportsFindByExternalId,
  updateContactBody,
} from "./plan.js";
import type { PlannedCall, UpdateUserInput } from "./types.js";

type Shape = Array<[PlannedCall["id"], PlannedCall["method"], string, PlannedCall["id"][]]>;
const shape = (calls: PlannedCall[]): Shape => calls.map((c) => [c.id, c.method, c.path, c.after]);

const table: Array<[string, { given: UpdateUserInput; want: { roundTrips: number; calls: Shape } }]> = [
  [
    "by Intercom ID, no company: everything in one round trip",
    {
      given: { intercomId: "abc", name: "Joe" },
      want: {
        roundTrips: 1,
        calls: [
          ["update", "PUT", "/contacts/abc", []],
          ["companies", "GET", "/contacts/abc/companies", []],
          ["tags", "GET", "/contacts/abc/tags", []],
          ["segments", "GET", "/contacts/abc/segments", []],
        ],
      },
    },
  ],
  [
    "by user ID: find, then the rest together",
    {
      given: { userId: "u 1", unsubscribedFromEmails: false },
      want: {
        roundTrips: 2,
        calls: [
          ["find", "GET", "/contacts/find_by_external_id/u%201", []],
          ["update", "PUT", "/contacts/{contact_id}", ["find"]],
          ["companies", "GET", "/contacts/{contact_id}/companies", ["find"]],
          ["tags", "GET", "/contacts/{contact_id}/tags", ["find"]],
          ["segments", "GET", "/contacts/{contact_id}/segments", ["find"]],
        ],
      },
    },
  ],
  [
    "by user ID with a company upsert: two round trips (lookup beside upsert, then the rest)",
    {
      given: { userId: "25", name: "Joe", companyId: "366", companyName: "Serenity", companyMonthlySpend: 155.98 },
      want: {
        roundTrips: 2,
        calls: [
          ["find", "GET", "/contacts/find_by_external_id/25", []],
          ["company", "POST", "/companies", []],
          ["update", "PUT", "/contacts/{contact_id}", ["find"]],
          ["attach", "POST", "/contacts/{contact_id}/companies", ["find", "company"]],
          ["companies", "GET", "/contacts/{contact_id}/companies", ["find"]],
          ["tags", "GET", "/contacts/{contact_id}/tags", ["find"]],
          ["segments", "GET", "/contacts/{contact_id}/segments", ["find"]],
        ],
      },
    },
  ],
  [
    "by Intercom ID, company only (Intercom company id): one round trip, the contact read beside the attach",
    {
      given: { intercomId: "abc", intercomCompanyId: "co9" },
      want: {
        roundTrips: 1,
        calls: [
          ["get", "GET", "/contacts/abc", []],
          ["attach", "POST", "/contacts/abc/companies", []],
          ["companies", "GET", "/contacts/abc/companies", []],
          ["tags", "GET", "/contacts/abc/tags", []],
          ["segments", "GET", "/contacts/abc/segments", []],
        ],
      },
    },
  ],
  [
    "by Intercom ID with a company upsert: two round trips",
    {
      given: { intercomId: "abc", companyId: "366" },
      want: {
        roundTrips: 2,
        calls: [
          ["company", "POST", "/companies", []],
          ["get", "GET", "/contacts/abc", []],
          ["attach", "POST", "/contacts/abc/companies", ["company"]],
          ["companies", "GET", "/contacts/abc/companies", []],
          ["tags", "GET", "/contacts/abc/tags", []],
          ["segments", "GET", "/contacts/abc/segments", []],
        ],
      },
    },
  ],
  [
    "by current email",
    {
      given: { lookupEmail: "joe@example.com", email: "new@example.com" },
      want: {
        roundTrips: 2,
        calls: [
          ["search", "POST", "/contacts/search", []],
          ["update", "PUT", "/contacts/{contact_id}", ["search"]],
          ["companies", "GET", "/contacts/{contact_id}/companies", ["search"]],
          ["tags", "GET", "/contacts/{contact_id}/tags", ["search"]],
          ["segments", "GET", "/contacts/{contact_id}/segments", ["search"]],
        ],
      },
    },
  ],
];

describe("planUpdate", () => {
  it.each(table)("%s", (_n, { given, want }) => {
    const plan = planUpdate(given);
    expect(shape(plan.calls)).toEqual(want.calls);
    expect(plan.roundTrips).toBe(want.roundTrips);
    expect(JSON.stringify(plan)).not.toMatch(/Bearer|token/i);
  });

  it("sends unsubscribed false and only set fields", () => {
    const plan = planUpdate({ userId: "1", unsubscribedFromEmails: false, customAttributes: { vip: true } });
    expect(plan.calls.find((c) => c.id === "update")?.body).toEqual({
      unsubscribed_from_emails: false,
      custom_attributes: { vip: true },
    });
  });

  it("truncates monthly spend and says so", () => {
    const plan = planUpdate({ intercomId: "a", companyId: "366", companyMonthlySpend: 155.98 });
    expect(plan.calls.find((c) => c.id === "company")?.body).toEqual({ company_id: "366", monthly_spend: 155 });
    expect(plan.notes).toContain("Monthly spend 155.98 will be stored as 155: Intercom keeps whole numbers only.");
    expect(plan.calls.find((c) => c.id === "attach")?.body).toEqual({ id: "{company.id}" });
  });

  it("searches by external_id on API versions before 2.13", () => {
    const plan = planUpdate({ userId: "25", name: "x" }, { apiVersion: "2.12" });
    expect(plan.calls[0]).toMatchObject({ id: "search", method: "POST", path: "/contacts/search" });
    expect(plan.calls[0]?.body).toMatchObject({ query: { value: [{ field: "external_id", value: "25" }, {}] } });
    expect(supportsFindByExternalId("2.13")).toBe(true);
    expect(supportsFindByExternalId("2.7")).toBe(false);
    expect(supportsFindByExternalId("Preview")).toBe(true);
  });

  it("email search counts users only", () => {
    expect(emailSearchBody("a@b.co")).toEqual({
      query: {
        operator: "AND",
        value: [
          { field: "email", operator: "=", value: "a@b.co" },
          { field: "role", operator: "=", value: "user" },
        ],
      },
      pagination: { per_page: 50 },
    });
  });

  it("does not mutate its input", () => {
    const input = Object.freeze({ userId: "1", customAttributes: Object.freeze({ a: 1 }) });
    planUpdate(input);
    expect(input.customAttributes).toEqual({ a: 1 });
  });

  it("criticalPath counts the longest chain", () => {
    expect(criticalPath([])).toBe(0);
    expect(
      criticalPath([
        { id: "find", after: [] },
        { id: "attach", after: ["find", "company"] },
        { id: "company", after: [] },
        { id: "companies", after: ["attach"] },
      ]),
    ).toBe(3);
  });
});

describe("bodies have core's request types", () => {
  it("type-checks", () => {
    expectTypeOf(updateContactBody).returns.toEqualTypeOf<UpdateContactBody>();
    expectTypeOf(companyUpsertBody).returns.toEqualTypeOf<CompanyUpsertBody | undefined>();
    expectTypeOf(emailSearchBody).returns.toEqualTypeOf<SearchContactsBody>();
    // @ts-expect-error monthly spend is a number, never text
    companyUpsertBody({ companyId: "1", companyMonthlySpend: "5" });
    expect(updateContactBody({ name: "x" })).toEqual({ name: "x" });
  });
});
