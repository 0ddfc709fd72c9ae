import { checkBaseUrl, createIntercomClient, type UpdateUserError } from "@intercom-kit/domain";
import { type Command, Option } from "commander";
import { DEFAULT_API_VERSION, REGIONS, type Region, regionLabel } from "../services/backend.js";
import { EXIT } from "../services/exit-codes.js";
import { readTokenFromStream, verifyToken } from "../services/login.js";
import { removeToken, type StoredConfig, writeConfig } from "../services/token-store.js";
import { reportError } from "../services/update-run.js";
import type { CliDeps, CliIo } from "./context.js";

interface LoginFlags {
  region?: Region;
  baseUrl?: string;
  apiVersion?: string;
}

function invalid(message: string, hint: string): UpdateUserError {
  return { kind: "invalid_input", message, hint, requestId: null };
}

export async function runLogin(flags: LoginFlags, io: CliIo, deps: CliDeps, signal: AbortSignal): Promise<number> {
  let baseUrl: string | undefined;
  if (flags.baseUrl !== undefined) {
    const checked = checkBaseUrl(flags.baseUrl);
    if (!checked.ok)
      return reportError(invalid(checked.message, "Use https://, or http:// only for 127.0.0.1"), false, io);
    baseUrl = checked.url;
  }
  const label = baseUrl ? `Custom server ${baseUrl}` : regionLabel(flags.region ?? "us");
  let token: string | null;
  if (io.isTTY) {
    token = await deps.promptToken(label);
    if (token === null) {
      io.stderr.write("Login cancelled; nothing was saved.\n");
      return EXIT.other;
    }
  } else {
    token = await readTokenFromStream(io.stdin);
  }
  token = token.trim();
  if (token === "") {
    return reportError(
      invalid(
        "No access token was given",
        'In a terminal, run `intercom-kit login` and paste it; otherwise pipe it: printf %s "$TOKEN" | intercom-kit login',
      ),
      false,
      io,
    );
  }
  if (/\s/.test(token)) {
    return reportError(invalid("The access token contains spaces", "Paste only the token itself"), false, io);
  }
  const client = createIntercomClient({
    token,
    ...(baseUrl ? { baseUrl } : { region: flags.region ?? "us" }),
    version: flags.apiVersion ?? DEFAULT_API_VERSION,
    maxRetries: 1,
  });
  io.stderr.write(`Checking the token against ${label}…\n`);
  const verified = await verifyToken(client, signal);
  if (!verified.ok) return reportError(verified.error, false, io);
  const config: StoredConfig = {
    token,
    ...(flags.region ? { region: flags.region } : {}),
    ...(baseUrl ? { baseUrl } : {}),
  };
  await writeConfig(deps.config, config);
  io.stderr.write(
    `Logged in: the token works and is saved in ${deps.config.file} (readable only by you). It is used whenever INTERCOM_ACCESS_TOKEN is not set; \`intercom-kit logout\` removes it.\n`,
  );
  return EXIT.ok;
}

export async function runLogout(io: CliIo, deps: CliDeps): Promise<number> {
  const had = await removeToken(deps.config);
  io.stderr.write(had ? `Logged out: removed ${deps.config.file}.\n` : "No saved token; nothing to remove.\n");
  if (io.env.INTERCOM_ACCESS_TOKEN) {
    io.stderr.write("Note: INTERCOM_ACCESS_TOKEN is still set in your environment and will be used.\n");
  }
  return EXIT.ok;
}

export function registerLoginCommands(
  program: Command,
  io: CliIo,
  deps: CliDeps,
  signal: AbortSignal,
  setCode: (code: number) => void,
): void {
  program
    .command("login")
    .description(
      "Save an Intercom access token for later runs: asked with masked input in a terminal, or read from stdin when piped (never from the command line). Checked with one read-only search call, then stored with mode 0600.",
    )
    .addOption(new Option("--region <region>", "region of your workspace (default us)").choices(REGIONS))
    .addOption(new Option("--base-url <url>", "check the token against this server (https://, or http:// on loopback)"))
    .addOption(new Option("--api-version <version>", "Intercom-Version for the check (default 2.15)"))
    .action(async (flags: LoginFlags) => {
      setCode(await runLogin(flags, io, deps, signal));
    });
  program
    .command("logout")
    .description("Delete the saved token (the config file).")
    .action(async () => {
      setCode(await runLogout(io, deps));
    });
}
