import {
  type BackendDeps,
  type BackendRequest,
  CLI_SETTING_NAMES,
  type ConfigLocation,
  type EmbeddedSandbox,
  envTokenSource,
  fileTokenSource,
} from "@intercom-kit/domain";

/** What the back-end flags say, as the domain's request (the domain checks every value). */
export interface BackendFlags {
  sandbox?: boolean;
  baseUrl?: string;
  region?: string;
  apiVersion?: string;
  /** `--timeout <seconds>`, as typed. */
  timeout?: string;
}

export function backendRequest(flags: BackendFlags): BackendRequest {
  return {
    ...(flags.sandbox ? { sandbox: true } : {}),
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.region !== undefined ? { region: flags.region } : {}),
    ...(flags.apiVersion !== undefined ? { apiVersion: flags.apiVersion } : {}),
    // Text that is not a number becomes NaN, which the domain refuses naming --timeout.
    ...(flags.timeout !== undefined ? { timeoutMs: Number(flags.timeout.trim() || Number.NaN) * 1000 } : {}),
  };
}

/** The terminal's token sources, in order: the environment, then the file `intercom-kit login` wrote. */
export function cliBackendDeps(
  env: Readonly<Record<string, string | undefined>>,
  config: ConfigLocation,
  startSandbox: () => Promise<EmbeddedSandbox>,
): BackendDeps {
  return {
    tokenSources: [envTokenSource(env), fileTokenSource(config)],
    startSandbox,
    names: CLI_SETTING_NAMES,
  };
}
