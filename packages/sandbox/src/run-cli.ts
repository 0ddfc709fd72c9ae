import { parseArgs } from "node:util";
import { type Sandbox, startSandbox } from "./server.js";

export interface SandboxCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Stops the sandbox when aborted (in addition to SIGINT / SIGTERM). */
  signal?: AbortSignal;
  /** Listen for SIGINT and SIGTERM on `process` (default true). */
  handleSignals?: boolean;
  /** Called once the sandbox listens (tests and embedding apps). */
  onReady?: (sandbox: Sandbox) => void;
}

const USAGE = `Usage: intercom-kit-sandbox [options]

An Intercom-compatible API server on 127.0.0.1, in memory, with seeded users and companies.

Options:
  --port N          port on 127.0.0.1 (default 0: a free port)
  --token T         bearer token to require (default: random per start)
  --state FILE      persist the state as JSON in FILE (loaded on start, written after each change)
  --rate-limit N    requests per minute (default 10000; per 10-second window: ceil(N / 6))
  --latency MS      delay every Intercom request by MS milliseconds
  --seed N          seed of the fault-injection PRNG (default 1)
  --json            print one JSON line {"url","token"} instead of the banner
  -h, --help        show this help
`;

function intFlag(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be an integer between ${min} and ${max} (got "${raw}")`);
  return n;
}

/**
 * Runs the sandbox until SIGINT / SIGTERM (or `io.signal`), printing its URL and token.
 * Resolves with the exit code: 0 after a clean stop, 2 for bad flags, 1 when it cannot start.
 */
export async function runSandboxCli(argv: readonly string[], io: SandboxCliIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: "string" },
        token: { type: "string" },
        state: { type: "string" },
        "rate-limit": { type: "string" },
        latency: { type: "string" },
        seed: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  let port: number | undefined;
  let rate: number | undefined;
  let latency: number | undefined;
  let seed: number | undefined;
  try {
    port = intFlag("port", values.port as string | undefined, 0, 65535);
    rate = intFlag("rate-limit", values["rate-limit"] as string | undefined, 1, 1_000_000_000);
    latency = intFlag("latency", values.latency as string | undefined, 0, 600_000);
    seed = intFlag("seed", values.seed as string | undefined, -2_147_483_648, 4_294_967_295);
    if (values.state === "") throw new Error("--state needs a file path");
    if (values.token !== undefined && !/^\S+$/.test(values.token as string))
      throw new Error("--token must be a non-empty string without spaces");
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }

  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      port,
      token: values.token as string | undefined,
      stateFile: values.state as string | undefined,
      rateLimitPerMinute: rate,
      latencyMs: latency,
      seed,
    });
  } catch (err) {
    io.stderr.write(`Could not start the sandbox: ${(err as Error).message}\n`);
    return 1;
  }

  if (values.json) {
    io.stdout.write(`${JSON.stringify({ url: sandbox.url, token: sandbox.token })}\n`);
  } else {
    io.stdout.write(
      [
        "Intercom sandbox (intercom-kit) is running.",
        `URL:   ${sandbox.url}`,
        `Token: ${sandbox.token}`,
        values.state ? `State: ${values.state}` : "State: in memory (lost on exit)",
        `Try:   curl -H "Authorization: Bearer <token>" ${sandbox.url}/contacts/find_by_external_id/25`,
        "Press Ctrl-C to stop.",
        "",
      ].join("\n"),
    );
  }
  io.onReady?.(sandbox);

  await new Promise<void>((resolve) => {
    const handleSignals = io.handleSignals ?? true;
    const finish = (): void => {
      if (handleSignals) {
        process.off("SIGINT", finish);
        process.off("SIGTERM", finish);
      }
      io.signal?.removeEventListener("abort", finish);
      resolve();
    };
    if (handleSignals) {
      process.once("SIGINT", finish);
      process.once("SIGTERM", finish);
    }
    if (io.signal?.aborted) finish();
    else io.signal?.addEventListener("abort", finish, { once: true });
  });
  await sandbox.stop();
  if (!values.json) io.stdout.write("Sandbox stopped.\n");
  return 0;
}
