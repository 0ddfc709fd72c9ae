export type Region = "us" | "eu" | "au";

export interface RegionInfo {
  id: Region;
  /** For pickers and messages. */
  label: string;
  baseUrl: string;
}

/** Intercom's regional hosts, as every official description lists them; the first is the default. */
export const REGIONS: readonly RegionInfo[] = Object.freeze([
  Object.freeze({ id: "us", label: "United States", baseUrl: "https://api.intercom.io" }),
  Object.freeze({ id: "eu", label: "Europe", baseUrl: "https://api.eu.intercom.io" }),
  Object.freeze({ id: "au", label: "Australia", baseUrl: "https://api.au.intercom.io" }),
] satisfies RegionInfo[]);

/** The same table as a map from id to host. */
export const REGION_BASE_URLS: Readonly<Record<Region, string>> = Object.freeze(
  Object.fromEntries(REGIONS.map((r) => [r.id, r.baseUrl])) as Record<Region, string>,
);

export function isRegion(x: unknown): x is Region {
  return typeof x === "string" && Object.hasOwn(REGION_BASE_URLS, x);
}
