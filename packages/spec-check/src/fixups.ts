import { clone, isObject, type JsonObject } from "./json.js";

/** What the fix-ups changed, by kind; lets tests prove each fix really ran. */
export interface FixupReport {
  refWithNullable: number;
  nullableCombinator: number;
  nullableWithoutType: number;
  nullableFalseWithoutType: number;
  enumNull: number;
  enumDuplicates: number;
}

export function emptyFixupReport(): FixupReport {
  return {
    refWithNullable: 0,
    nullableCombinator: 0,
    nullableWithoutType: 0,
    nullableFalseWithoutType: 0,
    enumNull: 0,
    enumDuplicates: 0,
  };
}

const NULL_SCHEMA = { type: "null" };

/**
 * Rewrites OpenAPI 3.0 schema quirks that Ajv refuses to compile (see spec-validation.md) into equivalent
 * JSON Schema. Returns a new value; the input is never mutated. Apply it to `components` (or any schema).
 */
export function fixSchemasForAjv<T>(
  input: T,
  report: FixupReport = emptyFixupReport(),
): { value: T; report: FixupReport } {
  const value = clone(input);
  walk(value, report);
  return { value, report };
}

function walk(node: unknown, report: FixupReport): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, report);
    return;
  }
  if (!isObject(node)) return;
  // Children first, so a parent's rewrite wraps already fixed children.
  for (const key of Object.keys(node)) {
    // `example(s)` hold data, not schemas: leave them as they are.
    if (key === "example" || key === "examples") continue;
    walk(node[key], report);
  }
  fixNode(node, report);
}

function fixNode(node: JsonObject, report: FixupReport): void {
  if (Array.isArray(node.enum)) {
    const items = node.enum as unknown[];
    // OpenAPI 3.0 spells "or null" as `nullable: true`; Ajv needs that AND null kept in the enum to accept null.
    if (items.includes(null) && node.nullable !== true) {
      node.nullable = true;
      report.enumNull++;
    }
    const seen = new Set<string>();
    const unique = (node.enum as unknown[]).filter((v) => {
      const key = JSON.stringify(v);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (unique.length !== (node.enum as unknown[]).length) {
      node.enum = unique;
      report.enumDuplicates++;
    }
  }
  if (!("nullable" in node)) return;
  if (node.nullable !== true) {
    // nullable: false adds nothing; Ajv only refuses it without `type`.
    if (node.type === undefined) {
      delete node.nullable;
      report.nullableFalseWithoutType++;
    }
    return;
  }
  if (typeof node.$ref === "string") {
    const ref = node.$ref;
    delete node.$ref;
    delete node.nullable;
    node.anyOf = [{ $ref: ref }, { ...NULL_SCHEMA }];
    report.refWithNullable++;
    return;
  }
  if (node.type !== undefined) return; // Ajv handles `nullable` next to `type` itself.
  for (const combinator of ["oneOf", "anyOf"] as const) {
    const alternatives = node[combinator];
    if (Array.isArray(alternatives)) {
      delete node.nullable;
      if (!alternatives.some((a) => isObject(a) && a.type === "null")) alternatives.push({ ...NULL_SCHEMA });
      report.nullableCombinator++;
      return;
    }
  }
  // Anything else (allOf, bare properties, nothing at all): "this schema, or null".
  delete node.nullable;
  const rest: JsonObject = {};
  for (const key of Object.keys(node)) {
    if (isSchemaKeyword(key)) {
      rest[key] = node[key];
      delete node[key];
    }
  }
  node.anyOf = Object.keys(rest).length === 0 ? [{}, { ...NULL_SCHEMA }] : [rest, { ...NULL_SCHEMA }];
  report.nullableWithoutType++;
}

const ANNOTATIONS = new Set(["description", "title", "example", "examples", "deprecated", "default", "externalDocs"]);

function isSchemaKeyword(key: string): boolean {
  return !ANNOTATIONS.has(key) && !key.startsWith("x-");
}
