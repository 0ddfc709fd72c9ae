import { describe, expect, it } from "vitest";
import { describeChanges } from "./describe-changes.js";
import type { FieldChange, UpdateUserInput, UpdateUserOutput } from "./types.js";

const current = {
  name: "Joe",
  email: "joe@example.com",
  phone: null,
  unsubscribed_from_emails: true,
  companies: { type: "company.list", companies: [{ type: "company", id: "co1", company_id: "366", name: "Serenity" }] },
  custom_attributes: { plan: "basic", seats: 2 },
} as unknown as UpdateUserOutput;

const table: Array<[string, { given: [UpdateUserOutput | null, UpdateUserInput]; want: FieldChange[] }]> = [
  [
    "user fields against current values",
    {
      given: [current, { userId: "1", name: "Joe B", phone: "555", unsubscribedFromEmails: false }],
      want: [
        { key: "name", label: "Name", current: "Joe", next: "Joe B" },
        { key: "phone", label: "Phone", current: null, next: "555" },
        { key: "unsubscribedFromEmails", label: "Unsubscribed from emails", current: "true", next: "false" },
      ],
    },
  ],
  [
    "company by company ID, attached already",
    {
      given: [current, { userId: "1", companyId: "366", companyName: "Serenity 2", companyMonthlySpend: 155.98 }],
      want: [
        { key: "companyId", label: "Company ID", current: "366", next: "366" },
        { key: "companyName", label: "Company name", current: "Serenity", next: "Serenity 2" },
        { key: "companyMonthlySpend", label: "Company monthly spend", current: null, next: "155" },
      ],
    },
  ],
  [
    "custom attributes one line each",
    {
      given: [current, { userId: "1", customAttributes: { plan: "pro", vip: true } }],
      want: [
        { key: "customAttributes", label: "Custom attributes: plan", current: "basic", next: "pro" },
        { key: "customAttributes", label: "Custom attributes: vip", current: null, next: "true" },
      ],
    },
  ],
  [
    "no lookup: every current is null",
    {
      given: [null, { userId: "1", email: "x@y.io", intercomCompanyId: "co1" }],
      want: [
        { key: "email", label: "New email", current: null, next: "x@y.io" },
        { key: "intercomCompanyId", label: "Intercom ID of company", current: null, next: "co1" },
      ],
    },
  ],
];

describe("describeChanges", () => {
  it.each(table)("%s", (_n, { given, want }) => {
    expect(describeChanges(...given)).toEqual(want);
  });
});
