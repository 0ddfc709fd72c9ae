/** API versions: which values the `Intercom-Version` header may take, and what changed in 2.16. */

export const DEFAULT_VERSION = "2.15";

/** Every value the `Intercom-Version` header may take (the official enum, 2.16, Preview and Unstable). */
export const INTERCOM_VERSIONS: readonly string[] = [
  "1.0",
  "1.1",
  "1.2",
  "1.3",
  "1.4",
  ...Array.from({ length: 17 }, (_, i) => `2.${i}`),
  "Preview",
  "Unstable",
];

/**
 * Versions served with the 2.16 behaviour: `owner_id` is a string, a merged contact answers 410 with a Link,
 * `email_verified` is accepted, `POST /tags` answers `tag_create_response`. Preview and Unstable are newer than 2.16.
 */
export function servesV216(version: string): boolean {
  return version === "2.16" || version === "Preview" || version === "Unstable";
}
