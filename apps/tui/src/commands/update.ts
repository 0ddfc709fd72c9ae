import {
  API_VERSIONS,
  type BackendChoice,
  chooseBackend,
  DEFAULT_API_VERSION,
  invalidInputError,
  REGIONS,
  type UpdateUserError,
  validateUpdateUserInput,
} from "@intercom-kit/domain";
import { type Command, Option } from "commander";
import { backendRequest, cliBackendDeps } from "../services/backend.js";
import { CREATE_ATTRIBUTES_FLAG, reportError, runUpdate } from "../services/update-run.js";
import { ClientUnavailableError, createUserAction } from "../services/user-action.js";
import type { CliDeps, CliIo } from "./context.js";
import { addFieldOptions, optionsToRawInput } from "./field-options.js";

/** Options every command that talks to Intercom shares. */
export function addBackendOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--region <region>",
        "Intercom region of your workspace (default us, or the one saved by login)",
      ).choices(REGIONS.map((r) => r.id)),
    )
    .addOption(
      new Option(
        "--api-version <version>",
        `Intercom-Version header to send (default ${DEFAULT_API_VERSION}; one of ${API_VERSIONS.join(", ")})`,
      ),
    )
    .addOption(
      new Option(
        "--base-url <url>",
        "send requests to this server instead (https://, or http:// on 127.0.0.1/localhost only); needs a token",
      ),
    )
    .addOption(
      new Option(
        "--timeout <seconds>",
        "give up on an attempt that gets no answer within this many seconds (a retry gets as long again)",
      ),
    )
    .addOption(
      new Option(
        "--sandbox",
        "use the embedded sandbox even when a token is configured (in memory: changes are gone when it stops)",
      ),
    );
}

export interface UpdateFlags extends Record<string, unknown> {
  dryRun?: boolean;
  json?: boolean;
  yes?: boolean;
  createAttributes?: boolean;
  region?: string;
  apiVersion?: string;
  baseUrl?: string;
  timeout?: string;
  sandbox?: boolean;
  from?: string;
  skipInvalid?: boolean;
  concurrency?: string;
  journal?: string;
  resume?: boolean;
  renderOnce?: boolean;
}

/** Flags that only mean something with --from, and their option names. */
const BULK_ONLY: ReadonlyArray<[keyof UpdateFlags, string]> = [
  ["skipInvalid", "--skip-invalid"],
  ["concurrency", "--concurrency"],
  ["journal", "--journal"],
  ["resume", "--resume"],
];

function invalid(message: string, hint: string): UpdateUserError {
  return { kind: "invalid_input", message, hint, requestId: null };
}

/** Flags a non-interactive run cannot do without, named so the person (or script) can add them. */
export function missingFlags(
  deps: Pick<CliDeps, "fields">,
  given: Record<string, unknown>,
  flags: UpdateFlags,
  canPrompt: boolean,
): string[] {
  const identify = deps.fields.filter((f) => f.group === "identify");
  const changes = deps.fields.filter((f) => f.group !== "identify" && f.kind !== "hidden");
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

function parseConcurrency(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const n = Number(text);
  return /^\d+$/.test(text.trim()) && Number.isSafeInteger(n) && n >= 1 && n <= 64 ? n : null;
}

async function choose(flags: UpdateFlags, io: CliIo, deps: CliDeps) {
  const chosen = await chooseBackend(backendRequest(flags), cliBackendDeps(io.env, deps.config, deps.startSandbox));
  if (chosen.ok) for (const w of chosen.choice.warnings) io.stderr.write(`Warning: ${w}\n`);
  return chosen;
}

/** The sandbox notice for flag runs: it is easy to think you updated a real user. */
function announceSandbox(choice: BackendChoice, flags: UpdateFlags, io: CliIo): void {
  if (choice.info.kind !== "sandbox") return;
  io.stderr.write(
    flags.sandbox
      ? `Back end: ${choice.info.label}.\n`
      : `Back end: ${choice.info.label}, because no access token is configured. Set INTERCOM_ACCESS_TOKEN or run \`intercom-kit login\` to update real users.\n`,
  );
}

async function runBulkCommand(flags: UpdateFlags, io: CliIo, deps: CliDeps, signal: AbortSignal): Promise<number> {
  const json = Boolean(flags.json);
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
  const chosen = await choose(flags, io, deps);
  if (!chosen.ok) return reportError(chosen.error, json, io);
  if (!flags.dryRun) announceSandbox(chosen.choice, flags, io);
  // Only --from pays for the bulk code (CSV parsing, the journal): esbuild puts it in a chunk of its own.
  const { runBulk } = await import("../services/bulk/run.js");
  return runBulk(
    {
      from: flags.from as string,
      ...(flags.skipInvalid ? { skipInvalid: true } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(flags.journal !== undefined ? { journal: flags.journal } : {}),
      ...(flags.createAttributes ? { createMissingAttributes: true } : {}),
      resume: Boolean(flags.resume),
      dryRun: Boolean(flags.dryRun),
      json,
      yes: Boolean(flags.yes),
      backend: chosen.choice,
      signal,
    },
    { stdout: io.stdout, stderr: io.stderr, isTTY: io.isTTY, stdin: io.stdin, confirm: deps.confirm },
  );
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
    return runBulkCommand(flags, io, deps, signal);
  }
  const bulkOnly = BULK_ONLY.filter(([key]) => flags[key] !== undefined).map(([, flag]) => flag);
  if (bulkOnly.length > 0) {
    return reportError(
      invalid(
        `${bulkOnly.join(", ")} ${bulkOnly.length === 1 ? "needs" : "need"} --from: ${bulkOnly.length === 1 ? "it is" : "they are"} about updating users from a file`,
        "Add --from FILE (CSV or NDJSON), or drop the bulk flags to update one user",
      ),
      json,
      io,
    );
  }
  const anyField = Object.keys(given).length > 0;
  // The form needs a terminal on both ends: keys from stdin, frames to stdout (`intercom-kit | tee` gets text).
  const interactive = io.isTTY && Boolean(io.stdout.isTTY) && !anyField && !json && !flags.dryRun && !flags.yes;

  if (interactive || flags.renderOnce) {
    const chosen = await choose(flags, io, deps);
    if (!chosen.ok) return reportError(chosen.error, json, io);
    // The first frame does not wait for the embedded sandbox: it starts while the form is drawn and filled in.
    const started = chosen.choice.start();
    const action = createUserAction(async (overrides) => {
      const result = await started;
      if (!result.ok) throw new ClientUnavailableError(result.error);
      return result.backend.createClient(overrides);
    }, chosen.choice.info.apiVersion);
    try {
      return await deps.renderInteractive({
        action,
        backend: chosen.choice.info,
        ...(noColor(io.env) ? { noColor: true } : {}),
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

  const chosen = await choose(flags, io, deps);
  if (!chosen.ok) return reportError(chosen.error, json, io);
  // Invalid flags fail before the embedded sandbox starts (the domain validates again inside prepareUpdate).
  const checked = validateUpdateUserInput(given, { apiVersion: chosen.choice.info.apiVersion });
  if (!checked.ok) return reportError(invalidInputError(checked.errors), json, io);
  announceSandbox(chosen.choice, flags, io);
  const started = await chosen.choice.start();
  if (!started.ok) return reportError(started.error, json, io);
  const backend = started.backend;
  try {
    const canPrompt = io.isTTY && !json && !flags.yes && !flags.dryRun;
    return await runUpdate(
      {
        input: given,
        dryRun: Boolean(flags.dryRun),
        json,
        createMissingAttributes: Boolean(flags.createAttributes),
        signal,
        ...(canPrompt
          ? {
              confirm: async (plan: string) => {
                io.stderr.write(`${plan}\n`);
                return deps.confirm("Apply this change? [y/N] ", signal);
              },
            }
          : {}),
      },
      { action: createUserAction((overrides) => backend.createClient(overrides), backend.info.apiVersion), io },
    );
  } finally {
    await backend.close();
  }
}

/** NO_COLOR set to anything non-empty (https://no-color.org). */
export function noColor(env: NodeJS.ProcessEnv): boolean {
  return (env.NO_COLOR ?? "") !== "";
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
      "Update one user (the default command). In a terminal without flags: an interactive form, a review of the change, then the result. With flags (or without a terminal): runs directly.",
    );
  command.optionsGroup("Which user (exactly one):");
  addFieldOptions(
    command,
    deps.fields.filter((f) => f.group === "identify"),
  );
  command.optionsGroup("What to change (a flag left out is left unchanged):");
  addFieldOptions(
    command,
    deps.fields.filter((f) => f.group !== "identify" && f.kind !== "hidden"),
  );
  command.optionsGroup("Run:");
  command
    .option(
      "--dry-run",
      "look the user up, check every value and print the plan (the values it would send); write nothing",
    )
    .option(
      "--json",
      'print exactly one JSON document on stdout: the result {"outcome","user",...}, or {"error": {...}}',
    )
    .option("-y, --yes", "apply without asking (required without a terminal, unless --dry-run)")
    .option(
      `${CREATE_ATTRIBUTES_FLAG}`,
      "create custom attributes the workspace does not have yet (typed from the value, or name:type=value)",
    );
  command.optionsGroup("Back end:");
  addBackendOptions(command);
  command.optionsGroup("Bulk (many users from a file):");
  command
    .option("--from <file>", "update every row of a CSV (header = flag names) or NDJSON file (- = stdin)")
    .option("--skip-invalid", "with --from: skip invalid rows instead of refusing the file")
    .option("--concurrency <n>", "with --from: rows in flight at once (1-64, default 8)")
    .option("--journal <file>", "with --from: record each row's outcome in FILE (default: next to the input file)")
    .option("--resume", "with --from: skip rows the journal records as done");
  command.addOption(new Option("--render-once", "render the first screen and exit (startup benchmark)").hideHelp());
  command.action(async (flags: UpdateFlags) => {
    setCode(await runUpdateCommand(flags, io, deps, signal));
  });
  return command;
}
