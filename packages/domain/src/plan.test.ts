import type { CompanyUpsertBody, Contact, SearchContactsBody, UpdateContactBody } from "@intercom-kit/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type ChangeSet,
  COMPANY_ID_PLACEHOLDER,
  companyUpsertBody,
  contactBody,
  criticalPath,
  emailSearchBody,
  lookupNeeds,
  planUpdate,
  writeCalls,
} from "./plan.js";
import type { PlannedCall, UpdateUserInput } from "./types.js";
import { supportsFindByExternalId } from "./values.js";

type Shape = Array<[string, PlannedCall["method"], string, string[]]>;
const shape = (calls: PlannedCall[]): Shape => calls.map((c) => [c.id, c.method, c.path, c.after]);

const table: Array<[string, { given: UpdateUserInput; want: { roundTrips: number; calls: Shape } }]> = [
  [
    "by Intercom ID, user fields only: no lookup, one round trip",
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
    "by user ID with a new company: the company is read beside the find; created, then attached",
    {
      given: { userId: "25", name: "Joe", companyId: "366", companyName: "Serenity", companyMonthlySpend: 155.98 },
      want: {
        roundTrips: 3,
        calls: [
          ["find", "GET", "/contacts/find_by_external_id/25", []],
          ["find-company", "GET", "/companies", []],
          ["company", "POST", "/companies", ["find", "find-company"]],
          ["update", "PUT", "/contacts/{contact_id}", ["find", "find-company"]],
          ["attach", "POST", "/contacts/{contact_id}/companies", ["find", "find-company", "company"]],
          ["companies", "GET", "/contacts/{contact_id}/companies", ["find", "find-company"]],
          ["tags", "GET", "/contacts/{contact_id}/tags", ["find", "find-company"]],
          ["segments", "GET", "/contacts/{contact_id}/segments", ["find", "find-company"]],
        ],
      },
    },
  ],
  [
    "by Intercom ID with a new email: the user is read beside the conflict check",
    {
      given: { intercomId: "abc", email: "new@example.com" },
      want: {
        roundTrips: 2,
        calls: [
          ["get", "GET", "/contacts/abc", []],
          ["check-email", "POST", "/contacts/search", []],
          ["update", "PUT", "/contacts/abc", ["get", "check-email"]],
          ["companies", "GET", "/contacts/abc/companies", ["get", "check-email"]],
          ["tags", "GET", "/contacts/abc/tags", ["get", "check-email"]],
          ["segments", "GET", "/contacts/abc/segments", ["get", "check-email"]],
        ],
      },
    },
  ],
  [
    "restore, update and archive again: the restore first, the archive last",
    {
      given: { intercomId: "abc", unarchive: true, name: "Joe", archive: true },
      want: {
        roundTrips: 3,
        calls: [
          ["unarchive", "POST", "/contacts/abc/unarchive", []],
          ["update", "PUT", "/contacts/abc", ["unarchive"]],
          ["companies", "GET", "/contacts/abc/companies", ["unarchive"]],
          ["tags", "GET", "/contacts/abc/tags", ["unarchive"]],
          ["segments", "GET", "/contacts/abc/segments", ["unarchive"]],
          ["archive", "POST", "/contacts/abc/archive", ["unarchive", "update", "companies", "tags", "segments"]],
        ],
      },
    },
  ],
];

describe("planUpdate (nothing known yet)", () => {
  it.each(table)("%s", (_name, { given, want }) => {
    const plan = planUpdate(given);
    expect(shape(plan.calls)).toEqual(want.calls);
    expect(plan.roundTrips).toBe(want.roundTrips);
  });

  it("sends unsubscribed false and only given fields", () => {
    const plan = planUpdate({ intercomId: "x", unsubscribedFromEmails: false });
    expect(plan.calls.find((c) => c.id === "update")?.body).toEqual({ unsubscribed_from_emails: false });
  });

  it("truncates monthly spend in the body and says so", () => {
    const plan = planUpdate({ userId: "1", companyId: "c", companyMonthlySpend: 155.98 });
    expect(plan.calls.find((c) => c.id === "company")?.body).toEqual({ company_id: "c", monthly_spend: 155 });
    expect(plan.notes.join(" ")).toContain("155.98 is stored as 155");
  });

  it("searches by external_id on API versions before 2.13", () => {
    const plan = planUpdate({ userId: "25", name: "x" }, { apiVersion: "2.12" });
    expect(plan.calls[0]).toMatchObject({ id: "search", method: "POST", path: "/contacts/search" });
    expect(plan.notes.join(" ")).toContain("no find_by_external_id");
    expect(supportsFindByExternalId("2.13")).toBe(true);
    expect(supportsFindByExternalId("Preview")).toBe(true);
  });

  it("email lookup counts users only; the conflict check counts every contact", () => {
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
    expect(emailSearchBody("a@b.co", "any")).toEqual({
      query: { field: "email", operator: "=", value: "a@b.co" },
      pagination: { per_page: 50 },
    });
  });

  it("encodes every id in paths, so none can change the path", () => {
    const plan = planUpdate({ intercomId: "a/b?c#d%e", tags: ["x"], untags: ["y"] });
    for (const c of plan.calls) expect(c.path).not.toMatch(/a\/b|\?c|#d/);
    expect(plan.calls.find((c) => c.kind === "get")?.path).toBe("/contacts/a%2Fb%3Fc%23d%25e");
  });

  it("does not mutate its input", () => {
    const input = Object.freeze({
      userId: "1",
      companyId: "c",
      companyMonthlySpend: 9.5,
      tags: Object.freeze(["a"]) as string[],
    });
    planUpdate(input);
    expect(input.companyMonthlySpend).toBe(9.5);
  });

  it("criticalPath counts the longest chain", () => {
    expect(criticalPath([])).toBe(0);
    expect(
      criticalPath([
        { id: "a", after: [] },
        { id: "b", after: ["a"] },
        { id: "c", after: ["b"] },
        { id: "d", after: ["a"] },
      ]),
    ).toBe(3);
  });
});

const contact = (over: Partial<Contact> & Record<string, unknown> = {}): Contact =>
  ({
    type: "contact",
    id: "c1",
    role: "user",
    name: "Joe",
    email: "joe@example.com",
    phone: null,
    unsubscribed_from_emails: false,
    custom_attributes: { plan: "pro", seats: 3 },
    avatar: { type: "avatar", image_url: "https://x.example/a.png" },
    owner_id: 7,
    ...over,
  }) as Contact;

describe("contactBody: only what differs", () => {
  const rows: Array<
    [string, { input: UpdateUserInput; facts?: Partial<Parameters<typeof contactBody>[1]>; want: UpdateContactBody }]
  > = [
    ["same name: nothing", { input: { intercomId: "c1", name: "Joe" }, want: {} }],
    ["new name", { input: { intercomId: "c1", name: "Jo" }, want: { name: "Jo" } }],
    [
      "unsubscribed false when it is false: nothing",
      { input: { intercomId: "c1", unsubscribedFromEmails: false }, want: {} },
    ],
    [
      "unsubscribed true",
      { input: { intercomId: "c1", unsubscribedFromEmails: true }, want: { unsubscribed_from_emails: true } },
    ],
    [
      "email in another case is a change",
      { input: { intercomId: "c1", email: "Joe@example.com" }, want: { email: "Joe@example.com" } },
    ],
    ["avatar compared with image_url", { input: { intercomId: "c1", avatar: "https://x.example/a.png" }, want: {} }],
    [
      "only the attributes that differ",
      {
        input: { intercomId: "c1", customAttributes: { plan: "pro", seats: 4 } },
        facts: { attributes: { plan: "pro", seats: 4 } },
        want: { custom_attributes: { seats: 4 } },
      },
    ],
    [
      "owner as number on 2.15",
      { input: { intercomId: "c1", owner: "x" }, facts: { ownerId: "8" }, want: { owner_id: 8 } },
    ],
    [
      "owner as string on 2.16",
      { input: { intercomId: "c1", owner: "x" }, facts: { ownerId: "8", apiVersion: "2.16" }, want: { owner_id: "8" } },
    ],
    ["same owner: nothing", { input: { intercomId: "c1", owner: "x" }, facts: { ownerId: "7" }, want: {} }],
    [
      "email verified goes with the email even when the email is the same",
      {
        input: { intercomId: "c1", email: "joe@example.com", emailVerified: true },
        facts: { apiVersion: "2.16" },
        want: { email: "joe@example.com", email_verified: true },
      },
    ],
  ];
  it.each(rows)("%s", (_name, { input, facts, want }) => {
    expect(contactBody(input, { contact: contact(), apiVersion: "2.15", ...facts })).toEqual(want);
  });

  it("sends everything given when the contact is not known", () => {
    expect(
      contactBody(
        { intercomId: "c1", name: "Joe", phone: "1", customAttributes: { seats: "3" } },
        { contact: null, apiVersion: "2.15" },
      ),
    ).toEqual({
      name: "Joe",
      phone: "1",
      custom_attributes: { seats: 3 },
    });
  });
});

describe("companyUpsertBody", () => {
  it("skips an existing company with the same name and spend", () => {
    const input = { userId: "1", companyId: "366", companyName: "Serenity", companyMonthlySpend: 155.9 };
    expect(
      companyUpsertBody(input, { state: "exists", id: "co", name: "Serenity", monthlySpend: 155 }),
    ).toBeUndefined();
    expect(companyUpsertBody(input, { state: "exists", id: "co", name: "Serenity", monthlySpend: 100 })).toEqual({
      company_id: "366",
      name: "Serenity",
      monthly_spend: 155,
    });
    expect(
      companyUpsertBody({ userId: "1", companyId: "366" }, { state: "exists", id: "co", name: "S", monthlySpend: 1 }),
    ).toBeUndefined();
    expect(companyUpsertBody({ userId: "1", companyId: "366" }, { state: "missing" })).toEqual({ company_id: "366" });
  });
});

describe("writeCalls", () => {
  const base: ChangeSet = {
    contactId: "c1",
    unarchive: false,
    createAttributes: [],
    contactBody: {},
    createTags: [],
    tag: [],
    untag: [],
    archive: false,
  };
  it("creates before it uses: attributes before the PUT, a tag before tagging, a new company before attaching", () => {
    const calls = writeCalls(
      {
        ...base,
        createAttributes: [{ name: "seats", dataType: "integer" }],
        contactBody: { custom_attributes: { seats: 3 } },
        companyUpsert: { body: { company_id: "n" }, isNew: true },
        attach: { ref: COMPANY_ID_PLACEHOLDER, label: "n" },
        createTags: ["VIP"],
        tag: [{ ref: "{tag:VIP}", name: "VIP" }],
        untag: [{ id: "t9", name: "Old" }],
      },
      "contact",
    );
    expect(shape(calls)).toEqual([
      ["create-attribute:seats", "POST", "/data_attributes", []],
      ["create-tag:VIP", "POST", "/tags", []],
      ["company", "POST", "/companies", []],
      ["update", "PUT", "/contacts/c1", ["create-attribute:seats"]],
      ["attach", "POST", "/contacts/c1/companies", ["company"]],
      ["tag:VIP", "POST", "/contacts/c1/tags", ["create-tag:VIP"]],
      ["untag:Old", "DELETE", "/contacts/c1/tags/t9", []],
    ]);
    expect(criticalPath(calls)).toBe(2);
  });

  it("an existing company is attached beside its update", () => {
    const calls = writeCalls(
      {
        ...base,
        companyUpsert: { body: { company_id: "e", name: "E" }, isNew: false },
        attach: { ref: "co1", label: "e" },
      },
      "contact",
    );
    expect(criticalPath(calls)).toBe(1);
  });
});

describe("lookupNeeds", () => {
  it("an Intercom ID with nothing to check reads nothing", () => {
    expect(lookupNeeds({ intercomId: "x", name: "n" }).contact).toBe(false);
  });
  it("tags need the user's current tags; archive alone needs the record", () => {
    expect(lookupNeeds({ intercomId: "x", tags: ["a"] }).contact).toBe(true);
    expect(lookupNeeds({ intercomId: "x", archive: true }).contact).toBe(true);
  });
  it("a restore reads nothing first (an archived user cannot be read)", () => {
    expect(lookupNeeds({ intercomId: "x", unarchive: true, tags: ["a"] }).contact).toBe(false);
  });
  it("no conflict check when the new email is the one used to find the user", () => {
    expect(lookupNeeds({ lookupEmail: "A@b.co", email: "a@b.co" }).checkEmail).toBe(false);
  });
});

describe("bodies have core's request types", () => {
  it("type-checks", () => {
    expectTypeOf(contactBody).returns.toEqualTypeOf<UpdateContactBody>();
    expectTypeOf(companyUpsertBody).returns.toEqualTypeOf<CompanyUpsertBody | undefined>();
    expectTypeOf(emailSearchBody).returns.toEqualTypeOf<SearchContactsBody>();
  });
});
