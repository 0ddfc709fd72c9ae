import { describe, expect, it } from "vitest";
import { changeFields, FIELD_GROUPS, FIELDS, fieldApplies, fieldByFlag, fieldByKey, identifyFields } from "./fields.js";
import type { FieldKey } from "./types.js";

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
        "emailVerified",
        "externalId",
        "role",
        "owner",
        "avatar",
        "signedUpAt",
        "lastSeenAt",
        "tags",
        "untags",
        "unarchive",
        "archive",
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
    ["tag", "tags"],
    ["untag", "untags"],
    ["new-user-id", "externalId"],
    ["owner", "owner"],
    ["signed-up-at", "signedUpAt"],
    ["unarchive", "unarchive"],
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
      if (f.kind !== "flag") expect(f.example).toBeTruthy();
      expect(f.choices !== undefined).toBe(f.kind === "choice");
      expect(FIELD_GROUPS.some((g) => g.group === f.group)).toBe(true);
      for (const k of [...(f.requires ?? []), ...(f.excludes ?? [])]) expect(fieldByKey(k)).toBeDefined();
    }
    expect(fieldByKey("unsubscribedFromEmails")?.choices?.map((c) => c.value)).toEqual(["", "true", "false"]);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(FIELDS)).toBe(true);
  });
});

describe("fieldApplies: the rules forms use to skip steps", () => {
  const given = (...keys: FieldKey[]) => new Set<FieldKey>(keys);
  it("company name and spend need Company ID", () => {
    const name = fieldByKey("companyName");
    if (!name) throw new Error("no companyName row");
    expect(fieldApplies(name, given("userId"))).toBe(false);
    expect(fieldApplies(name, given("userId", "companyId"))).toBe(true);
  });
  it("Company ID is not asked once Intercom ID of company is given", () => {
    const companyId = fieldByKey("companyId");
    if (!companyId) throw new Error("no companyId row");
    expect(fieldApplies(companyId, given("userId", "intercomCompanyId"))).toBe(false);
  });
  it("a field newer than the API version is not asked (Email verified needs 2.16)", () => {
    const verified = fieldByKey("emailVerified");
    if (!verified) throw new Error("no emailVerified row");
    const withEmail = given("userId", "email");
    expect(fieldApplies(verified, withEmail, { apiVersion: "2.15" })).toBe(false);
    expect(fieldApplies(verified, withEmail, { apiVersion: "2.16" })).toBe(true);
    expect(fieldApplies(verified, withEmail, { apiVersion: "Preview" })).toBe(true);
    expect(fieldApplies(verified, withEmail)).toBe(true); // no version known: the version rule is validation's
    expect(fieldApplies(verified, given("userId"), { apiVersion: "2.16" })).toBe(false);
  });
  it("restore needs Intercom ID", () => {
    const unarchive = fieldByKey("unarchive");
    if (!unarchive) throw new Error("no unarchive row");
    expect(fieldApplies(unarchive, given("userId"))).toBe(false);
    expect(fieldApplies(unarchive, given("intercomId"))).toBe(true);
  });
});
