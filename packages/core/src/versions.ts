/**
 * The `Intercom-Version` values intercom-kit accepts: every 2.x version and Preview. 1.x is the legacy Users API
 * (`/users`, an upsert), which this client does not speak; "Unstable" is Preview's old name.
 */
export const API_VERSIONS = Object.freeze([
  "2.0",
  "2.1",
  "2.2",
  "2.3",
  "2.4",
  "2.5",
  "2.6",
  "2.7",
  "2.8",
  "2.9",
  "2.10",
  "2.11",
  "2.12",
  "2.13",
  "2.14",
  "2.15",
  "2.16",
  "Preview",
] as const);

export type ApiVersion = (typeof API_VERSIONS)[number];

/** Versions whose official descriptions the contract (specs/) is proven against, with 0 discrepancies. */
export const PROVEN_API_VERSIONS = Object.freeze(["2.15", "2.16"] as const);

export const DEFAULT_API_VERSION = "2.15";

export type ApiVersionCheck = { ok: true; version: string } | { ok: false; message: string };

/** Longer input is not echoed back: a version is a few characters, anything long may be a pasted secret. */
const ECHO_LIMIT = 12;

/**
 * The one rule for a version a person or a setting gives: surrounding whitespace is ignored, "preview" in any case
 * means "Preview", anything else must be one of API_VERSIONS exactly.
 */
export function checkApiVersion(text: string): ApiVersionCheck {
  const accepted = `one of ${API_VERSIONS.join(", ")}`;
  if (typeof text !== "string") return { ok: false, message: `The Intercom API version must be ${accepted}` };
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: `The Intercom API version is empty; use ${accepted}` };
  if ((API_VERSIONS as readonly string[]).includes(trimmed)) return { ok: true, version: trimmed };
  if (trimmed.toLowerCase() === "preview") return { ok: true, version: "Preview" };
  const got = trimmed.length <= ECHO_LIMIT ? `"${trimmed}"` : `a value of ${trimmed.length} characters`;
  const hint = /^1\.\d$/.test(trimmed)
    ? " (1.x is the legacy Users API, which intercom-kit does not use)"
    : trimmed.toLowerCase() === "unstable"
      ? ' ("Unstable" is now called "Preview")'
      : "";
  return { ok: false, message: `The Intercom API version must be ${accepted}; got ${got}${hint}` };
}
