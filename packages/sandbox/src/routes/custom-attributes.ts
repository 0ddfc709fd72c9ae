import { fail, type Reply } from "../errors.js";
import type { DataAttribute } from "../model.js";
import { MAX_INT32, MAX_STRING, type RouteContext } from "./context.js";

function checkCustomValue(attr: DataAttribute, v: unknown): string | null {
  if (v === null) return null;
  switch (attr.data_type) {
    case "string":
      if (typeof v !== "string") return "must be a string";
      return v.length > MAX_STRING ? `must be at most ${MAX_STRING} characters` : null;
    case "integer":
      return Number.isInteger(v) && Math.abs(v as number) <= MAX_INT32 ? null : "must be an integer";
    case "float":
      return typeof v === "number" && Number.isFinite(v) ? null : "must be a number";
    case "boolean":
      return typeof v === "boolean" ? null : "must be a boolean";
    case "date":
      return Number.isInteger(v) ? null : "must be a Unix timestamp (integer seconds)";
  }
}

/** Intercom 2.x accepts only custom attributes that are already defined for the model, with values of their type. */
export function checkCustomAttributes(
  ctx: RouteContext,
  model: DataAttribute["model"],
  custom: Record<string, unknown>,
): Reply | null {
  for (const [name, value] of Object.entries(custom)) {
    const attr = ctx.store.data.data_attributes.find((a) => a.model === model && a.name === name);
    const problem = attr ? checkCustomValue(attr, value) : "does not exist";
    if (problem)
      return fail(
        400,
        ctx.requestId,
        "parameter_invalid",
        `Custom attribute '${name}' ${problem}`,
        `custom_attributes.${name}`,
      );
  }
  return null;
}
