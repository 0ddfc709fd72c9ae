export type {
  AttachedCompanies,
  CallOptions,
  Clock,
  Company,
  Contact,
  IntercomClientOptions,
  IntercomFailure,
  IntercomResult,
  RateLimitInfo,
  Region,
  RequestEvent,
} from "@intercom-kit/core";
// Re-exported so apps and scripts depend on the domain alone.
export {
  checkBaseUrl,
  createIntercomClient,
  DEFAULT_API_VERSION,
  describeFailure,
  REGION_BASE_URLS,
} from "@intercom-kit/core";
// Bulk: many users from CSV/NDJSON, paced, journaled, resumable (see README "Bulk").
export * from "./bulk.js";
export * from "./bulk-company-cache.js";
export * from "./bulk-input.js";
export * from "./describe-changes.js";
export * from "./errors.js";
export * from "./fields.js";
export * from "./journal.js";
export * from "./output.js";
export * from "./plan.js";
export * from "./types.js";
export * from "./update-user.js";
export * from "./validate.js";
