import { randomBytes } from "node:crypto";
import { checkFaultRules, type FaultRule } from "./faults.js";
import type { SandboxData } from "./model.js";
import { checkSandboxData, upgradeSandboxData } from "./persist.js";
import { DEFAULT_VERSION, INTERCOM_VERSIONS } from "./versions.js";

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ResponseMeta {
  /** The API version the response was served for (the header, or the default when absent or invalid). */
  version: string;
  requestId: string;
  /** The route template that handled the request (e.g. "/contacts/:contact_id"), or null when none matched. */
  route?: string | null;
}

export interface SandboxOptions {
  /** Port on 127.0.0.1 (default 0: a free port). The sandbox never listens on another interface. */
  port?: number;
  /** Bearer token clients must send. Default: random per start. */
  token?: string;
  /**
   * Start from this state instead of the seed (copied), e.g. `createSeedData()` plus thousands of generated
   * contacts for bulk tests and benches. `reset()` returns to it. Ignored when `stateFile` already holds a state.
   */
  data?: SandboxData;
  /** Persist the state as JSON here (written atomically after each change, loaded on start). */
  stateFile?: string;
  /** Requests per minute, split into 10-second windows of ceil(n / 6). Default 10 000. */
  rateLimitPerMinute?: number;
  /** Fixed delay added to every Intercom request, in ms. */
  latencyMs?: number;
  /** Fault rules (see FaultRule); change them at run time with `setFaults`. */
  faults?: FaultRule[];
  /** Seed of the fault PRNG (default 1): the same seed and requests give the same faults. */
  seed?: number;
  /** Clock in ms since the epoch (default Date.now): drives timestamps and rate-limit windows. */
  now?: () => number;
  /** Called with every JSON response the Intercom routes send (not admin routes, not mangled bodies). */
  onResponse?: (method: string, path: string, status: number, body: unknown, meta: ResponseMeta) => void;
  /** Largest accepted request body (default 1 MiB); larger ones get a 400. */
  maxBodyBytes?: number;
  /** Version used when a request has no Intercom-Version header (default "2.15", like an app set to 2.15). */
  defaultVersion?: string;
}

/** Options after checking, with every default filled in. */
export interface Settings {
  port: number;
  token: string;
  /** A private copy of `options.data`, or undefined for the seed. */
  data: SandboxData | undefined;
  stateFile: string | undefined;
  rateLimitPerMinute: number;
  latencyMs: number;
  faults: FaultRule[];
  seed: number;
  now: () => number;
  onResponse: SandboxOptions["onResponse"];
  maxBodyBytes: number;
  defaultVersion: string;
}

/** Checks the options and fills in defaults; throws an Error naming the first bad option. */
export function resolveOptions(options: SandboxOptions): Settings {
  const token = options.token ?? `sbx_${randomBytes(24).toString("base64url")}`;
  if (token.length === 0 || /\s/.test(token))
    throw new Error("options.token must be a non-empty string without spaces");
  const defaultVersion = options.defaultVersion ?? DEFAULT_VERSION;
  if (!INTERCOM_VERSIONS.includes(defaultVersion))
    throw new Error(`options.defaultVersion must be one of ${INTERCOM_VERSIONS.join(", ")}`);
  const rateLimitPerMinute = options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
  if (!Number.isFinite(rateLimitPerMinute) || rateLimitPerMinute < 1)
    throw new Error("options.rateLimitPerMinute must be a number >= 1");
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error("options.latencyMs must be a number >= 0");
  const faultProblem = checkFaultRules(options.faults ?? []);
  if (faultProblem) throw new Error(`options.${faultProblem}`);
  const port = options.port ?? 0;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
    throw new Error("options.port must be an integer between 0 and 65535");
  if (options.data !== undefined) {
    const problem = checkSandboxData(options.data);
    if (problem) throw new Error(`options.data is not a sandbox state: ${problem}`);
  }
  return {
    port,
    token,
    // Copied now, so later changes to the caller's object change nothing.
    data: options.data === undefined ? undefined : upgradeSandboxData(structuredClone(options.data)),
    stateFile: options.stateFile,
    rateLimitPerMinute,
    latencyMs,
    faults: options.faults ?? [],
    seed: options.seed ?? 1,
    now: options.now ?? Date.now,
    onResponse: options.onResponse,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    defaultVersion,
  };
}
