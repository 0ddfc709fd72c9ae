import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AttributeDefinition,
  attributesToText,
  closestName,
  guessAttributeValue,
  inferDataType,
  parseAttributePairs,
  parseAttributeText,
  typeAttributeValue,
} from "./attributes.js";
import type { CustomAttributeValue } from "./types.js";

describe("parseAttributeText: one parser for forms, flags and bulk cells", () => {
  const table: Array<[string, { given: string; want: Record<string, CustomAttributeValue> }]> = [
    ["one pair", { given: "plan=pro", want: { plan: "pro" } }],
    ["a comma inside a value stays in it", { given: "note=a, b", want: { note: "a, b" } }],
    ["pairs separated by commas", { given: "plan=pro, seats=3", want: { plan: "pro", seats: "3" } }],
    ["pairs separated by semicolons and newlines", { given: "a=1;b=2\nc=3", want: { a: "1", b: "2", c: "3" } }],
    [
      "a value holding = and :",
      { given: "url=https://x.example/?a=1, time=10:30", want: { url: "https://x.example/?a=1", time: "10:30" } },
    ],
    ["quotes are removed", { given: "zip=\"01234\", code='007'", want: { zip: "01234", code: "007" } }],
    [
      "JSON keeps JSON types",
      { given: '{"plan":"pro","seats":3,"vip":true}', want: { plan: "pro", seats: 3, vip: true } },
    ],
    ["a JSON-looking value after a name is text", { given: 'plan={"a":1}', want: { plan: '{"a":1}' } }],
    ["empty", { given: "  ", want: {} }],
  ];
  it.each(table)("%s", (_n, { given, want }) => {
    const r = parseAttributeText(given);
    expect(r).toEqual({ ok: true, attributes: want, types: {} });
  });

  it("name:type records the type for creating", () => {
    expect(parseAttributeText("seats:integer=3, since:date=2024-01-01")).toEqual({
      ok: true,
      attributes: { seats: "3", since: "2024-01-01" },
      types: { seats: "integer", since: "date" },
    });
  });

  it("reports what is wrong, naming the field", () => {
    for (const bad of ["plan", "{nope", "[1]", '{"a":null}', "a:wat=1"]) {
      const r = parseAttributeText(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok)
        expect(r.errors.every((e) => e.field === "customAttributes" && e.label === "Custom attributes")).toBe(true);
    }
  });

  it("pairs from repeated flags are not split", () => {
    expect(parseAttributePairs(["note=a, b=c"])).toEqual({ ok: true, attributes: { note: "a, b=c" }, types: {} });
    const r = parseAttributePairs(["plan", "=3", "a=1", "a=2"]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.message)).toEqual([
        '"plan" must look like name=value',
        '"=3" has no attribute name before "="',
        'attribute "a" is given more than once',
      ]);
    }
  });

  it("handles __proto__ as a plain name", () => {
    const r = parseAttributePairs(["__proto__=1"]);
    expect(r.ok && Object.hasOwn(r.attributes, "__proto__")).toBe(true);
  });

  it("round-trips through attributesToText (property)", () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
    const value = fc
      .stringMatching(/^[a-z0-9 ,;=:-]{0,12}$/)
      .map((s) => s.trim())
      .filter((s) => !/^["']/.test(s));
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 5 }), (attrs) => {
        const text = attributesToText(attrs);
        const back = parseAttributeText(text);
        return text === "" ? back.ok : back.ok && JSON.stringify(back.attributes) === JSON.stringify(attrs);
      }),
    );
  });
});

const def = (dataType: string, over: Partial<AttributeDefinition> = {}): AttributeDefinition => ({
  name: "a",
  dataType,
  options: [],
  archived: false,
  apiWritable: true,
  ...over,
});

describe("typeAttributeValue: typed from the workspace's definition", () => {
  const ok: Array<[string, { def: AttributeDefinition; given: CustomAttributeValue; want: CustomAttributeValue }]> = [
    ["text 3 for an integer is 3", { def: def("integer"), given: "3", want: 3 }],
    ["text 3 for a string stays text", { def: def("string"), given: "3", want: "3" }],
    ["007 for a string stays 007", { def: def("string"), given: "007", want: "007" }],
    ["1.5 for a float", { def: def("float"), given: "1.5", want: 1.5 }],
    ["an integer for a float", { def: def("float"), given: 2, want: 2 }],
    ["yes for a boolean", { def: def("boolean"), given: "yes", want: true }],
    ["false for a boolean", { def: def("boolean"), given: false, want: false }],
    ["an ISO date for a date", { def: def("date"), given: "2024-05-01", want: 1714521600 }],
    ["Unix seconds for a date", { def: def("date"), given: "1714521600", want: 1714521600 }],
    ["an option of a list", { def: def("string", { options: ["free", "pro"] }), given: "pro", want: "pro" }],
  ];
  it.each(ok)("%s", (_n, { def: d, given, want }) => {
    expect(typeAttributeValue(d, given)).toEqual({ ok: true, value: want });
  });

  const bad: Array<[string, { def: AttributeDefinition; given: CustomAttributeValue; says: string }]> = [
    ["1.5 for an integer", { def: def("integer"), given: "1.5", says: "whole number" }],
    ["text for an integer", { def: def("integer"), given: "many", says: "whole number" }],
    ["a number for a string", { def: def("string"), given: 3, says: "text attribute" }],
    ["maybe for a boolean", { def: def("boolean"), given: "maybe", says: "true/false" }],
    ["yesterday for a date", { def: def("date"), given: "yesterday", says: "ISO 8601" }],
    [
      "outside a list's options",
      { def: def("string", { options: ["free", "pro"] }), given: "gold", says: 'takes one of "free", "pro"' },
    ],
  ];
  it.each(bad)("%s", (_n, { def: d, given, says }) => {
    const r = typeAttributeValue(d, given);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(says);
      expect(r.message).toContain('"a"');
    }
  });
});

describe("guessing without a definition", () => {
  it.each([
    ["3", 3],
    ["-1.5", -1.5],
    ["true", true],
    ["007", "007"],
    ["1e400", "1e400"],
    ["12345678901234567890", "12345678901234567890"],
    ["pro", "pro"],
  ] as const)("%s", (given, want) => {
    expect(guessAttributeValue(given)).toBe(want);
  });
  it("infers a data type for creating", () => {
    expect(inferDataType("3")).toBe("integer");
    expect(inferDataType("1.5")).toBe("float");
    expect(inferDataType("true")).toBe("boolean");
    expect(inferDataType("pro")).toBe("string");
  });
});

describe("closestName", () => {
  const names = ["plan", "seats", "last_order_at", "Company size"];
  it.each([
    ["Plan", "plan"],
    ["plna", "plan"],
    ["seat", "seats"],
    ["last_ordr_at", "last_order_at"],
    ["company size", "Company size"],
  ])("%s -> %s", (given, want) => {
    expect(closestName(given, names)).toBe(want);
  });
  it("suggests nothing far away", () => {
    expect(closestName("zzz", names)).toBeUndefined();
  });
});
