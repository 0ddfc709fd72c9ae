import { describe, expect, it } from "vitest";
import {
  changeFields,
  coerceAttributeValue,
  FIELDS,
  fieldByFlag,
  fieldByKey,
  identifyFields,
  parseAttributePairs,
} from "./fields.js";
import type { CustomAttributeValue } from "./types.js";

describe("FIELDS", () => {
  it("has one row per input key, with unique flags", () => {
    const keys = FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(FIELDS.map((f) => f.flag)).size).toBe(FIELDS.length);
    expect(keys.sort()).toEqual(
      [
        "companyId",
        "companyMonthlySpend",
        "companyName",
        "customAttributes",
        "email",
        "intercomCompanyId",
        "intercomId",
        "lookupEmail",
        "name",
        "phone",
        "unsubscribedFromEmails",
        "userId",
      ].sort(),
    );
  });

  it.each([
    ["user-id", "userId"],
    ["intercom-id", "intercomId"],
    ["email", "lookupEmail"],
    ["new-email", "email"],
    ["name", "name"],
    ["unsubscribed", "unsubscribedFromEmails"],
    ["company-intercom-id", "intercomCompanyId"],
    ["company-id", "companyId"],
    ["company-name", "companyName"],
    ["company-monthly-spend", "companyMonthlySpend"],
    ["attr", "customAttributes"],
    ["phone", "phone"],
    ["--new-email", "email"],
  ])("flag %s is %s", (flag, key) => {
    expect(fieldByFlag(flag)?.key).toBe(key);
    expect(fieldByKey(key)?.flag).toBe(flag.replace(/^--/, ""));
  });

  it("knows no other flags", () => {
    expect(fieldByFlag("user_id")).toBeUndefined();
    expect(fieldByKey("nope")).toBeUndefined();
  });

  it("splits identify and change fields", () => {
    expect(identifyFields.map((f) => f.key)).toEqual(["userId", "intercomId", "lookupEmail"]);
    expect(changeFields).toHaveLength(FIELDS.length - 3);
    expect(changeFields.every((f) => f.group !== "identify")).toBe(true);
  });

  it("every row has a label, a hint sentence, rules and an example; choices only on choice fields", () => {
    for (const f of FIELDS) {
      expect(f.label).not.toBe("");
      expect(f.hint).toMatch(/\.$/);
      expect(f.rules.length).toBeGreaterThan(0);
      expect(f.example).toBeTruthy();
      expect(f.choices !== undefined).toBe(f.kind === "choice");
    }
    expect(fieldByKey("unsubscribedFromEmails")?.choices?.map((c) => c.value)).toEqual(["", "true", "false"]);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(FIELDS)).toBe(true);
  });
});

describe("coerceAttributeValue", () => {
  const table: Array<[string, { given: string; want: CustomAttributeValue }]> = [
    ["integer", { given: "3", want: 3 }],
    ["negative decimal", { given: "-1.5", want: -1.5 }],
    ["true", { given: "true", want: true }],
    ["false", { given: "false", want: false }],
    ["TRUE stays text", { given: "TRUE", want: "TRUE" }],
    ["leading zero stays text", { given: "007", want: "007" }],
    ["double quotes force text", { given: '"3"', want: "3" }],
    ["single quotes force text", { given: "'true'", want: "true" }],
    ["quotes keep inner spaces", { given: '" a "', want: " a " }],
    ["plain text", { given: "pro", want: "pro" }],
    ["empty", { given: "", want: "" }],
    ["huge integer stays text", { given: "12345678901234567890", want: "12345678901234567890" }],
    ["overflow stays text", { given: "1e400", want: "1e400" }],
    ["text with =", { given: "a=b", want: "a=b" }],
  ];
  it.each(table)("%s", (_n, { given, want }) => {
    expect(coerceAttributeValue(given)).toBe(want);
  });
});

describe("parseAttributePairs", () => {
  it("types values", () => {
    expect(parseAttributePairs(["plan=pro", "seats=3", "vip=true", "eq=a=b", 'zip="01234"'])).toEqual({
      ok: true,
      attributes: { plan: "pro", seats: 3, vip: true, eq: "a=b", zip: "01234" },
    });
  });
  it("reports every bad pair", () => {
    const r = parseAttributePairs(["plan", "=3", "a=1", "a=2"]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.message)).toEqual([
      '"plan" must look like name=value',
      '"=3" has no attribute name before "="',
      'attribute "a" is given more than once',
    ]);
    expect(r.errors.every((e) => e.field === "customAttributes" && e.label === "Custom attributes")).toBe(true);
  });
  it("handles __proto__ as a plain name", () => {
    const r = parseAttributePairs(["__proto__=1"]);
    expect(r.ok && Object.hasOwn(r.attributes, "__proto__")).toBe(true);
  });
});
