import {
  checkBaseUrl,
  createIntercomClient,
  type IntercomClient,
  REGION_BASE_URLS,
  type UpdateUserError,
} from "@intercom-kit/domain";
import { type BackendInfo, SANDBOX_LABEL } from "./backend-info.js";
import { type ConfigLocation, readConfig } from "./token-store.js";

export type Region = keyof typeof REGION_BASE_URLS;
export const REGIONS = Object.keys(REGION_BASE_URLS) as Region[];
export const DEFAULT_API_VERSION = "2.15";

/** What the person asked for on the command line (all optional). */
export interface BackendRequest {
  sandbox?: boolean;
  baseUrl?: string;
  region?: string;
  apiVersion?: string;
}

/** A running embedded sandbox, as far as the CLI needs it. */
export interface EmbeddedSandbox {
  url: string;
  token: string;
  close(): Promise<void>;
}

export interface BackendDeps {
  env: NodeJS.ProcessEnv;
  config: ConfigLocation;
  startSandbox: () => Promise<EmbeddedSandbox>;
}

/** Extra client settings a caller may need (bulk runs tune retries); never the token or host. */
export interface ClientOverrides {
  maxRetries?: number;
  timeoutMs?: number;
  onEvent?: Parameters<typeof createIntercomClient>[0]["onEvent"];
}

export interface Backend {
  info: BackendInfo;
  /** Builds a client for this back end; the token stays inside this closure. */
  createClient: (overrides?: ClientOverrides) => IntercomClient;
  /** Warnings worth printing (e.g. a config file others can read). */
  warnings: string[];
  /** Stops the embedded sandbox, when one was started. */
  close: () => Promise<void>;
}

export type BackendResult = { ok: true; backend: Backend } | { ok: false; error: UpdateUserError };

/** The back end picked but not yet started: the UI can draw its banner while the embedded sandbox starts. */
export interface BackendChoice {
  /** For the sandbox, `baseUrl` is empty until it listens. */
  info: BackendInfo;
  warnings: string[];
  start: () => Promise<BackendResult>;
}

export type BackendChoiceResult = { ok: true; choice: BackendChoice } | { ok: false; error: UpdateUserError };

function failure(kind: UpdateUserError["kind"], message: string, hint: string): { ok: false; error: UpdateUserError } {
  return { ok: false, error: { kind, message, hint, requestId: null } };
}

export function regionLabel(region: Region): string {
  return `Intercom ${region.toUpperCase()} (${REGION_BASE_URLS[region]})`;
}

/** Picks the back end and starts it (the embedded sandbox, when that is the choice). */
export async function selectBackend(request: BackendRequest, deps: BackendDeps): Promise<BackendResult> {
  const chosen = await chooseBackend(request, deps);
  return chosen.ok ? chosen.choice.start() : chosen;
}

/**
 * Picks the back end: `--sandbox`, or no token anywhere -> the embedded sandbox; otherwise Intercom (region or
 * `--base-url`) with the token from INTERCOM_ACCESS_TOKEN, else from the config file written by `login`.
 * Starts nothing: every check that can fail without starting a server fails here.
 */
export async function chooseBackend(request: BackendRequest, deps: BackendDeps): Promise<BackendChoiceResult> {
  const apiVersion = request.apiVersion?.trim() || DEFAULT_API_VERSION;
  if (!/^\d+\.\d+$/.test(apiVersion) && apiVersion !== "Unstable") {
    return failure(
      "invalid_input",
      `--api-version "${apiVersion}" is not a version such as 2.15`,
      "Use e.g. --api-version 2.15",
    );
  }
  if (request.region !== undefined && !REGIONS.includes(request.region as Region)) {
    return failure(
      "invalid_input",
      `--region must be one of ${REGIONS.join(", ")}, not "${request.region}"`,
      "Use --region us, eu or au",
    );
  }
  if (request.sandbox && (request.baseUrl !== undefined || request.region !== undefined)) {
    return failure(
      "invalid_input",
      "--sandbox cannot be combined with --base-url or --region",
      "Drop --sandbox to talk to Intercom, or drop --base-url/--region to use the embedded sandbox",
    );
  }

  const envToken = deps.env.INTERCOM_ACCESS_TOKEN?.trim();
  let token = envToken && envToken !== "" ? envToken : undefined;
  const warnings: string[] = [];
  let configRegion: Region | undefined;
  let configBaseUrl: string | undefined;
  if (!token && !request.sandbox) {
    const stored = await readConfig(deps.config);
    if (!stored.ok) return failure("unauthorized", stored.message, stored.hint);
    if (stored.warning) warnings.push(stored.warning);
    token = stored.config.token;
    // Where a stored token is valid was stored with it; flags still win.
    configRegion = stored.config.region;
    configBaseUrl = stored.config.baseUrl;
  }

  if (request.sandbox || !token) {
    if (!request.sandbox && (request.baseUrl !== undefined || request.region !== undefined)) {
      return failure(
        "unauthorized",
        `${request.baseUrl !== undefined ? "--base-url" : "--region"} needs an access token, and none is configured`,
        "Set INTERCOM_ACCESS_TOKEN or run `intercom-kit login`; without a token the embedded sandbox is used",
      );
    }
    const info: BackendInfo = { kind: "sandbox", label: SANDBOX_LABEL, baseUrl: "", apiVersion };
    const start = async (): Promise<BackendResult> => {
      let sandbox: EmbeddedSandbox;
      try {
        sandbox = await deps.startSandbox();
      } catch (error) {
        return failure(
          "network",
          `Could not start the embedded sandbox: ${error instanceof Error ? error.message : String(error)}`,
          "Check that this machine allows listening on 127.0.0.1",
        );
      }
      return {
        ok: true,
        backend: {
          info: { ...info, baseUrl: sandbox.url },
          warnings,
          createClient: (overrides = {}) =>
            createIntercomClient({ ...overrides, token: sandbox.token, baseUrl: sandbox.url, version: apiVersion }),
          close: () => sandbox.close(),
        },
      };
    };
    return { ok: true, choice: { info, warnings, start } };
  }

  const baseUrlText = request.baseUrl ?? (request.region === undefined ? configBaseUrl : undefined);
  let info: BackendInfo;
  if (baseUrlText !== undefined) {
    const checked = checkBaseUrl(baseUrlText);
    if (!checked.ok) {
      return failure("invalid_input", checked.message, "Use https://, or http:// only for 127.0.0.1 or localhost");
    }
    info = { kind: "custom", label: `Custom server ${checked.url}`, baseUrl: checked.url, apiVersion };
  } else {
    const region = (request.region as Region | undefined) ?? configRegion ?? "us";
    info = { kind: "intercom", label: regionLabel(region), baseUrl: REGION_BASE_URLS[region], apiVersion };
  }
  const secret = token;
  const backend: Backend = {
    info,
    warnings,
    createClient: (overrides = {}) =>
      createIntercomClient({ ...overrides, token: secret, baseUrl: info.baseUrl, version: apiVersion }),
    close: async () => {},
  };
  return { ok: true, choice: { info, warnings, start: async () => ({ ok: true, backend }) } };
}
