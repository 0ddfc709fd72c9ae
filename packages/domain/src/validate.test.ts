import { describe, expect, it } from "vitest";
import { FIELDS } from "./fields.js";
import { formatFieldErrors } from "./text.js";
import type { FieldError, UpdateUserInput } from "./types.js";
import { validateUpdateUserInput } from "./validate.js";

const ok: Array<[string, { given: unknown; want: UpdateUserInput }]> = [
  ["user id and name", { given: { userId: "25", name: "Joe" }, want: { userId: "25", name: "Joe" } }],
  ["trims strings", { given: { intercomId: "  abc ", name: "  Joe  " }, want: { intercomId: "abc", name: "Joe" } }],
  [
    "empty strings are unset",
    { given: { userId: "25", name: "Joe", phone: "", companyName: "  " }, want: { userId: "25", name: "Joe" } },
  ],
  ["null is unset", { given: { userId: "25", name: "Joe", email: null }, want: { userId: "25", name: "Joe" } }],
  ["numeric user id from code", { given: { userId: 25, name: "Joe" }, want: { userId: "25", name: "Joe" } }],
  [
    "unsubscribed false is kept",
    { given: { userId: "1", unsubscribedFromEmails: false }, want: { userId: "1", unsubscribedFromEmails: false } },
  ],
  [
    "unsubscribed 'false'",
    { given: { userId: "1", unsubscribedFromEmails: "false" }, want: { userId: "1", unsubscribedFromEmails: false } },
  ],
  [
    "unsubscribed 'YES'",
    { given: { userId: "1", unsubscribedFromEmails: " YES " }, want: { userId: "1", unsubscribedFromEmails: true } },
  ],
  [
    "unsubscribed 'no'",
    { given: { userId: "1", unsubscribedFromEmails: "no" }, want: { userId: "1", unsubscribedFromEmails: false } },
  ],
  [
    "unsubscribed '' is unset",
    { given: { userId: "1", name: "x", unsubscribedFromEmails: "" }, want: { userId: "1", name: "x" } },
  ],
  [
    "lookup email and new email",
    { given: { lookupEmail: "a@b.co", email: "c@d.io" }, want: { lookupEmail: "a@b.co", email: "c@d.io" } },
  ],
  [
    "email with plus and apostrophe",
    {
      given: { userId: "1", email: "o'brien+x@mail.example.ie" },
      want: { userId: "1", email: "o'brien+x@mail.example.ie" },
    },
  ],
  [
    "company id, name and spend from text",
    {
      given: { userId: "1", companyId: "366", companyName: "Serenity", companyMonthlySpend: "155.98" },
      want: { userId: "1", companyId: "366", companyName: "Serenity", companyMonthlySpend: 155.98 },
    },
  ],
  [
    "spend 0",
    {
      given: { userId: "1", companyId: "c", companyMonthlySpend: 0 },
      want: { userId: "1", companyId: "c", companyMonthlySpend: 0 },
    },
  ],
  [
    "spend max",
    {
      given: { userId: "1", companyId: "c", companyMonthlySpend: "2147483647" },
      want: { userId: "1", companyId: "c", companyMonthlySpend: 2147483647 },
    },
  ],
  [
    "intercom company id alone",
    { given: { intercomId: "x", intercomCompanyId: "co1" }, want: { intercomId: "x", intercomCompanyId: "co1" } },
  ],
  [
    "custom attributes object",
    {
      given: { userId: "1", customAttributes: { plan: "pro", seats: 3, vip: true, note: "" } },
      want: { userId: "1", customAttributes: { plan: "pro", seats: 3, vip: true, note: "" } },
    },
  ],
  [
    "custom attributes JSON text",
    {
      given: { userId: "1", customAttributes: '{"plan":"pro","n":2}' },
      want: { userId: "1", customAttributes: { plan: "pro", n: 2 } },
    },
  ],
  [
    "custom attributes pairs",
    {
      given: { userId: "1", customAttributes: ["plan=pro", "seats=3", 'code="007"'] },
      // Text stays text until the workspace's definition of each attribute types it (prepareUpdate).
      want: { userId: "1", customAttributes: { plan: "pro", seats: "3", code: "007" } },
    },
  ],
  [
    "custom attributes as form text: a comma inside a value is part of it",
    {
      given: { userId: "1", customAttributes: "note=a, b, plan=pro" },
      want: { userId: "1", customAttributes: { note: "a, b", plan: "pro" } },
    },
  ],
  [
    "custom attributes with a type for creating",
    {
      given: { userId: "1", customAttributes: ["seats:integer=3"] },
      want: { userId: "1", customAttributes: { seats: "3" }, attributeTypes: { seats: "integer" } },
    },
  ],
  [
    "tags as a list and as text, duplicates folded case-insensitively",
    {
      given: { userId: "1", tags: ["VIP", "vip", " Beta "], untags: "Churn risk; Old" },
      want: { userId: "1", tags: ["VIP", "Beta"], untags: ["Churn risk", "Old"] },
    },
  ],
  [
    "times from ISO 8601 and Unix seconds",
    {
      given: { userId: "1", signedUpAt: "2024-05-01T09:30:00Z", lastSeenAt: "1714555800" },
      want: { userId: "1", signedUpAt: 1714555800, lastSeenAt: 1714555800 },
    },
  ],
  [
    "a date alone is midnight UTC",
    { given: { userId: "1", signedUpAt: "2024-05-01" }, want: { userId: "1", signedUpAt: 1714521600 } },
  ],
  [
    "role user, owner, avatar, new user ID",
    {
      given: {
        userId: "1",
        role: "User",
        owner: "ops@example.com",
        avatar: "https://x.example/a.png",
        externalId: "1-b",
      },
      want: {
        userId: "1",
        role: "user",
        owner: "ops@example.com",
        avatar: "https://x.example/a.png",
        externalId: "1-b",
      },
    },
  ],
  [
    "unarchive with Intercom ID; archive false is not given",
    {
      given: { intercomId: "abc", unarchive: "yes", archive: false, name: "x" },
      want: { intercomId: "abc", unarchive: true, name: "x" },
    },
  ],
  [
    "email verified with the new email",
    {
      given: { userId: "1", email: "a@b.co", emailVerified: "true" },
      want: { userId: "1", email: "a@b.co", emailVerified: true },
    },
  ],
  ["phone only", { given: { intercomId: "x", phone: "+1 555" }, want: { intercomId: "x", phone: "+1 555" } }],
];

type Want = Array<Partial<FieldError>>;
const bad: Array<[string, { given: unknown; want: Want }]> = [
  ["not an object", { given: "joe", want: [{ field: "input", message: 'must be an object of fields, not "joe"' }] }],
  ["null", { given: null, want: [{ field: "input" }] }],
  ["array", { given: [], want: [{ field: "input", message: "must be an object of fields, not a list" }] }],
  [
    "no identifier",
    {
      given: { name: "Joe" },
      want: [{ field: "input", message: "give exactly one of User ID, Intercom ID or Current email to find the user" }],
    },
  ],
  [
    "two identifiers",
    {
      given: { userId: "1", intercomId: "x", name: "J" },
      want: [
        {
          field: "input",
          message: "give only one of User ID, Intercom ID or Current email; got User ID and Intercom ID",
        },
      ],
    },
  ],
  [
    "nothing to change",
    { given: { userId: "1" }, want: [{ field: "input", label: expect.stringContaining("Name") as unknown as string }] },
  ],
  [
    "only empty changes",
    {
      given: { userId: "1", name: "", customAttributes: {} },
      want: [{ field: "input", message: expect.stringMatching(/^nothing to change/) as unknown as string }],
    },
  ],
  [
    "bad new email",
    {
      given: { userId: "1", email: "joe@" },
      want: [
        {
          field: "email",
          label: "New email",
          message: 'must be a valid email address like name@example.com (got "joe@")',
        },
      ],
    },
  ],
  [
    "bad lookup email",
    { given: { lookupEmail: "joe", name: "x" }, want: [{ field: "lookupEmail", label: "Current email" }] },
  ],
  ["email without dot domain", { given: { userId: "1", email: "joe@localhost" }, want: [{ field: "email" }] }],
  [
    "email too long",
    {
      given: { userId: "1", email: `${"a".repeat(250)}@b.com` },
      want: [{ field: "email", message: "must be at most 255 characters (got 256)" }],
    },
  ],
  [
    "email as number",
    { given: { userId: "1", email: 5 }, want: [{ field: "email", message: "must be an email address, not 5" }] },
  ],
  [
    "name as object",
    {
      given: { userId: "1", name: { a: 1 } },
      want: [{ field: "name", label: "Name", message: "must be text, not an object" }],
    },
  ],
  ["name as number", { given: { userId: "1", name: 5 }, want: [{ field: "name", message: "must be text, not 5" }] }],
  [
    "unsubscribed maybe",
    {
      given: { userId: "1", unsubscribedFromEmails: "maybe" },
      want: [{ field: "unsubscribedFromEmails", label: "Unsubscribed from emails" }],
    },
  ],
  [
    "unsubscribed 1",
    { given: { userId: "1", unsubscribedFromEmails: 1 }, want: [{ field: "unsubscribedFromEmails" }] },
  ],
  [
    "spend negative",
    {
      given: { userId: "1", companyId: "c", companyMonthlySpend: -1 },
      want: [{ field: "companyMonthlySpend", message: "must be 0 or more (got -1)" }],
    },
  ],
  [
    "spend too big",
    {
      given: { userId: "1", companyId: "c", companyMonthlySpend: 2147483648 },
      want: [{ field: "companyMonthlySpend", message: "must be at most 2147483647 (got 2147483648)" }],
    },
  ],
  [
    "spend NaN",
    {
      given: { userId: "1", companyId: "c", companyMonthlySpend: Number.NaN },
      want: [{ field: "companyMonthlySpend", message: "must be a finite number" }],
    },
  ],
  [
    "spend Infinity",
    {
      given: { userId: "1", companyId: "c", companyMonthlySpend: Number.POSITIVE_INFINITY },
      want: [{ field: "companyMonthlySpend" }],
    },
  ],
  [
    "spend text",
    {
      given: { userId: "1", companyId: "c", companyMonthlySpend: "lots" },
      want: [{ field: "companyMonthlySpend", message: 'must be a number, not "lots"' }],
    },
  ],
  [
    "spend without company id",
    {
      given: { userId: "1", companyMonthlySpend: 3 },
      want: [{ field: "companyMonthlySpend", message: "needs Company ID (the company to set it on)" }],
    },
  ],
  [
    "name without company id",
    {
      given: { userId: "1", companyName: "Acme", intercomCompanyId: "co" },
      want: [{ field: "companyName", message: expect.stringContaining("only attaches") as unknown as string }],
    },
  ],
  [
    "both company ids",
    {
      given: { userId: "1", companyId: "c", intercomCompanyId: "co" },
      want: [{ field: "intercomCompanyId", message: "give either Intercom ID of company or Company ID, not both" }],
    },
  ],
  [
    "unknown key",
    { given: { userId: "1", name: "x", nmae: "y" }, want: [{ field: "input", message: 'unknown field "nmae"' }] },
  ],
  [
    "flag name as key",
    {
      given: { userId: "1", name: "x", "new-email": "a@b.co" },
      want: [{ field: "input", message: 'unknown field "new-email" (did you mean "email"?)' }],
    },
  ],
  [
    "attr name with dot",
    {
      given: { userId: "1", customAttributes: { "a.b": 1 } },
      want: [{ field: "customAttributes", message: 'attribute name "a.b" must not contain "." or "$"' }],
    },
  ],
  [
    "attr name with dollar",
    { given: { userId: "1", customAttributes: { $x: 1 } }, want: [{ field: "customAttributes" }] },
  ],
  [
    "attr empty name",
    {
      given: { userId: "1", customAttributes: { "": 1 } },
      want: [{ field: "customAttributes", message: "an attribute name is empty" }],
    },
  ],
  [
    "attr name too long",
    { given: { userId: "1", customAttributes: { ["n".repeat(191)]: 1 } }, want: [{ field: "customAttributes" }] },
  ],
  [
    "attr value too long",
    {
      given: { userId: "1", customAttributes: { a: "x".repeat(256) } },
      want: [{ field: "customAttributes", message: '"a" must be at most 255 characters (got 256)' }],
    },
  ],
  [
    "attr value object",
    {
      given: { userId: "1", customAttributes: { a: { b: 1 } } },
      want: [{ field: "customAttributes", message: '"a" must be text, a number or true/false, not an object' }],
    },
  ],
  [
    "attr value null",
    {
      given: { userId: "1", customAttributes: { a: null } },
      want: [{ field: "customAttributes", message: '"a" must be text, a number or true/false, not null' }],
    },
  ],
  [
    "attr value NaN",
    {
      given: { userId: "1", customAttributes: { a: Number.NaN } },
      want: [{ field: "customAttributes", message: '"a" must be a finite number' }],
    },
  ],
  [
    "too many attrs",
    {
      given: { userId: "1", customAttributes: Object.fromEntries(Array.from({ length: 251 }, (_, i) => [`a${i}`, i])) },
      want: [{ field: "customAttributes", message: "at most 250 attributes (got 251)" }],
    },
  ],
  ["attrs bad JSON", { given: { userId: "1", customAttributes: "{nope" }, want: [{ field: "customAttributes" }] }],
  [
    "attrs text that is no pair",
    {
      given: { userId: "1", customAttributes: "plan" },
      want: [{ field: "customAttributes", message: '"plan" must look like name=value' }],
    },
  ],
  [
    "attr with an unknown type",
    {
      given: { userId: "1", customAttributes: ["n:number=3"] },
      want: [{ field: "customAttributes", message: expect.stringContaining("unknown type") as unknown as string }],
    },
  ],
  ["user id ..", { given: { userId: "..", name: "x" }, want: [{ field: "userId", message: 'cannot be ".."' }] }],
  ["user id .", { given: { userId: ".", name: "x" }, want: [{ field: "userId" }] }],
  ["intercom id ..", { given: { intercomId: "..", name: "x" }, want: [{ field: "intercomId" }] }],
  [
    "company intercom id ..",
    { given: { userId: "1", intercomCompanyId: ".." }, want: [{ field: "intercomCompanyId" }] },
  ],
  [
    "a lone surrogate in an id",
    {
      given: { userId: "a\ud800b", name: "x" },
      want: [{ field: "userId", message: expect.stringContaining("lone UTF-16 surrogate") as unknown as string }],
    },
  ],
  [
    "a lone surrogate in a name",
    {
      given: { userId: "1", name: "\udc00" },
      want: [{ field: "name", message: expect.stringContaining("surrogate") as unknown as string }],
    },
  ],
  [
    "role lead",
    {
      given: { userId: "1", role: "lead" },
      want: [{ field: "role", message: expect.stringContaining("only a lead can become a user") as unknown as string }],
    },
  ],
  ["avatar not a URL", { given: { userId: "1", avatar: "joe.png" }, want: [{ field: "avatar" }] }],
  ["avatar ftp", { given: { userId: "1", avatar: "ftp://x.example/a.png" }, want: [{ field: "avatar" }] }],
  ["time nonsense", { given: { userId: "1", signedUpAt: "yesterday" }, want: [{ field: "signedUpAt" }] }],
  ["time not a real date", { given: { userId: "1", lastSeenAt: "2024-02-30" }, want: [{ field: "lastSeenAt" }] }],
  [
    "unarchive without Intercom ID",
    { given: { userId: "1", unarchive: true }, want: [{ field: "unarchive", message: "needs Intercom ID" }] },
  ],
  [
    "email verified without the new email",
    { given: { userId: "1", emailVerified: true }, want: [{ field: "emailVerified", message: "needs New email" }] },
  ],
  [
    "a tag both added and removed",
    {
      given: { userId: "1", tags: ["VIP"], untags: ["vip"] },
      want: [{ field: "untags", message: '"VIP" cannot be both added and removed' }],
    },
  ],
  [
    "attrs bad pair",
    {
      given: { userId: "1", customAttributes: ["plan"] },
      want: [{ field: "customAttributes", message: '"plan" must look like name=value' }],
    },
  ],
  ["intercom id with slash", { given: { intercomId: "a/b", name: "x" }, want: [{ field: "intercomId" }] }],
  ["user id too long", { given: { userId: "u".repeat(256), name: "x" }, want: [{ field: "userId" }] }],
];

describe("validateUpdateUserInput accepts and normalises", () => {
  it.each(ok)("%s", (_name, { given, want }) => {
    expect(validateUpdateUserInput(given)).toEqual({ ok: true, input: want });
  });
});

describe("validateUpdateUserInput rejects, naming the field", () => {
  it.each(bad)("%s", (_name, { given, want }) => {
    const result = validateUpdateUserInput(given);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(want.map((w) => expect.objectContaining(w)));
    for (const e of result.errors) {
      expect(e.label.length).toBeGreaterThan(0);
      expect(e.message.length).toBeGreaterThan(0);
    }
  });
});

describe("validateUpdateUserInput and the API version", () => {
  it("refuses Email verified before 2.16 and accepts it on 2.16", () => {
    const given = { userId: "1", email: "a@b.co", emailVerified: true };
    const old = validateUpdateUserInput(given, { apiVersion: "2.15" });
    expect(old.ok).toBe(false);
    if (!old.ok)
      expect(old.errors).toEqual([
        expect.objectContaining({ field: "emailVerified", message: expect.stringContaining("needs API 2.16") }),
      ]);
    expect(validateUpdateUserInput(given, { apiVersion: "2.16" }).ok).toBe(true);
    expect(validateUpdateUserInput(given, { apiVersion: "Preview" }).ok).toBe(true);
  });
});

describe("validateUpdateUserInput reports everything at once", () => {
  it("lists each problem with its label", () => {
    const result = validateUpdateUserInput({
      email: "nope",
      companyMonthlySpend: "-5",
      unsubscribedFromEmails: "perhaps",
      customAttributes: { "a.b": 1 },
      extra: 1,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const fields = result.errors.map((e) => e.field).sort();
    expect(fields).toEqual(
      [
        "companyMonthlySpend",
        "companyMonthlySpend",
        "customAttributes",
        "email",
        "input",
        "input",
        "unsubscribedFromEmails",
      ].sort(),
    );
    const text = formatFieldErrors(result.errors);
    expect(text).toContain("New email: must be a valid email address");
    expect(text).toContain('Input: unknown field "extra"');
    expect(text).toContain("Company monthly spend: must be 0 or more (got -5)");
  });

  it("does not mutate its input", () => {
    const given = Object.freeze({ userId: " 1 ", customAttributes: Object.freeze({ a: 1 }) });
    const result = validateUpdateUserInput(given);
    expect(result.ok).toBe(true);
    expect(given.userId).toBe(" 1 ");
  });

  it("every field label is used in messages", () => {
    for (const f of FIELDS) expect(f.label).toMatch(/^[A-Z]/);
  });
});
