import { FIELDS, type FieldSpec } from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import { toJSONSchema } from "zod";
import {
  applyUserUpdateOutput,
  fieldDescription,
  fieldJsonSchema,
  findUserOutput,
  planUserUpdateInput,
  planUserUpdateOutput,
} from "../../src/schemas.js";

const field = (over: Partial<FieldSpec>): FieldSpec => ({
  key: "name",
  label: "Label",
  hint: "Hint.",
  kind: "text",
  group: "profile",
  flag: "x",
  rules: ["rule one", "rule two"],
  ...over,
});

describe("fieldJsonSchema: each kind of field becomes a JSON type", () => {
  it.each([
    ["text", {}, { type: "string" }],
    ["email", {}, { type: "string", format: "email" }],
    ["url", {}, { type: "string", format: "uri" }],
    ["number", {}, { type: "number" }],
    ["time", {}, { type: ["string", "integer"] }],
    ["flag", {}, { type: "boolean" }],
    ["names", {}, { type: "array", items: { type: "string" } }],
    ["attributes", {}, { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } }],
    [
      "choice",
      {
        choices: [
          { value: "", label: "Leave" },
          { value: "true", label: "Yes" },
          { value: "false", label: "No" },
        ],
      },
      { type: "string", enum: ["true", "false"] },
    ],
  ] as const)("%s", (kind, extra, want) => {
    const schema = fieldJsonSchema(field({ kind, ...(extra as Partial<FieldSpec>) }));
    expect(schema).toEqual({ ...want, description: expect.any(String) });
  });

  it("describes a field by its label, hint, rules, choices and example", () => {
    const text = fieldDescription(
      field({ kind: "choice", choices: [{ value: "user", label: "User (converts a lead)" }], example: "user" }),
    );
    expect(text).toBe(
      'Label. Hint. Rules: rule one; rule two. Values: "user" = User (converts a lead). Example: user.',
    );
  });

  it("covers every field of the table, in its order", () => {
    const listed = toJSONSchema(planUserUpdateInput(), { io: "input" }) as { properties: Record<string, unknown> };
    expect(Object.keys(listed.properties).slice(0, FIELDS.length)).toEqual(FIELDS.map((f) => f.key));
  });
});

describe("the input schemas pass values through to the domain", () => {
  it("keeps values the listed schema would not (numbers for ids, unknown keys) so the domain names them", () => {
    const parsed = planUserUpdateInput().parse({ userId: 25, tags: "VIP", nmae: "x" });
    expect(parsed).toEqual({ userId: 25, tags: "VIP", nmae: "x" });
  });
});

describe("the output schemas accept failures too (clients check both)", () => {
  const backend = { kind: "sandbox", label: "x", baseUrl: "http://127.0.0.1:1", apiVersion: "2.15", tokenSource: null };
  const error = { kind: "not_found", message: "m", hint: "h", requestId: null, failedStep: "find" };
  it.each([
    ["find_user", findUserOutput, { ok: false, backend, error }],
    ["plan_user_update", planUserUpdateOutput, { ok: false, backend, error }],
    ["apply_user_update", applyUserUpdateOutput, { ok: false, backend, plan_id: "p", outcome: "not_applied", error }],
  ] as const)("%s", (_name, schema, value) => {
    expect(schema.safeParse(value).success).toBe(true);
  });
});
