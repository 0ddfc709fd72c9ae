import type { Contact } from "@intercom-kit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fieldByKey } from "./fields.js";
import { toUserOutput } from "./output.js";
import {
  changeLine,
  changeLines,
  currentFieldText,
  errorDetailLines,
  escapeControl,
  formatError,
  formatUserText,
  formatValue,
  outcomeLine,
  plural,
  whoIs,
} from "./text.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Multi-line helpers join lines with "\n"; no line may hold a control character. */
const unsafe = (text: string) => text.split("\n").some((line) => CONTROL.test(line));

describe("escapeControl: data is shown, never executed", () => {
  it.each([
    ["Tim\x1b]0;PWNED\x07\x1b[31mRed", "Tim\\e]0;PWNED\\x07\\e[31mRed"],
    ["a\nb\tc\r", "a\\nb\\tc\\r"],
    ["\u009b31m", "\\x9b31m"],
    ["evil\u202etxt.exe", "evil\\u202etxt.exe"],
    ["Zoë 🙂 日本", "Zoë 🙂 日本"],
  ])("%j", (given, want) => {
    expect(escapeControl(given)).toBe(want);
  });

  it("leaves no control character in anything (property)", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => !CONTROL.test(escapeControl(s))));
  });

  it("escapes values in every helper that shows them", () => {
    const evil = "Tim\x1b]0;PWNED\x07";
    const contact = {
      type: "contact",
      id: "c1",
      role: "user",
      name: evil,
      email: `x${evil}@e.co`,
      custom_attributes: { [evil]: evil },
    } as unknown as Contact;
    const user = toUserOutput({ contact, companies: null, tags: null, segments: null });
    expect(unsafe(formatUserText(user))).toBe(false);
    expect(CONTROL.test(whoIs(user))).toBe(false);
    expect(CONTROL.test(formatValue(evil))).toBe(false);
    expect(
      CONTROL.test(changeLine({ key: "name", label: "Name", current: evil, next: evil, changed: true }).text),
    ).toBe(false);
    expect(unsafe(formatError({ kind: "not_found", message: evil, hint: evil, requestId: evil }))).toBe(false);
    expect(
      CONTROL.test(
        outcomeLine({
          ok: true,
          outcome: "applied",
          user,
          applied: [{ step: "update", kind: "update", summary: evil }],
          changes: [],
          notes: [],
        }),
      ),
    ).toBe(false);
  });
});

describe("changes", () => {
  it("says unknown, not set and unchanged as such", () => {
    expect(
      changeLine({
        key: "companyMonthlySpend",
        label: "Company monthly spend",
        current: undefined,
        next: "155",
        changed: true,
      }).text,
    ).toBe("(unknown) -> 155");
    expect(changeLine({ key: "phone", label: "Phone", current: null, next: "1", changed: true }).text).toBe(
      "(not set) -> 1",
    );
    expect(changeLine({ key: "name", label: "Name", current: "Joe", next: "Joe", changed: false }).text).toBe(
      "Joe (unchanged, not sent)",
    );
    expect(changeLines([])).toEqual(["(no field changes)"]);
  });
});

describe("errors", () => {
  it("lists candidates, what was done, what may have been and what was not", () => {
    const lines = errorDetailLines({
      kind: "unknown",
      message: "m",
      hint: "h",
      requestId: null,
      candidates: [{ id: "a1", userId: "7", email: "x@y.co", name: "X", role: "user" }],
      applied: [{ step: "company", kind: "company", summary: "company 366 created" }],
      unknown: ["update"],
      notApplied: ["attach"],
    });
    expect(lines).toEqual([
      "Candidate: a1 (X, x@y.co, user ID 7)",
      "Done: company 366 created",
      "May have been done: update",
      "Not done: attach",
    ]);
  });
  it("counts in words", () => {
    expect(plural(1, "row")).toBe("1 row");
    expect(plural(2, "row")).toBe("2 rows");
  });
});

describe("currentFieldText: what a form shows as the current value", () => {
  const contact = {
    type: "contact",
    id: "c1",
    external_id: "25",
    role: "user",
    email: "joe@example.com",
    name: "Joe\x1b[31m Example",
    phone: null,
    unsubscribed_from_emails: true,
    signed_up_at: 1714555800,
    avatar: { type: "avatar", image_url: null },
    owner_id: 7,
    custom_attributes: { plan: "pro", note: "a, b", nested: { x: 1 } },
  } as unknown as Contact;
  const user = toUserOutput({
    contact,
    companies: [{ type: "company", id: "co1", company_id: "366", name: "Serenity" }] as never,
    tags: { type: "list", data: [{ type: "tag", id: "t1", name: "VIP" }] } as never,
    segments: null,
  });
  const found = { user, contact };
  const field = (key: string) => {
    const f = fieldByKey(key);
    if (!f) throw new Error(key);
    return f;
  };
  it.each<[string, string | null | undefined]>([
    ["name", "Joe\\e[31m Example"],
    ["email", "joe@example.com"],
    ["phone", null],
    ["unsubscribedFromEmails", "Unsubscribed (no emails)"],
    ["emailVerified", undefined],
    ["externalId", "25"],
    ["role", "user"],
    ["avatar", null],
    ["signedUpAt", "2024-05-01T09:30:00Z (1714555800)"],
    ["lastSeenAt", undefined],
    ["owner", "admin 7"],
    ["intercomCompanyId", "co1 (Serenity)"],
    ["companyId", "366 (Serenity)"],
    ["companyName", undefined],
    ["customAttributes", 'plan=pro, note="a, b"'],
    ["tags", "VIP"],
    ["untags", "VIP"],
    ["archive", undefined],
  ])("%s: %j", (key, want) => {
    expect(currentFieldText(field(key), found)).toBe(want);
  });
  it("says unknown, not empty, for lists that could not be read, and nothing without the contact", () => {
    const partial = { ...user, incomplete: ["companies", "tags"] };
    expect(currentFieldText(field("companyId"), { user: partial })).toBeUndefined();
    expect(currentFieldText(field("tags"), { user: partial })).toBeUndefined();
    expect(currentFieldText(field("name"), { user })).toBeUndefined();
  });
});
