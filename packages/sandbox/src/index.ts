export type { FaultRule, FaultStatus, SlowBody } from "./faults.js";
export { mulberry32 } from "./faults.js";
export type {
  CompanyRecord,
  ContactRecord,
  CustomValue,
  DataAttribute,
  SandboxData,
  SegmentRecord,
  TagRecord,
} from "./model.js";
export { perWindow, WINDOW_SECONDS } from "./rate-limit.js";
export { runSandboxCli, type SandboxCliIo } from "./run-cli.js";
export { createSeedData, SEED } from "./seed.js";
export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  DEFAULT_VERSION,
  INTERCOM_VERSIONS,
  type RecordedRequest,
  type ResponseMeta,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from "./server.js";
export type { SandboxStateView } from "./store.js";
