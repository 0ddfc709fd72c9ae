import { configLocation, FIELDS } from "@intercom-kit/domain";
import type { CliDeps, CliIo } from "./commands/context.js";
import { noColor } from "./commands/update.js";
import { runCli } from "./program.js";
import { confirmOnTerminal } from "./services/confirm.js";

// The entry point: wire real streams, the real sandbox and the Ink renderer, then run.

// `intercom-kit --help | head -1`: the reader left, which is not an error of ours. Leave quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// NO_COLOR (https://no-color.org): Ink draws colours with chalk, whose colour detection reads FORCE_COLOR but not
// NO_COLOR. Turning chalk off here, before Ink is loaded, makes it certain.
if (noColor(process.env)) process.env.FORCE_COLOR = "0";

const controller = new AbortController();
let interrupted = 0;
const onSignal = () => {
  interrupted += 1;
  // First Ctrl-C: abort the calls in flight (a bulk run lets rows in flight finish) and let the command report;
  // a second one leaves at once.
  if (interrupted > 1) process.exit(130);
  controller.abort(new Error("interrupted"));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

// Ink and React are most of the bundle; only the terminal UI needs them. Start loading them at once when a terminal
// is attached (the likely interactive case), so the import overlaps argument parsing and back-end start-up.
let ui: Promise<typeof import("./ui/render.js")> | null = null;
const loadUi = () => {
  ui ??= import("./ui/render.js");
  return ui;
};
if ((process.stdin.isTTY && process.stdout.isTTY) || process.argv.includes("--render-once")) void loadUi();
const loadSandbox = () => import("@intercom-kit/sandbox");

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  isTTY: Boolean(process.stdin.isTTY),
};

const deps: CliDeps = {
  fields: FIELDS,
  config: configLocation(process.env),
  startSandbox: async () => {
    const { startSandbox } = await loadSandbox();
    const sandbox = await startSandbox();
    return { url: sandbox.url, token: sandbox.token, close: () => sandbox.stop() };
  },
  renderInteractive: async (props) => (await loadUi()).renderInteractive(props),
  promptToken: async (target) => (await loadUi()).promptToken(target),
  confirm: (question, signal) => confirmOnTerminal(question, process.stdin, process.stderr, signal),
  runSandbox: async (args) => {
    const { runSandboxCli } = await loadSandbox();
    // The sandbox CLI handles SIGINT/SIGTERM itself; ours would only abort nothing.
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    return runSandboxCli(args, { stdout: process.stdout, stderr: process.stderr });
  },
};

const code = await runCli(process.argv.slice(2), io, deps, controller.signal);
process.exitCode = code;
// Nothing should keep the process alive now (stdin may still be referenced by a prompt); if something does, leave.
process.stdin.unref?.();
setTimeout(() => process.exit(code), 200).unref();
