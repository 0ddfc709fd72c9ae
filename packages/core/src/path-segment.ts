/**
 * Whether `id` can be sent as one path segment and stay one: not blank, not "." or ".." (which `encodeURIComponent`
 * leaves as they are, so URL normalisation would turn `PUT /contacts/..` into `PUT /`), and well-formed Unicode (a
 * lone surrogate makes `encodeURIComponent` throw). Every other character is percent-encoded, so `/ ? # %` in an id
 * never change the path. The client refuses ids that fail this; the domain validates input with the same rule.
 */
export function isSafePathSegment(id: string): boolean {
  return typeof id === "string" && id.trim() !== "" && id !== "." && id !== ".." && id.isWellFormed();
}

/** Throws the programmer error the client methods throw for an id that fails `isSafePathSegment`. */
export function requireSafeId(method: string, name: string, value: unknown): void {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`IntercomClient.${method}: ${name} must be a non-empty string`);
  }
  if (value === "." || value === "..") {
    throw new TypeError(`IntercomClient.${method}: ${name} must not be "${value}" (it would change the request path)`);
  }
  if (!value.isWellFormed()) {
    throw new TypeError(`IntercomClient.${method}: ${name} is not well-formed Unicode (it holds a lone surrogate)`);
  }
}
