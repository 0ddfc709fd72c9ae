import { closestName, DEFAULT_API_VERSION } from "@intercom-kit/domain";
import { Command, CommanderError } from "commander";
import packageJson from "../package.json" with { type: "json" };
import { registerCompletionCommand } from "./commands/completion.js";
import type { CliDeps, CliIo } from "./commands/context.js";
import { registerLoginCommands } from "./commands/login.js";
import { registerUpdateCommand } from "./commands/update.js";
import { EXIT, EXIT_CODES_HELP } from "./services/exit-codes.js";

const TOKEN_HELP = `Access token:
  INTERCOM_ACCESS_TOKEN (environment), else the file written by \`intercom-kit login\`
  (\${XDG_CONFIG_HOME:-~/.config}/intercom-kit/config.json, mode 0600). Never accepted as a flag.
  With no token at all, the embedded sandbox is used (in memory: its changes are gone when it stops).

Waiting:
  A call that is retried or waits for Intercom's rate limit says so on stderr (in the form: a status line),
  e.g. "PUT /contacts/abc: 429 rate limited, retrying in 8 s (attempt 2 of 3)". --timeout limits each attempt.`;

/** The sandbox CLI's flags (`pnpm sandbox`), passed through as they are. */
const SANDBOX_FLAGS: ReadonlyArray<[flag: string, attribute: string, description: string]> = [
  ["--port <n>", "port", "port on 127.0.0.1 (default: a free port)"],
  ["--token <token>", "token", "bearer token to require (default: random per start)"],
  ["--state <file>", "state", "keep the sandbox's data in FILE across restarts"],
  ["--rate-limit <n>", "rateLimit", "requests per minute (default 10000)"],
  ["--latency <ms>", "latency", "delay every Intercom request by MS milliseconds"],
  ["--seed <n>", "seed", "seed of the fault-injection PRNG (default 1)"],
];

/** Builds the commander program; commands write their exit code through `setCode`. */
export function buildProgram(io: CliIo, deps: CliDeps, signal: AbortSignal, setCode: (code: number) => void): Command {
  const program = new Command("intercom-kit")
    .description(
      `Update a user in Intercom (API 2.x, Intercom-Version ${DEFAULT_API_VERSION} by default): an interactive form in a terminal, or flags for scripts. \`update\` is the default command.`,
    )
    .version(packageJson.version, "-V, --version")
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  const update = registerUpdateCommand(program, io, deps, signal, setCode);
  update.addHelpText("after", `\n${EXIT_CODES_HELP}\n\n${TOKEN_HELP}\n`);
  registerLoginCommands(program, io, deps, signal, setCode);
  const sandbox = program
    .command("sandbox")
    .description("Run the Intercom-compatible sandbox in the foreground (127.0.0.1), printing its URL and token.");
  for (const [flag, , description] of SANDBOX_FLAGS) sandbox.option(flag, description);
  sandbox
    .option("--json", 'print one JSON line {"url","token"} instead of the banner')
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const args: string[] = [];
      for (const [flag, attribute] of SANDBOX_FLAGS) {
        const value = flags[attribute];
        if (typeof value === "string") args.push(flag.split(" ")[0] as string, value);
      }
      if (flags.json) args.push("--json");
      setCode(await deps.runSandbox(args));
    });
  registerCompletionCommand(program, io, deps, setCode);
  program.addHelpText("after", () => {
    // The default command's options (from its first group heading on), so `intercom-kit --help` lists every flag.
    const lines = update.helpInformation().split("\n");
    const first = lines.findIndex((line) => line.endsWith(":") && !line.startsWith(" ") && !line.startsWith("Usage"));
    return `\nThe default command is \`update\`; its options:\n\n${lines.slice(Math.max(first, 0)).join("\n")}\n${EXIT_CODES_HELP}\n\n${TOKEN_HELP}\n`;
  });
  return program;
}

/**
 * `update` is the default command, so commander hands a first word it does not know to `update` as a stray argument
 * ("too many arguments for 'update'"). A mistyped command deserves its own error: the word, and the command it is
 * closest to.
 */
export function unknownCommand(argv: readonly string[], program: Command): string | null {
  const first = argv[0];
  if (first === undefined || first.startsWith("-")) return null;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(first) || first === "help") return null;
  const near = closestName(first, names);
  return `unknown command '${first}'${near ? `\n(Did you mean ${near}?)` : ""}`;
}

/** Parses argv (without node and script), runs the command, and returns the exit code. Never calls process.exit. */
export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps, signal: AbortSignal): Promise<number> {
  let code: number = EXIT.ok;
  const json = argv.includes("--json");
  const program = buildProgram(io, deps, signal, (c) => {
    code = c;
  });
  if (json) {
    // One JSON document on stdout, even for a parse error: commander's own text is held back.
    program.configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: () => {} });
    for (const sub of program.commands)
      sub.configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: () => {} });
  }
  const unknown = unknownCommand(argv, program);
  if (unknown !== null) {
    if (json) {
      io.stdout.write(
        `${JSON.stringify({ error: { kind: "invalid_input", message: unknown.replace("\n", " "), hint: "See intercom-kit --help", requestId: null } }, null, 2)}\n`,
      );
    } else io.stderr.write(`error: ${unknown}\n`);
    return EXIT.invalidInput;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) {
        return EXIT.ok;
      }
      const message = error.message.replace(/^error: /, "");
      if (json) {
        io.stdout.write(
          `${JSON.stringify({ error: { kind: "invalid_input", message, hint: "See intercom-kit update --help", requestId: null } }, null, 2)}\n`,
        );
      }
      return EXIT.invalidInput;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (json) {
      io.stdout.write(
        `${JSON.stringify({ error: { kind: "internal", message, hint: "Please report this", requestId: null } }, null, 2)}\n`,
      );
    } else io.stderr.write(`Unexpected error: ${message}\n`);
    return EXIT.other;
  }
  // One Ctrl-C is 130 wherever it came: the command has already said what was and was not done.
  return signal.aborted ? EXIT.interrupted : code;
}
