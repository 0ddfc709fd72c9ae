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
  With no token at all, the embedded sandbox is used (changes stay on this machine).`;

/** Builds the commander program; commands write their exit code through `setCode`. */
export function buildProgram(io: CliIo, deps: CliDeps, signal: AbortSignal, setCode: (code: number) => void): Command {
  const program = new Command("intercom-kit")
    .description(
      "Update a user in Intercom (API 2.x, Intercom-Version 2.15 by default): an interactive form in a terminal, or flags for scripts.",
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
  program
    .command("sandbox")
    .description("Run the Intercom-compatible sandbox in the foreground (127.0.0.1), printing its URL and token.")
    .option("--port <n>", "port on 127.0.0.1 (default: a free port)")
    .option("--state <file>", "keep the sandbox's data in FILE across restarts")
    .option("--json", 'print one JSON line {"url","token"} instead of the banner')
    .action(async (flags: { port?: string; state?: string; json?: boolean }) => {
      const args = [
        ...(flags.port !== undefined ? ["--port", flags.port] : []),
        ...(flags.state !== undefined ? ["--state", flags.state] : []),
        ...(flags.json ? ["--json"] : []),
      ];
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
  return code;
}
