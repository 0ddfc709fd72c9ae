/** Small helpers for walking untyped JSON (OpenAPI documents). */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Escapes one JSON-pointer segment. */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** Resolves a local `#/a/b` pointer inside `doc`; undefined when it does not exist. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  const parts = ref
    .slice(1)
    .split("/")
    .filter((p, i) => i > 0 || p !== "");
  let node: unknown = doc;
  for (const raw of parts) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as JsonObject)[unescapePointer(raw)];
    if (node === undefined) return undefined;
  }
  return node;
}
