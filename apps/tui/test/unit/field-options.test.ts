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
      expect(option.required).toBe(true); // every field flag takes a value
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
    ["unsubscribed false stays a value", ["--unsubscribed", "false"], { unsubscribedFromEmails: "false" }],
    ["nothing given -> nothing set", [], {}],
  ])("%s", (_name, argv, want) => {
    expect(parse(argv)).toEqual(want);
  });

  it("feeds the domain's validation: false is kept as false, attrs are typed", () => {
    const raw = parse(["--user-id", "25", "--unsubscribed", "false", "--attr", "seats=3", "--attr", 'code="007"']);
    const checked = validateUpdateUserInput(raw);
    expect(checked.ok).toBe(true);
    if (checked.ok) {
      expect(checked.input.unsubscribedFromEmails).toBe(false);
      expect(checked.input.customAttributes).toEqual({ seats: 3, code: "007" });
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
