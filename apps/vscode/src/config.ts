/**
 * The settings as the domain's back-end request. No rule lives here: the version, the region, the base URL and the
 * timeout are checked by `chooseBackend` (one version rule and one region table for every frontend), which names the
 * settings as below. No `vscode` here: extension.ts reads the values and passes them in.
 */
import type { BackendRequest, SettingNames } from "@intercom-kit/domain";

export const SETTINGS_SECTION = "intercomKit";
/** The SecretStorage key of the access token (the only place the extension keeps it). */
export const TOKEN_SECRET_KEY = "intercomKit.accessToken";
export const TOKEN_SOURCE_LABEL = "VS Code's secret storage";

/** The raw setting values, as `getConfiguration` returns them (a settings.json may hold anything). */
export interface ExtensionSettings {
  region?: unknown;
  apiVersion?: unknown;
  baseUrl?: unknown;
  timeoutSeconds?: unknown;
}

/** How the person knows each setting, for the domain's messages ("the intercomKit.region setting must be …"). */
export const SETTING_NAMES: SettingNames = {
  sandbox: "Intercom: Start Sandbox",
  region: "the intercomKit.region setting",
  baseUrl: "the intercomKit.baseUrl setting",
  apiVersion: "the intercomKit.apiVersion setting",
  timeout: "the intercomKit.timeoutSeconds setting",
  setToken: "run Intercom: Set Access Token",
};

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The request for `chooseBackend`. While the in-host sandbox runs, it is the back end (region and base URL do not
 * apply to it); otherwise the region and base URL settings, with the token from secret storage.
 */
export function backendRequest(settings: ExtensionSettings, options: { sandbox: boolean }): BackendRequest {
  const request: BackendRequest = {};
  const apiVersion = text(settings.apiVersion);
  if (apiVersion !== undefined) request.apiVersion = apiVersion;
  if (settings.timeoutSeconds !== undefined && settings.timeoutSeconds !== null) {
    const seconds = typeof settings.timeoutSeconds === "number" ? settings.timeoutSeconds : Number.NaN;
    request.timeoutMs = seconds * 1000;
  }
  if (options.sandbox) return { ...request, sandbox: true };
  const region = text(settings.region);
  if (region !== undefined) request.region = region;
  const baseUrl = text(settings.baseUrl);
  if (baseUrl !== undefined && baseUrl.trim() !== "") request.baseUrl = baseUrl;
  return request;
}
