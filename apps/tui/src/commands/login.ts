import {
  CLI_SETTING_NAMES,
  chooseBackend,
  DEFAULT_API_VERSION,
  isRegion,
  REGIONS,
  regionLabel,
  removeToken,
  type StoredConfig,
  type UpdateUserError,
  writeConfig,
} from "@intercom-kit/domain";
import { type Command, Option } from "commander";
import { EXIT } from "../services/exit-codes.js";
import { readTokenFromStream, verifyToken } from "../services/login.js";
import { reportError } from "../services/update-run.js";
import type { CliDeps, CliIo } from "./context.js";

interface LoginFlags {
  region?: string;
  baseUrl?: string;
  apiVersion?: string;
}

function invalid(message: string, hint: string): UpdateUserError {
  return { kind: "invalid_input", message, hint, requestId: null };
}

export async function runLogin(flags: LoginFlags, io: CliIo, deps: CliDeps, signal: AbortSignal): Promise<number> {
  let token: string;
  if (io.isTTY) {
    // The target shown while typing; the domain checks the flags (and the token) below.
    const region = flags.region ?? (REGIONS[0]?.id as string);
    const target = flags.baseUrl ? `Custom server ${flags.baseUrl}` : isRegion(region) ? regionLabel(region) : region;
    const answer = await deps.promptToken(target);
    if ("cancelled" in answer) {
      io.stderr.write("Login cancelled; nothing was saved.\n");
      return answer.cancelled === "interrupt" ? EXIT.interrupted : EXIT.other;
    }
    token = answer.token;
  } else {
    token = await readTokenFromStream(io.stdin);
  }
  if (token.trim() === "") {
    return reportError(
      invalid(
        "No access token was given",
        'In a terminal, run `intercom-kit login` and paste it; otherwise pipe it: printf %s "$TOKEN" | intercom-kit login',
      ),
      false,
      io,
    );
  }
  // The domain's back-end choice checks the region, base URL, API version and the token's shape, as for every run.
  const chosen = await chooseBackend(
    {
      ...(flags.region !== undefined ? { region: flags.region } : {}),
      ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
      ...(flags.apiVersion !== undefined ? { apiVersion: flags.apiVersion } : {}),
    },
    {
      tokenSources: [{ label: io.isTTY ? "the prompt" : "standard input", read: () => ({ token }) }],
      startSandbox: () => Promise.reject(new Error("login never uses the sandbox")),
      names: CLI_SETTING_NAMES,
    },
  );
  if (!chosen.ok) return reportError(chosen.error, false, io);
  const started = await chosen.choice.start();
  if (!started.ok) return reportError(started.error, false, io);
  const { info } = started.backend;
  io.stderr.write(`Checking the token against ${info.label}…\n`);
  const verified = await verifyToken(started.backend.createClient({ maxRetries: 1 }), signal);
  if (!verified.ok) return reportError(verified.error, false, io);
  const config: StoredConfig = {
    token: token.trim(),
    ...(flags.region !== undefined && info.kind === "intercom"
      ? { region: flags.region as StoredConfig["region"] }
      : {}),
    ...(info.kind === "custom" ? { baseUrl: info.baseUrl } : {}),
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
    .addOption(
      new Option("--region <region>", "region of your workspace (default us)").choices(REGIONS.map((r) => r.id)),
    )
    .addOption(new Option("--base-url <url>", "check the token against this server (https://, or http:// on loopback)"))
    .addOption(new Option("--api-version <version>", `Intercom-Version for the check (default ${DEFAULT_API_VERSION})`))
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
