/**
 * The tools' schemas, generated from the domain's field table. The input schemas a client lists say what to send
 * (types, labels, hints, rules); the values are then judged by the domain's validation alone, which accepts a little
 * more (`"yes"` for true, a user ID as a number, attribute text) and names every problem by the field's label. So the
 * runtime schema passes values through and only the listed JSON Schema is precise.
 */
import { ATTRIBUTE_DATA_TYPES, FIELDS, type FieldSpec, identifyFields } from "@intercom-kit/domain";
import * as z from "zod";

export type JsonSchema = Record<string, unknown>;

/** A field's description: label, hint, rules, the choices' meanings and an example. */
export function fieldDescription(field: FieldSpec): string {
  const parts = [`${field.label}. ${field.hint}`];
  if (field.rules.length > 0) parts.push(`Rules: ${field.rules.join("; ")}.`);
  const choices = (field.choices ?? []).filter((c) => c.value !== "");
  if (choices.length > 0) parts.push(`Values: ${choices.map((c) => `"${c.value}" = ${c.label}`).join("; ")}.`);
  if (field.example !== undefined) parts.push(`Example: ${field.example}.`);
  return parts.join(" ");
}

/** The JSON type of a field's kind. */
export function fieldJsonSchema(field: FieldSpec): JsonSchema {
  const description = fieldDescription(field);
  switch (field.kind) {
    case "text":
    case "hidden":
      return { type: "string", description };
    case "email":
      return { type: "string", format: "email", description };
    case "url":
      return { type: "string", format: "uri", description };
    case "choice":
      return { type: "string", enum: (field.choices ?? []).map((c) => c.value).filter((v) => v !== ""), description };
    case "number":
      return { type: "number", description };
    case "time":
      return { type: ["string", "integer"], description };
    case "flag":
      return { type: "boolean", description };
    case "names":
      return { type: "array", items: { type: "string" }, description };
    case "attributes":
      return { type: "object", additionalProperties: { type: ["string", "number", "boolean"] }, description };
  }
}

/** Listed as `schema`, accepted as anything: the domain's validation decides. */
function listedAs(schema: JsonSchema) {
  return z.unknown().optional().meta(schema);
}

/**
 * Unknown keys reach the domain, which names them ("did you mean ...?"), though the listed schema admits none. Keys
 * listed as required are optional at run time too, so a missing one is the tool's own refusal, worded like the rest.
 */
function inputObject(shape: Record<string, z.ZodType>, required: string[] = []) {
  return z.looseObject(shape).meta({ additionalProperties: false, ...(required.length > 0 ? { required } : {}) });
}

export const CREATE_MISSING_ATTRIBUTES_DESCRIPTION =
  "Create custom attributes that do not exist in the workspace yet (typed from the value, or from attributeTypes) instead of refusing them. A name one edit away from an existing attribute is still refused. Default false.";

export const ATTRIBUTE_TYPES_DESCRIPTION = `Data types for custom attributes to create (with createMissingAttributes), by name: ${ATTRIBUTE_DATA_TYPES.join(", ")}.`;

export const PLAN_ID_DESCRIPTION =
  "The plan_id plan_user_update returned. A plan is applied at most once, and only before it expires.";

/** find_user: the identify fields. */
export function findUserInput(fields: readonly FieldSpec[] = identifyFields) {
  return inputObject(Object.fromEntries(fields.map((f) => [f.key, listedAs(fieldJsonSchema(f))])));
}

/** plan_user_update: every field of the table, and the pre-flight's option. */
export function planUserUpdateInput(fields: readonly FieldSpec[] = FIELDS) {
  return inputObject({
    ...Object.fromEntries(fields.map((f) => [f.key, listedAs(fieldJsonSchema(f))])),
    createMissingAttributes: listedAs({ type: "boolean", description: CREATE_MISSING_ATTRIBUTES_DESCRIPTION }),
    attributeTypes: listedAs({
      type: "object",
      additionalProperties: { type: "string", enum: [...ATTRIBUTE_DATA_TYPES] },
      description: ATTRIBUTE_TYPES_DESCRIPTION,
    }),
  });
}

export function applyUserUpdateInput() {
  return inputObject({ plan_id: listedAs({ type: "string", description: PLAN_ID_DESCRIPTION }) }, ["plan_id"]);
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs: one object per tool whether it succeeded or not (`ok`), so a client can check either against it.

const text = z.string();
const nullableText = z.string().nullable();

export const backendOutput = z
  .object({
    kind: z.enum(["sandbox", "intercom", "custom"]),
    label: text,
    baseUrl: text,
    apiVersion: text,
    tokenSource: nullableText.describe("where the token came from (never the token)"),
  })
  .describe("The back end this server talks to: the embedded sandbox (in memory), Intercom, or another server");

const problemOutput = z.looseObject({ kind: text, field: text, label: text, message: text });
const candidateOutput = z.looseObject({
  id: text,
  userId: nullableText,
  email: nullableText,
  name: nullableText,
  role: nullableText,
});
const appliedStepOutput = z.looseObject({ step: text, kind: text, summary: text, verified: z.boolean().optional() });

export const errorOutput = z
  .looseObject({
    kind: text.describe(
      "the domain's error kind (invalid_input, not_found, ambiguous, conflict, stale, partial, unknown, ...) or, for plans, plan_unknown, plan_expired, plan_already_applied, plan_in_progress",
    ),
    message: text,
    hint: text,
    requestId: nullableText,
    problems: z.array(problemOutput).optional().describe("every problem found before anything was written"),
    fieldErrors: z.array(z.looseObject({ field: text, label: text, message: text })).optional(),
    candidates: z.array(candidateOutput).optional().describe("ambiguous: the users to choose from"),
    applied: z.array(appliedStepOutput).optional().describe("writes made for certain before the failure"),
    notApplied: z.array(text).optional(),
    unknown: z.array(text).optional().describe("writes that may or may not have been made"),
  })
  .describe("What went wrong and what to do about it (message, hint)");

const namedList = (type: string) =>
  z.looseObject({ type: text, [type]: z.array(z.looseObject({ id: text, name: nullableText })) });

export const userOutput = z
  .looseObject({
    type: z.literal("user"),
    id: text.describe("Intercom ID"),
    user_id: nullableText.describe("User ID (external_id)"),
    anonymous: z.boolean(),
    email: nullableText,
    name: nullableText,
    phone: nullableText,
    owner_id: nullableText,
    unsubscribed_from_emails: z.boolean().nullable(),
    created_at: z.number().nullable(),
    signed_up_at: z.number().nullable(),
    updated_at: z.number().nullable(),
    last_request_at: z.number().nullable(),
    companies: namedList("companies"),
    tags: namedList("tags"),
    segments: namedList("segments"),
    custom_attributes: z.record(z.string(), z.unknown()),
    merged_from: text.optional(),
    incomplete: z.array(text).optional(),
  })
  .describe("The user record with the legacy (1.x) field names; fields API 2.x lacks are null");

const changeOutput = z.looseObject({
  key: text,
  label: text,
  current: nullableText.optional().describe("null: not set; absent: not known (the user was not read)"),
  next: text,
  changed: z.boolean().describe("false: the user already has it, nothing is sent"),
});

const callOutput = z.looseObject({
  id: text,
  kind: text,
  phase: z.enum(["lookup", "write", "output"]),
  method: z.enum(["GET", "PUT", "POST", "DELETE"]),
  path: text,
  query: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  purpose: text,
  after: z.array(text).describe("calls that must finish first"),
});

export const findUserOutput = z.object({
  ok: z.boolean(),
  backend: backendOutput,
  user: userOutput.optional(),
  notes: z.array(text).optional(),
  error: errorOutput.optional(),
});

export const planUserUpdateOutput = z.object({
  ok: z.boolean(),
  backend: backendOutput,
  plan_id: text.optional().describe("pass it to apply_user_update; absent when a problem was found"),
  expires_at: text.optional().describe("ISO 8601: the plan cannot be applied after this"),
  user: z
    .object({ id: text, user_id: nullableText, email: nullableText, name: nullableText })
    .nullable()
    .optional()
    .describe("who the plan is for, as read for it (find_user gives the whole record); null when not read"),
  changes: z.array(changeOutput).optional().describe("every value given: current -> new"),
  calls: z
    .array(callOutput)
    .optional()
    .describe("the calls apply_user_update will make: writes, then reads for the record"),
  reads_made: z.array(callOutput).optional().describe("the reads made to plan (lookup and checks)"),
  notes: z.array(text).optional(),
  unchanged: z.boolean().optional().describe("true: the user already has every value; applying writes nothing"),
  round_trips: z.number().optional(),
  error: errorOutput.optional(),
});

export const OUTCOMES = ["applied", "unchanged", "partial", "unknown", "not_applied"] as const;

export const applyUserUpdateOutput = z.object({
  ok: z.boolean(),
  backend: backendOutput,
  plan_id: text,
  outcome: z
    .enum(OUTCOMES)
    .describe(
      "applied: every write made; unchanged: nothing needed writing; partial: some writes made, then one failed; unknown: a write may or may not have been made; not_applied: nothing was written",
    ),
  user: userOutput
    .nullable()
    .optional()
    .describe(
      "the user after the update; after a partial or unknown outcome, as read afterwards (null if that failed)",
    ),
  applied: z.array(appliedStepOutput).optional(),
  changes: z.array(changeOutput).optional(),
  notes: z.array(text).optional(),
  error: errorOutput.optional(),
});
