/** Value rules that more than one part of the domain needs; each exists once, here. */

/** Intercom stores monthly spend as a whole number: 155.98 becomes 155. */
export function storedSpend(spend: number): number {
  return Math.trunc(spend);
}

const UNIX_SECONDS = /^\d{1,11}$/;
/** ISO 8601 calendar date, or date and time with an optional zone (Z or ±hh:mm). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Unix seconds from Unix seconds (a number or digits) or an ISO 8601 date/time (UTC unless a zone is given).
 * Undefined when it is neither, or not a real date (2024-02-30).
 */
export function parseTime(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (UNIX_SECONDS.test(text)) return Number(text);
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = "00", mi = "00", s = "00", zone] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${zone ? (zone === "Z" ? "Z" : zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`) : "Z"}`;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return undefined;
  // Date.parse rolls 2024-02-30 over to March; a real date reads back the same day.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  return Math.floor(ms / 1000);
}

/** "2024-05-01T09:30:00Z (1714555800)": a Unix time as a person reads it. */
export function showTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().replace(".000Z", "Z")} (${seconds})`;
}

/** Emails match case-insensitively in Intercom. */
export function sameEmail(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === "string" && typeof b === "string" && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Tag names match case-insensitively (Intercom answers an existing tag for the same name in any case). */
export function sameTagName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** owner_id is an integer up to API 2.15 and a string from 2.16 on. */
export function ownerIdForVersion(id: string, apiVersion: string): number | string {
  if (ownerIdIsString(apiVersion)) return id;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : id;
}

function versionNumber(version: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** True when `version` is `since` or later; "Preview" counts as the newest. */
export function versionAtLeast(version: string, since: string): boolean {
  const v = versionNumber(version);
  const s = versionNumber(since);
  if (!s) return true;
  if (!v) return true; // Preview / Unstable: newest behaviour
  return v[0] > s[0] || (v[0] === s[0] && v[1] >= s[1]);
}

export function ownerIdIsString(apiVersion: string): boolean {
  return versionAtLeast(apiVersion, "2.16");
}

/** `find_by_external_id` exists from API 2.13 on; older versions resolve a user ID through search instead. */
export function supportsFindByExternalId(apiVersion: string): boolean {
  return versionAtLeast(apiVersion, "2.13");
}
