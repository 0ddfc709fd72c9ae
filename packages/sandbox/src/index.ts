export type { FaultRule, FaultStatus, SlowBody } from "./faults.js";
export { mulberry32 } from "./faults.js";
export type {
  AdminRecord,
  CompanyRecord,
  ContactRecord,
  CustomValue,
  DataAttribute,
  DataType,
  SandboxData,
  SegmentRecord,
  TagRecord,
} from "./model.js";
export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  type ResponseMeta,
  type SandboxOptions,
} from "./options.js";
export { perWindow, WINDOW_SECONDS } from "./rate-limit.js";
export type { RecordedRequest } from "./request-log.js";
export { runSandboxCli, type SandboxCliIo } from "./run-cli.js";
export { createSeedData, SEED } from "./seed.js";
export { type Sandbox, startSandbox } from "./server.js";
export type { SandboxStateView } from "./store.js";
export { DEFAULT_VERSION, INTERCOM_VERSIONS } from "./versions.js";
