/**
 * The entry point: read the flags, choose the back end (the embedded sandbox when no token is configured), and serve
 * the tools over stdio. stdout carries only the protocol; everything for people goes to stderr.
 */
import {
  chooseBackend,
  configLocation,
  describeRequestEvent,
  envTokenSource,
  escapeControl,
  fileTokenSource,
  formatError,
} from "@intercom-kit/domain";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import packageJson from "../package.json" with { type: "json" };
import { MCP_SETTING_NAMES, parseServerArgs, USAGE } from "./args.js";
import { duration } from "./messages.js";
import { createPlanStore } from "./plan-store.js";
import { createServer } from "./server.js";

const log = (line: string) => {
  process.stderr.write(`intercom-kit-mcp: ${escapeControl(line)}\n`);
};

async function main(): Promise<number | undefined> {
  const args = parseServerArgs(process.argv.slice(2));
  if (!args.ok) {
    process.stderr.write(`intercom-kit-mcp: ${args.message}\nRun intercom-kit-mcp --help for the flags.\n`);
    return 2;
  }
  if (args.action === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.action === "version") {
    process.stdout.write(`${packageJson.version}\n`);
    return 0;
  }

  const chosen = await chooseBackend(args.request, {
    tokenSources: [envTokenSource(process.env), fileTokenSource(configLocation(process.env))],
    // Loaded only when it is the back end, so a server talking to Intercom never reads the sandbox's code.
    startSandbox: async () => {
      const { startSandbox } = await import("@intercom-kit/sandbox");
      const sandbox = await startSandbox();
      return { url: sandbox.url, token: sandbox.token, close: () => sandbox.stop() };
    },
    names: MCP_SETTING_NAMES,
  });
  if (!chosen.ok) {
    process.stderr.write(`${formatError(chosen.error)}\n`);
    return 2;
  }
  for (const warning of chosen.choice.warnings) log(`warning: ${warning}`);
  const started = await chosen.choice.start();
  if (!started.ok) {
    process.stderr.write(`${formatError(started.error)}\n`);
    return 1;
  }
  const backend = started.backend;
  const client = backend.createClient({
    onEvent: (event) => {
      const line = describeRequestEvent(event);
      if (line) log(line);
    },
  });
  const plans = createPlanStore({ ttlMs: args.planTtlMs });
  const server = createServer({ client, backend: backend.info, plans, version: packageJson.version, log });

  let closing = false;
  const shutdown = async (why: string) => {
    if (closing) return;
    closing = true;
    log(`stopping (${why})`);
    await server.close().catch(() => {});
    await backend.close().catch(() => {});
    process.exit(0);
  };
  // The client ends the session by closing our stdin (or with a signal); nothing else should keep us alive.
  process.stdin.on("end", () => void shutdown("stdin closed"));
  // A client that went away without closing stdin: writing to it fails (EPIPE); that ends the session too.
  process.stdout.on("error", () => void shutdown("stdout closed"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  await server.connect(new StdioServerTransport());
  const where =
    backend.info.kind === "sandbox" ? `${backend.info.label} at ${backend.info.baseUrl}` : backend.info.label;
  log(
    `serving find_user, plan_user_update, apply_user_update on stdio; back end: ${where}, API ${backend.info.apiVersion}${backend.info.tokenSource ? `, token from ${backend.info.tokenSource}` : ""}; plans expire after ${duration(args.planTtlMs)}`,
  );
  return undefined;
}

main().then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    log(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
