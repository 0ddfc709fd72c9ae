import { FIELDS, validateUpdateUserInput } from "@intercom-kit/domain";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { addFieldOptions, fieldOption, flagOf, optionsToRawInput } from "../../src/commands/field-options.js";

function parse(argv: string[]) {
  const command = addFieldOptions(new Command("t").exitOverride(), FIELDS);
  command.parse(argv, { from: "user" });
  return optionsToRawInput(FIELDS, command.opts());
}

describe("flags generated from the field table", () => {
  it("has one option per field, named by the table's flag, described by its label and hint", () => {
    const command = addFieldOptions(new Command("t"), FIELDS);
    const longs = command.options.map((o) => o.long);
    expect(longs).toEqual(FIELDS.map((f) => `--${f.flag}`));
    for (const field of FIELDS) {
      const option = fieldOption(field);
      expect(option.description).toContain(field.label);
      expect(option.description).toContain(field.hint);
      // A "flag" field is a switch; every other field takes a value.
      expect(option.required).toBe(field.kind !== "flag");
      expect(option.description.includes("Repeatable")).toBe(field.repeatable === true);
    }
  });

  it.each([
    ["user id", ["--user-id", "25"], { userId: "25" }],
    ["intercom id", ["--intercom-id", "abc"], { intercomId: "abc" }],
    [
      "--email finds, --new-email changes",
      ["--email", "a@x.io", "--new-email", "b@x.io"],
      { lookupEmail: "a@x.io", email: "b@x.io" },
    ],
    [
      "company flags",
      ["--company-id", "366", "--company-name", "Serenity", "--company-monthly-spend", "155"],
      { companyId: "366", companyName: "Serenity", companyMonthlySpend: "155" },
    ],
    ["repeatable --attr", ["--attr", "plan=pro", "--attr", "seats=3"], { customAttributes: ["plan=pro", "seats=3"] }],
    ["repeatable --tag (kind names)", ["--tag", "VIP", "--tag", "Beta tester"], { tags: ["VIP", "Beta tester"] }],
    ["--untag", ["--untag", "Churn risk"], { untags: ["Churn risk"] }],
    ["switches (kind flag)", ["--archive", "--unarchive"], { archive: true, unarchive: true }],
    [
      "time and url are text for the domain to read",
      ["--signed-up-at", "2024-05-01", "--avatar", "https://example.com/a.png"],
      { signedUpAt: "2024-05-01", avatar: "https://example.com/a.png" },
    ],
    [
      "new user id, role, owner",
      ["--new-user-id", "25-b", "--role", "user", "--owner", "ops@example.com"],
      {
        externalId: "25-b",
        role: "user",
        owner: "ops@example.com",
      },
    ],
    ["unsubscribed false stays a value", ["--unsubscribed", "false"], { unsubscribedFromEmails: "false" }],
    ["nothing given -> nothing set", [], {}],
  ])("%s", (_name, argv, want) => {
    expect(parse(argv)).toEqual(want);
  });

  it("feeds the domain's validation: false is kept, one --attr is one value even with a comma, tags are a list", () => {
    const raw = parse([
      "--user-id",
      "25",
      "--unsubscribed",
      "false",
      "--attr",
      "note=a, b",
      "--tag",
      "A",
      "--tag",
      "B",
    ]);
    const checked = validateUpdateUserInput(raw);
    expect(checked.ok).toBe(true);
    if (checked.ok) {
      expect(checked.input.unsubscribedFromEmails).toBe(false);
      expect(checked.input.customAttributes).toEqual({ note: "a, b" });
      expect(checked.input.tags).toEqual(["A", "B"]);
    }
  });

  it("names the flag of a field for error messages", () => {
    expect(flagOf(FIELDS, "email")).toBe("--new-email");
    expect(flagOf(FIELDS, "lookupEmail")).toBe("--email");
    expect(flagOf(FIELDS, "input")).toBeNull();
  });

  it("rejects a field flag without its value", () => {
    expect(() => parse(["--user-id"])).toThrow(/argument missing/);
  });
});
