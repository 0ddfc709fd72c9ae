import type { IntercomClient } from "@intercom-kit/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  FIELDS,
  type FieldSpec,
  type LookupResult,
  type PlannedCall,
  planUpdate,
  type UpdateUserError,
  type UpdateUserInput,
  type UpdateUserOutput,
  type UpdateUserResult,
  updateUser,
  type ValidationResult,
  validateUpdateUserInput,
} from "../src/index.js";

describe("types", () => {
  it("results narrow on ok", () => {
    expectTypeOf<Extract<UpdateUserResult, { ok: true }>>().toHaveProperty("user").toEqualTypeOf<UpdateUserOutput>();
    expectTypeOf<Extract<UpdateUserResult, { ok: false }>>().toHaveProperty("error").toEqualTypeOf<UpdateUserError>();
    expectTypeOf<Extract<ValidationResult, { ok: true }>>().toHaveProperty("input").toEqualTypeOf<UpdateUserInput>();
    expectTypeOf<Extract<LookupResult, { ok: true }>>().toHaveProperty("user").toEqualTypeOf<UpdateUserOutput>();
    const v = validateUpdateUserInput({ userId: "1", name: "x" });
    if (v.ok) {
      expectTypeOf(v.input.unsubscribedFromEmails).toEqualTypeOf<boolean | undefined>();
      // @ts-expect-error a valid result has no errors
      v.errors;
    } else {
      expectTypeOf(v.errors[0]!.field).toEqualTypeOf<keyof UpdateUserInput | "input">();
    }
    expect(v.ok).toBe(true);
  });

  it("inputs are checked", () => {
    const client = {} as IntercomClient;
    // @ts-expect-error unsubscribedFromEmails is a boolean or text, never a number
    void (() => updateUser(client, { userId: "1", unsubscribedFromEmails: 1 }));
    // @ts-expect-error unknown keys are rejected at compile time too
    void (() => updateUser(client, { userId: "1", nmae: "x" }));
    // @ts-expect-error planUpdate takes a validated input: spend is a number
    planUpdate({ userId: "1", companyId: "c", companyMonthlySpend: "3" });
    expectTypeOf<{ userId: string }>().toMatchTypeOf<Parameters<typeof updateUser>[1]>();
    expect(typeof updateUser).toBe("function");
  });

  it("the field table is keyed by input keys and call kinds are a closed set", () => {
    expectTypeOf(FIELDS).toEqualTypeOf<readonly FieldSpec[]>();
    expectTypeOf<FieldSpec["key"]>().toEqualTypeOf<keyof UpdateUserInput>();
    // @ts-expect-error "create-contact" is never a call: the action never creates contacts
    const kind: PlannedCall["kind"] = "create-contact";
    expect(kind).toBe("create-contact");
  });

  it("outcomes are a closed set", () => {
    expectTypeOf<Extract<UpdateUserResult, { ok: true }>["outcome"]>().toEqualTypeOf<"applied" | "unchanged">();
  });
});
