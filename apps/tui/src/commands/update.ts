import { type FieldError, type UpdateUserError, validateUpdateUserInput } from "@intercom-kit/domain";
import { type Command, Option } from "commander";
import type { BulkOptions } from "../bulk-options.js";
import { type BackendRequest, chooseBackend, REGIONS, selectBackend } from "../services/backend.js";
import { loadBulkCommand } from "../services/bulk-loader.js";
import { EXIT } from "../services/exit-codes.js";
import { reportError, runUpdate } from "../services/update-run.js";
import { ClientUnavailableError, createUserAction } from "../services/user-action.js";
import type { CliDeps, CliIo } from "./context.js";
import { addFieldOptions, flagOf, optionsToRawInput } from "./field-options.js";

/** Options every command that talks to Intercom shares. */
export function addBackendOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--region <region>",
        "Intercom region of your workspace (default us, or the one saved by login)",
      ).choices(REGIONS),
    )
    .addOption(new Option("--api-version <version>", "Intercom-Version header to send (default 2.15)"))
    .addOption(
      new Option(
        "--base-url <url>",
        "send requests to this server instead (https://, or http:// on 127.0.0.1/localhost only); needs a token",
      ),
    )
    .addOption(
      new Option("--sandbox", "use the embedded sandbox even when a token is configured (changes stay local)"),
    );
}

export interface UpdateFlags extends Record<string, unknown> {
  dryRun?: boolean;
  json?: boolean;
  yes?: boolean;
  region?: string;
  apiVersion?: string;
  baseUrl?: string;
  sandbox?: boolean;
  from?: string;
  skipInvalid?: boolean;
  concurrency?: string;
  journal?: string;
  resume?: boolean;
  renderOnce?: boolean;
}

function invalid(message: string, hint: string, fieldErrors?: FieldError[]): UpdateUserError {
  return { kind: "invalid_input", message, hint, requestId: null, ...(fieldErrors ? { fieldErrors } : {}) };
}

/** Flags a non-interactive run cannot do without, named so the person (or script) can add them. */
export function missingFlags(
  deps: Pick<CliDeps, "fields">,
  given: Record<string, unknown>,
  flags: UpdateFlags,
  canPrompt: boolean,
): string[] {
  const identify = deps.fields.filter((f) => f.group === "identify");
  const changes = deps.fields.filter((f) => f.group !== "identify");
  const missing: string[] = [];
  if (!identify.some((f) => given[f.key] !== undefined)) {
    missing.push(`one of ${identify.map((f) => `--${f.flag}`).join(", ")} (which user to update)`);
  }
  if (!changes.some((f) => given[f.key] !== undefined)) {
    missing.push(`at least one of ${changes.map((f) => `--${f.flag}`).join(", ")} (what to change)`);
  }
  if (!flags.yes && !flags.dryRun && !canPrompt) {
    missing.push(
      "--yes to apply without a confirmation prompt (none is shown without a terminal or with --json), or --dry-run",
    );
  }
  return missing;
}

function backendRequest(flags: UpdateFlags): BackendRequest {
  return {
    ...(flags.sandbox ? { sandbox: true } : {}),
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.region !== undefined ? { region: flags.region } : {}),
    ...(flags.apiVersion !== undefined ? { apiVersion: flags.apiVersion } : {}),
  };
}

async function startBackend(flags: UpdateFlags, io: CliIo, deps: CliDeps, announce: boolean) {
  const selected = await selectBackend(backendRequest(flags), {
    env: io.env,
    config: deps.config,
    startSandbox: deps.startSandbox,
  });
  if (selected.ok) {
    for (const w of selected.backend.warnings) io.stderr.write(`Warning: ${w}\n`);
    if (announce && selected.backend.info.kind === "sandbox") {
      io.stderr.write(
        flags.sandbox
          ? "Using the embedded sandbox (changes stay on this machine).\n"
          : "Using the embedded sandbox (changes stay on this machine): no access token is configured. Set INTERCOM_ACCESS_TOKEN or run `intercom-kit login` to update real users.\n",
      );
    }
  }
  return selected;
}

function parseConcurrency(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const n = Number(text);
  return /^\d+$/.test(text.trim()) && Number.isSafeInteger(n) && n >= 1 && n <= 64 ? n : null;
}

async function runBulk(flags: UpdateFlags, io: CliIo, deps: CliDeps, signal: AbortSignal): Promise<number> {
  const json = Boolean(flags.json);
  const run = await loadBulkCommand();
  if (!run) {
    io.stderr.write("intercom-kit update --from: bulk updates are not available yet in this build.\n");
    return EXIT.other;
  }
  const concurrency = parseConcurrency(flags.concurrency);
  if (concurrency === null) {
    return reportError(
      invalid(`--concurrency must be a whole number from 1 to 64, not "${flags.concurrency}"`, "e.g. --concurrency 4"),
      json,
      io,
    );
  }
  if (!io.isTTY && !flags.yes && !flags.dryRun) {
    return reportError(
      invalid(
        "Missing flag: --yes to apply without a confirmation prompt (there is no terminal to ask in), or --dry-run",
        "Add --yes (or --dry-run to check the file first)",
      ),
      json,
      io,
    );
  }
  const selected = await startBackend(flags, io, deps, true);
  if (!selected.ok) return reportError(selected.error, json, io);
  const backend = selected.backend;
  try {
    const options: BulkOptions = {
      from: flags.from as string,
      skipInvalid: Boolean(flags.skipInvalid),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(flags.journal !== undefined ? { journal: flags.journal } : {}),
      resume: Boolean(flags.resume),
      dryRun: Boolean(flags.dryRun),
      json,
      yes: Boolean(flags.yes),
      createClient: backend.createClient,
      backend: backend.info,
      signal,
    };
    return await run(options, {
      stdout: io.stdout as NodeJS.WritableStream,
      stderr: io.stderr as NodeJS.WritableStream,
      isTTY: io.isTTY,
      stdin: io.stdin,
      confirm: deps.confirm,
    });
  } finally {
    await backend.close();
  }
}

/** `intercom-kit update`: the form in a terminal, flags otherwise. Returns the exit code. */
export async function runUpdateCommand(
  flags: UpdateFlags,
  io: CliIo,
  deps: CliDeps,
  signal: AbortSignal,
): Promise<number> {
  const json = Boolean(flags.json);
  const given = optionsToRawInput(deps.fields, flags);
  if (flags.from !== undefined) {
    const mixed = deps.fields.filter((f) => given[f.key] !== undefined).map((f) => `--${f.flag}`);
    if (mixed.length > 0) {
      return reportError(
        invalid(
          `--from cannot be combined with ${mixed.join(", ")}: every value comes from the file`,
          "Put the values in the file's columns, or drop --from to update one user",
        ),
        json,
        io,
      );
    }
    return runBulk(flags, io, deps, signal);
  }
  const anyField = Object.keys(given).length > 0;
  // The form needs a terminal on both ends: keys from stdin, frames to stdout (`intercom-kit | tee` gets text).
  const interactive = io.isTTY && Boolean(io.stdout.isTTY) && !anyField && !json && !flags.dryRun && !flags.yes;

  if (interactive || flags.renderOnce) {
    const chosen = await chooseBackend(backendRequest(flags), {
      env: io.env,
      config: deps.config,
      startSandbox: deps.startSandbox,
    });
    if (!chosen.ok) return reportError(chosen.error, json, io);
    for (const w of chosen.choice.warnings) io.stderr.write(`Warning: ${w}\n`);
    // The first frame does not wait for the embedded sandbox: it starts while the form is drawn and filled in.
    const started = chosen.choice.start();
    const client = async () => {
      const result = await started;
      if (!result.ok) throw new ClientUnavailableError(result.error);
      return result.backend.createClient();
    };
    try {
      return await deps.renderInteractive({
        action: createUserAction(client, chosen.choice.info.apiVersion),
        backend: chosen.choice.info,
        ...(flags.renderOnce ? { renderOnce: true } : {}),
      });
    } finally {
      const result = await started;
      if (result.ok) await result.backend.close();
    }
  }

  const missing = missingFlags(deps, given, flags, io.isTTY && !json);
  if (missing.length > 0) {
    const message = `Missing flag${missing.length > 1 ? "s" : ""}: ${missing.join("; ")}`;
    const hint =
      io.isTTY && io.stdout.isTTY
        ? "Run `intercom-kit update` without flags for the interactive form, or see `intercom-kit update --help`"
        : "No terminal (or output is piped): every choice must come from flags. See `intercom-kit update --help`";
    return reportError(invalid(message, hint), json, io);
  }

  const checked = validateUpdateUserInput(given);
  if (!checked.ok) {
    const lines = checked.errors.map((e) => {
      const flag = e.field === "input" ? null : flagOf(deps.fields, e.field);
      return `${flag ? `${flag} (${e.label})` : e.label}: ${e.message}`;
    });
    return reportError(
      invalid(
        `Invalid input: ${lines.join("; ")}`,
        "Fix the flags named above; see `intercom-kit update --help`",
        checked.errors,
      ),
      json,
      io,
    );
  }

  const selected = await startBackend(flags, io, deps, true);
  if (!selected.ok) return reportError(selected.error, json, io);
  const backend = selected.backend;
  try {
    const canPrompt = io.isTTY && !json && !flags.yes;
    return await runUpdate(
      {
        input: checked.input,
        dryRun: Boolean(flags.dryRun),
        json,
        signal,
        ...(canPrompt
          ? {
              confirm: async (summary: string) => {
                io.stderr.write(`${summary}\n`);
                return deps.confirm("Apply this change? [y/N] ");
              },
            }
          : {}),
      },
      { action: createUserAction(backend.createClient()), backend: backend.info, io },
    );
  } finally {
    await backend.close();
  }
}

/** Registers `update` (the default command) with flags generated from the field table. */
export function registerUpdateCommand(
  program: Command,
  io: CliIo,
  deps: CliDeps,
  signal: AbortSignal,
  setCode: (code: number) => void,
): Command {
  const command = program
    .command("update", { isDefault: true })
    .description(
      "Update one user. In a terminal without flags: an interactive form, a review of the change, then the result. With flags (or without a terminal): runs directly.",
    );
  command.optionsGroup("Which user (exactly one):");
  addFieldOptions(
    command,
    deps.fields.filter((f) => f.group === "identify"),
  );
  command.optionsGroup("What to change (empty = unchanged):");
  addFieldOptions(
    command,
    deps.fields.filter((f) => f.group !== "identify"),
  );
  command.optionsGroup("Run:");
  command
    .option("--dry-run", "print the planned calls and send nothing (not even the look-up)")
    .option("--json", 'print exactly one JSON document on stdout: the updated user, or {"error": {...}}')
    .option("-y, --yes", "apply without asking (required without a terminal, unless --dry-run)");
  command.optionsGroup("Back end:");
  addBackendOptions(command);
  command.optionsGroup("Bulk (many users from a file):");
  command
    .option("--from <file>", "update every row of a CSV (header = flag names) or NDJSON file (- = stdin)")
    .option("--skip-invalid", "with --from: skip invalid rows instead of refusing the file")
    .option("--concurrency <n>", "with --from: rows in flight at once (1-64)")
    .option("--journal <file>", "with --from: record each row's outcome in FILE (default: next to the input file)")
    .option("--resume", "with --from: skip rows the journal records as done");
  command.addOption(new Option("--render-once", "render the first screen and exit (startup benchmark)").hideHelp());
  command.action(async (flags: UpdateFlags) => {
    setCode(await runUpdateCommand(flags, io, deps, signal));
  });
  return command;
}
