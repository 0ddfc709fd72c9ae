/** Which back end a run talks to; shown in the banner so nobody mistakes the sandbox for production. */
export interface BackendInfo {
  kind: "sandbox" | "intercom" | "custom";
  /** One line for banners, e.g. "Sandbox (changes stay on this machine)" or "Intercom EU (https://api.eu.intercom.io)". */
  label: string;
  baseUrl: string;
  apiVersion: string;
}

export const SANDBOX_LABEL = "Sandbox (changes stay on this machine)";
