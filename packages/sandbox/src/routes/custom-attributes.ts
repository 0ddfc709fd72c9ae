import { fail, type Reply } from "../errors.js";
import type { DataAttribute } from "../model.js";
import { MAX_INT32, MAX_STRING, type RouteContext } from "./context.js";

/** What is wrong with writing `v` to `attr` (null when it may be written). */
function problemWith(attr: DataAttribute | undefined, v: unknown): string | null {
  if (!attr) return "does not exist";
  if (attr.archived) return "is archived";
  if (!attr.api_writable) return "is not writable through the API";
  if (v === null) return null;
  switch (attr.data_type) {
    case "string":
      if (typeof v !== "string") return "must be a string";
      if (v.length > MAX_STRING) return `must be at most ${MAX_STRING} characters`;
      // A list attribute takes one of its options, exactly (see the README on why the sandbox is strict here).
      if (attr.options !== null && !attr.options.includes(v)) return `must be one of ${attr.options.join(", ")}`;
      return null;
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

/**
 * Intercom 2.x accepts only custom attributes already defined for the model, not archived, writable through the
 * API, with values of their type (and, for a list, one of its options). The first problem is a 400
 * `parameter_invalid` naming the attribute (`field: custom_attributes.<name>`).
 */
export function checkCustomAttributes(
  ctx: RouteContext,
  model: DataAttribute["model"],
  custom: Record<string, unknown>,
): Reply | null {
  for (const [name, value] of Object.entries(custom)) {
    const problem = problemWith(ctx.store.attribute(model, name), value);
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
