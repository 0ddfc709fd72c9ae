import { parseArgs } from "node:util";
import type { BackendRequest, SettingNames } from "@intercom-kit/domain";

/** How long a plan can be applied after it was made, unless `--plan-ttl` says otherwise. */
export const DEFAULT_PLAN_TTL_MS = 15 * 60_000;

/** The names this server's person knows each setting by (the flags, and where the token goes). */
export const MCP_SETTING_NAMES: SettingNames = {
  sandbox: "--sandbox",
  region: "--region",
  baseUrl: "--base-url",
  apiVersion: "--api-version",
  timeout: "--timeout",
  setToken:
    "set INTERCOM_ACCESS_TOKEN in the server's environment (the \"env\" of its entry in your MCP client's configuration), or run `intercom-kit login`",
};

export const USAGE = `Usage: intercom-kit-mcp [options]

An MCP server (stdio) that finds an Intercom user, plans an update (writing nothing) and applies exactly that plan.
Start it from an MCP client: {"mcpServers": {"intercom-kit": {"command": "intercom-kit-mcp"}}}

Options:
  --region <us|eu|au>     Intercom's region (default: the login file's, else us)
  --base-url <url>        another Intercom-compatible server (https, or http on 127.0.0.1/localhost)
  --api-version <v>       the Intercom-Version header (default 2.15)
  --timeout <seconds>     per-attempt timeout of each call to Intercom
  --sandbox               use the embedded sandbox even when a token is configured
  --plan-ttl <seconds>    how long a plan can be applied after it was made (default 900)
  -h, --help              show this help
  -V, --version           show the version

Access token: INTERCOM_ACCESS_TOKEN, else the file \`intercom-kit login\` writes
(\${XDG_CONFIG_HOME:-~/.config}/intercom-kit/config.json). Never a flag. With no token at all the embedded
sandbox is used (in memory; every tool result says so).
Logs go to stderr; stdout carries only the protocol.`;

export type ParsedArgs =
  | { ok: true; action: "help" }
  | { ok: true; action: "version" }
  | { ok: true; action: "serve"; request: BackendRequest; planTtlMs: number }
  | { ok: false; message: string };

function seconds(flag: string, text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0)
    return `${flag} must be a positive number of seconds, not "${text}"`;
  return n;
}

/** Reads argv (without node and the script). Never throws: a bad flag is a message, for stderr and exit 2. */
export function parseServerArgs(argv: readonly string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        region: { type: "string" },
        "base-url": { type: "string" },
        "api-version": { type: "string" },
        timeout: { type: "string" },
        sandbox: { type: "boolean" },
        "plan-ttl": { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    }));
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { ok: true, action: "help" };
  if (values.version) return { ok: true, action: "version" };
  const timeout = seconds("--timeout", values.timeout as string | undefined);
  if (typeof timeout === "string") return { ok: false, message: timeout };
  const ttl = seconds("--plan-ttl", values["plan-ttl"] as string | undefined);
  if (typeof ttl === "string") return { ok: false, message: ttl };
  const request: BackendRequest = {};
  if (values.sandbox) request.sandbox = true;
  if (values.region !== undefined) request.region = values.region as string;
  if (values["base-url"] !== undefined) request.baseUrl = values["base-url"] as string;
  if (values["api-version"] !== undefined) request.apiVersion = values["api-version"] as string;
  if (timeout !== undefined) request.timeoutMs = Math.round(timeout * 1000);
  return {
    ok: true,
    action: "serve",
    request,
    planTtlMs: ttl === undefined ? DEFAULT_PLAN_TTL_MS : Math.ceil(ttl * 1000),
  };
}
