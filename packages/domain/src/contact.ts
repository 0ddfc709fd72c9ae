/** Reading contacts out of answers: the shape the action relies on is checked, never assumed. */
import { type Contact, isSafePathSegment } from "@intercom-kit/core";
import type { Candidate } from "./types.js";
import { isObject } from "./workspace.js";

/** The contact in an answer, or undefined when it is not an object with a usable `id`. */
export function readContact(data: unknown): Contact | undefined {
  if (!isObject(data) || typeof data.id !== "string" || !isSafePathSegment(data.id)) return undefined;
  return data as Contact;
}

/** The contacts of a search answer and its total, or undefined when the answer is not a contact list. */
export function readContactList(data: unknown): { contacts: Contact[]; total: number } | undefined {
  if (!isObject(data) || !Array.isArray(data.data)) return undefined;
  const contacts: Contact[] = [];
  for (const item of data.data) {
    const c = readContact(item);
    if (!c) return undefined;
    contacts.push(c);
  }
  const total =
    typeof data.total_count === "number" && Number.isFinite(data.total_count) ? data.total_count : contacts.length;
  return { contacts, total: Math.max(total, contacts.length) };
}

export function candidateOf(c: Contact): Candidate {
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return { id: c.id as string, userId: str(c.external_id), email: str(c.email), name: str(c.name), role: str(c.role) };
}

/** "Intercom ID 65ab… (user ID 26, joe@example.com)": a contact named so a person can find it. */
export function describeContact(c: Contact): string {
  const parts = [
    typeof c.external_id === "string" && c.external_id !== "" ? `user ID ${c.external_id}` : null,
    c.email ?? null,
  ].filter((p): p is string => typeof p === "string" && p !== "");
  const role = c.role === "lead" ? "a lead, " : "";
  return `Intercom ID ${c.id}${parts.length > 0 || role ? ` (${role}${parts.join(", ")})` : ""}`;
}

/** The ids in a contact's inline reference list (`companies` or `tags`), and whether the list is complete. */
export function contactRefs(contact: Contact, list: "companies" | "tags"): { ids: Set<string>; complete: boolean } {
  const ref = (contact as Record<string, unknown>)[list];
  if (!isObject(ref) || !Array.isArray(ref.data)) return { ids: new Set(), complete: false };
  const ids = new Set(
    ref.data.filter((d): d is { id: string } => isObject(d) && typeof d.id === "string").map((d) => d.id),
  );
  const total = typeof ref.total_count === "number" ? ref.total_count : ids.size;
  return { ids, complete: ref.has_more !== true && total <= ids.size };
}
