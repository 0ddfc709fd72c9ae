import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { fixSchemasForAjv } from "../src/fixups.js";

describe("fixSchemasForAjv", () => {
  const cases: [string, { given: unknown; want: unknown; kind: string }][] = [
    [
      "$ref with nullable becomes anyOf ref|null",
      {
        given: { $ref: "#/x", nullable: true, description: "d" },
        want: { description: "d", anyOf: [{ $ref: "#/x" }, { type: "null" }] },
        kind: "refWithNullable",
      },
    ],
    [
      "nullable oneOf without type gets a null alternative",
      {
        given: { nullable: true, oneOf: [{ type: "string" }] },
        want: { oneOf: [{ type: "string" }, { type: "null" }] },
        kind: "nullableCombinator",
      },
    ],
    [
      "nullable anyOf without type gets a null alternative",
      {
        given: { nullable: true, anyOf: [{ type: "integer" }] },
        want: { anyOf: [{ type: "integer" }, { type: "null" }] },
        kind: "nullableCombinator",
      },
    ],
    [
      "nullable allOf without type is wrapped in anyOf with null",
      {
        given: { nullable: true, allOf: [{ $ref: "#/r" }], description: "kept" },
        want: { description: "kept", anyOf: [{ allOf: [{ $ref: "#/r" }] }, { type: "null" }] },
        kind: "nullableWithoutType",
      },
    ],
    [
      "nullable false without type is dropped",
      { given: { nullable: false, properties: {} }, want: { properties: {} }, kind: "nullableFalseWithoutType" },
    ],
    [
      "enum with null becomes nullable and keeps null",
      {
        given: { type: "string", enum: ["a", null] },
        want: { type: "string", enum: ["a", null], nullable: true },
        kind: "enumNull",
      },
    ],
    [
      "duplicate enum items are removed",
      {
        given: { type: "string", enum: ["a", "b", "a"] },
        want: { type: "string", enum: ["a", "b"] },
        kind: "enumDuplicates",
      },
    ],
  ];

  it.each(cases)("%s", (_name, { given, want, kind }) => {
    const before = structuredClone(given);
    const { value, report } = fixSchemasForAjv(given);
    expect(value).toEqual(want);
    expect(report[kind as keyof typeof report]).toBe(1);
    expect(given).toEqual(before); // input never mutated
  });

  it("leaves nullable next to a type alone and does not touch examples", () => {
    const given = { type: "string", nullable: true, example: { nullable: true, $ref: "#/x" } };
    const { value, report } = fixSchemasForAjv(given);
    expect(value).toEqual(given);
    expect(Object.values(report).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("fixes nested schemas", () => {
    const { value } = fixSchemasForAjv({ properties: { a: { items: { $ref: "#/x", nullable: true } } } });
    expect(value).toEqual({ properties: { a: { items: { anyOf: [{ $ref: "#/x" }, { type: "null" }] } } } });
  });

  it("turns schemas Ajv rejects into ones it compiles, with the intended meaning", () => {
    const broken = { nullable: true, oneOf: [{ type: "string" }, { type: "integer" }] };
    expect(() => new Ajv({ strict: false }).compile(structuredClone(broken))).toThrow(/nullable/);
    const validate = new Ajv({ strict: false }).compile(fixSchemasForAjv(broken).value);
    expect(validate(null)).toBe(true);
    expect(validate("x")).toBe(true);
    expect(validate(true)).toBe(false);
  });
});
