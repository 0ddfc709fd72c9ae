/** Settings to client options, checked (no `vscode` here: extension.ts reads the values and passes them in). */
import { checkBaseUrl, DEFAULT_API_VERSION, type Region } from "@intercom-kit/domain";

export const SETTINGS_SECTION = "intercomKit";
/** The SecretStorage key of the access token (the only place the extension keeps it). */
export const TOKEN_SECRET_KEY = "intercomKit.accessToken";

export interface ExtensionSettings {
  region?: unknown;
  apiVersion?: unknown;
  baseUrl?: unknown;
}

export interface Connection {
  region: Region;
  version: string;
  /** Set only when the baseUrl setting is. */
  baseUrl?: string;
}

export type ConnectionResult = { ok: true; connection: Connection } | { ok: false; message: string };

const REGIONS: readonly Region[] = ["us", "eu", "au"];
const VERSION = /^(?:\d+\.\d+|Unstable|Preview)$/;

/** Reads the three settings; a bad value is an error naming the setting, never a silent default. */
export function resolveConnection(settings: ExtensionSettings): ConnectionResult {
  const region = settings.region ?? "us";
  if (typeof region !== "string" || !REGIONS.includes(region as Region)) {
    return {
      ok: false,
      message: `Setting ${SETTINGS_SECTION}.region must be one of us, eu, au (got ${JSON.stringify(region)}).`,
    };
  }
  const rawVersion = settings.apiVersion ?? DEFAULT_API_VERSION;
  const version = typeof rawVersion === "string" ? rawVersion.trim() : "";
  if (!VERSION.test(version)) {
    return {
      ok: false,
      message: `Setting ${SETTINGS_SECTION}.apiVersion must be an Intercom API version such as ${DEFAULT_API_VERSION} (got ${JSON.stringify(rawVersion)}).`,
    };
  }
  const connection: Connection = { region: region as Region, version };
  const rawBase = settings.baseUrl ?? "";
  if (typeof rawBase !== "string") {
    return { ok: false, message: `Setting ${SETTINGS_SECTION}.baseUrl must be text (a URL).` };
  }
  if (rawBase.trim() !== "") {
    const checked = checkBaseUrl(rawBase);
    if (!checked.ok) return { ok: false, message: `Setting ${SETTINGS_SECTION}.baseUrl: ${checked.message}` };
    connection.baseUrl = checked.url;
  }
  return { ok: true, connection };
}
