export { type BaseUrlCheck, checkBaseUrl } from "./base-url.js";
export {
  createIntercomClient,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
} from "./client.js";
export { systemClock } from "./clock.js";
export { describeRequestEvent } from "./events.js";
export { describeFailure } from "./failure.js";
export { isSafePathSegment } from "./path-segment.js";
export { redact } from "./redact.js";
export { isRegion, REGION_BASE_URLS, REGIONS, type Region, type RegionInfo } from "./regions.js";
export {
  computeRetryDelay,
  isRetryableStatus,
  parseRetryAfterMs,
  type RetryDelay,
  type RetryDelayInput,
} from "./retry-policy.js";
export * from "./types.js";
export {
  API_VERSIONS,
  type ApiVersion,
  type ApiVersionCheck,
  checkApiVersion,
  DEFAULT_API_VERSION,
  PROVEN_API_VERSIONS,
} from "./versions.js";
