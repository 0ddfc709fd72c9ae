/**
 * Choosing the back end, once for every frontend: the embedded sandbox when asked for or when no token exists
 * anywhere, otherwise Intercom (a region, or a base URL) with the first token a source has. Frontends hand in their
 * token sources (environment, login file, VS Code's secret storage), how to start the sandbox, and the names their
 * person knows the settings by (`--region` in a terminal, `intercomKit.region` in VS Code).
 */
import {
  checkApiVersion,
  checkBaseUrl,
  createIntercomClient,
  DEFAULT_API_VERSION,
  type IntercomClient,
  type IntercomClientOptions,
  isRegion,
  REGIONS,
  type Region,
} from "@intercom-kit/core";
import type { UpdateUserError } from "./types.js";

/** What the person asked for (all optional). */
export interface BackendRequest {
  sandbox?: boolean;
  baseUrl?: string;
  region?: string;
  apiVersion?: string;
  /** Per-attempt timeout in ms. */
  timeoutMs?: number;
}

/** What one place holding a token answers: a token (and where it is valid), nothing, or why it could not be read. */
export type TokenSourceResult =
  | { token?: string; region?: Region; baseUrl?: string; warning?: string }
  | { error: { message: string; hint: string } };

export interface TokenSource {
  /** Where the token comes from, for the banner, e.g. "INTERCOM_ACCESS_TOKEN" or "VS Code's secret storage". */
  label: string;
  read: () => Promise<TokenSourceResult> | TokenSourceResult;
}

/** A running embedded sandbox, as far as a frontend needs it. */
export interface EmbeddedSandbox {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** How the frontend's person names each setting, for messages ("--region" or "the intercomKit.region setting"). */
export interface SettingNames {
  sandbox: string;
  region: string;
  baseUrl: string;
  apiVersion: string;
  timeout: string;
  /** How to store a token, e.g. "run `intercom-kit login`" or "run Intercom: Set Access Token". */
  setToken: string;
}

export const CLI_SETTING_NAMES: SettingNames = {
  sandbox: "--sandbox",
  region: "--region",
  baseUrl: "--base-url",
  apiVersion: "--api-version",
  timeout: "--timeout",
  setToken: "set INTERCOM_ACCESS_TOKEN or run `intercom-kit login`",
};

export interface BackendDeps {
  tokenSources: readonly TokenSource[];
  startSandbox: () => Promise<EmbeddedSandbox>;
  names?: SettingNames;
}

/** Which back end a run talks to; shown in banners so nobody mistakes the sandbox for production. */
export interface BackendInfo {
  kind: "sandbox" | "intercom" | "custom";
  /** One line, e.g. "Embedded sandbox (in memory: changes are gone when it stops)" or "Intercom EU (https://...)". */
  label: string;
  /** Empty for the sandbox until it listens. */
  baseUrl: string;
  apiVersion: string;
  /** Where the token came from (never the token). */
  tokenSource: string | null;
}

export const SANDBOX_LABEL = "Embedded sandbox (in memory: changes are gone when it stops)";

/** Client settings a frontend may add (progress events, retry tuning); never the token or the host. */
export type ClientOverrides = Pick<
  IntercomClientOptions,
  "maxRetries" | "timeoutMs" | "onEvent" | "maxRateLimitWaitMs"
>;

export interface Backend {
  info: BackendInfo;
  /** Builds a client for this back end; the token stays inside this closure. */
  createClient: (overrides?: ClientOverrides) => IntercomClient;
  warnings: string[];
  /** Stops the embedded sandbox, when one was started. */
  close: () => Promise<void>;
}

export type BackendResult = { ok: true; backend: Backend } | { ok: false; error: UpdateUserError };

/** The back end picked but not yet started: a UI can draw its banner while the embedded sandbox starts. */
export interface BackendChoice {
  info: BackendInfo;
  warnings: string[];
  start: () => Promise<BackendResult>;
}

export type BackendChoiceResult = { ok: true; choice: BackendChoice } | { ok: false; error: UpdateUserError };

function failure(kind: UpdateUserError["kind"], message: string, hint: string): { ok: false; error: UpdateUserError } {
  return { ok: false, error: { kind, message, hint, requestId: null } };
}

/** "Intercom EU (https://api.eu.intercom.io)". */
export function regionLabel(region: Region): string {
  const r = REGIONS.find((x) => x.id === region);
  return `Intercom ${region.toUpperCase()} (${r?.baseUrl ?? region})`;
}

/** Picks the back end and starts it (the embedded sandbox, when that is the choice). */
export async function selectBackend(request: BackendRequest, deps: BackendDeps): Promise<BackendResult> {
  const chosen = await chooseBackend(request, deps);
  return chosen.ok ? chosen.choice.start() : chosen;
}

/**
 * Picks the back end without starting anything, so every check that can fail without a server fails here: the API
 * version, the region, the base URL rule (https, or http on loopback only), the timeout, and the token sources in
 * order (the first with a token wins; one that cannot be read is an error, never skipped silently).
 */
export async function chooseBackend(request: BackendRequest, deps: BackendDeps): Promise<BackendChoiceResult> {
  const names = deps.names ?? CLI_SETTING_NAMES;
  const version = checkApiVersion(request.apiVersion?.trim() || DEFAULT_API_VERSION);
  if (!version.ok)
    return failure(
      "invalid_input",
      `${names.apiVersion}: ${version.message}`,
      `Use e.g. ${names.apiVersion} ${DEFAULT_API_VERSION}`,
    );
  const apiVersion = version.version;
  if (request.region !== undefined && !isRegion(request.region)) {
    const ids = REGIONS.map((r) => r.id);
    return failure(
      "invalid_input",
      `${names.region} must be one of ${ids.join(", ")}, not "${request.region}"`,
      `Use ${names.region} ${ids.join(", ")}`,
    );
  }
  if (request.timeoutMs !== undefined && (!Number.isFinite(request.timeoutMs) || request.timeoutMs < 1)) {
    return failure(
      "invalid_input",
      `${names.timeout} must be a positive number of seconds`,
      `Use e.g. ${names.timeout} 30`,
    );
  }
  if (request.sandbox && (request.baseUrl !== undefined || request.region !== undefined)) {
    return failure(
      "invalid_input",
      `${names.sandbox} cannot be combined with ${names.baseUrl} or ${names.region}`,
      `Drop ${names.sandbox} to talk to Intercom, or drop ${names.baseUrl}/${names.region} to use the embedded sandbox`,
    );
  }
  const timeout = request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {};

  const warnings: string[] = [];
  let token: string | undefined;
  let tokenSource: string | null = null;
  let storedRegion: Region | undefined;
  let storedBaseUrl: string | undefined;
  if (!request.sandbox) {
    for (const source of deps.tokenSources) {
      const read = await source.read();
      if ("error" in read) return failure("unauthorized", read.error.message, read.error.hint);
      if (read.warning) warnings.push(read.warning);
      const t = read.token?.trim();
      if (!t) continue;
      if (/\s/.test(t)) {
        return failure(
          "unauthorized",
          `The access token from ${source.label} contains a space or a line break, so it cannot be a token`,
          `Copy the access token again (from Intercom's Developer Hub) and ${names.setToken}`,
        );
      }
      token = t;
      tokenSource = source.label;
      storedRegion = read.region;
      storedBaseUrl = read.baseUrl;
      break;
    }
  }

  if (request.sandbox || !token) {
    if (!request.sandbox && (request.baseUrl !== undefined || request.region !== undefined)) {
      return failure(
        "unauthorized",
        `${request.baseUrl !== undefined ? names.baseUrl : names.region} needs an access token, and none is configured`,
        `To talk to Intercom, ${names.setToken}; without a token the embedded sandbox is used`,
      );
    }
    const info: BackendInfo = { kind: "sandbox", label: SANDBOX_LABEL, baseUrl: "", apiVersion, tokenSource: null };
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
            createIntercomClient({
              ...timeout,
              ...overrides,
              token: sandbox.token,
              baseUrl: sandbox.url,
              version: apiVersion,
            }),
          close: () => sandbox.close(),
        },
      };
    };
    return { ok: true, choice: { info, warnings, start } };
  }

  // Flags win over what was stored with the token.
  const baseUrlText = request.baseUrl ?? (request.region === undefined ? storedBaseUrl : undefined);
  let info: BackendInfo;
  if (baseUrlText !== undefined) {
    const checked = checkBaseUrl(baseUrlText);
    if (!checked.ok)
      return failure(
        "invalid_input",
        `${names.baseUrl}: ${checked.message}`,
        "Use https://, or http:// only for 127.0.0.1 or localhost",
      );
    info = { kind: "custom", label: `Custom server ${checked.url}`, baseUrl: checked.url, apiVersion, tokenSource };
  } else {
    const region = (request.region as Region | undefined) ?? storedRegion ?? "us";
    const r = REGIONS.find((x) => x.id === region);
    info = { kind: "intercom", label: regionLabel(region), baseUrl: r?.baseUrl ?? "", apiVersion, tokenSource };
  }
  const secret = token;
  const backend: Backend = {
    info,
    warnings,
    createClient: (overrides = {}) =>
      createIntercomClient({ ...timeout, ...overrides, token: secret, baseUrl: info.baseUrl, version: apiVersion }),
    close: async () => {},
  };
  return { ok: true, choice: { info, warnings, start: async () => ({ ok: true, backend }) } };
}
