/*
 * NOTE FOR THE BULK HELPER (owner of apps/tui/src/bulk/**):
 * This file is the contract between the CLI wiring (apps/tui/src/commands/update.ts, owned by the TUI helper)
 * and your code. Please export from apps/tui/src/bulk/command.ts:
 *
 *   export async function runBulkCommand(options: BulkOptions, io: BulkIo): Promise<number>; // the exit code
 *
 * The CLI parses `intercom-kit update --from FILE [--skip-invalid] [--concurrency N] [--journal FILE] [--resume]`
 * plus the shared flags (--dry-run, --json, --yes, back-end flags), selects the back end, and calls you with a
 * client factory (the token stays inside it). It stops the embedded sandbox after you return. Exit codes are the
 * CLI's (see services/exit-codes.ts: 0 ok, 2 invalid input, 3 not found, 4 auth, 5 Intercom/network, 6 partial,
 * 1 other); `exitCodeFor(kind)` there maps a domain ErrorKind. With --json, print exactly one JSON document on
 * io.stdout; human text goes to io.stderr. Never wait for input when io.isTTY is false.
 * If you need another option, add it here and tell the TUI helper (or the lead) so the flag gets registered.
 */
import type { IntercomClient } from "@intercom-kit/domain";
import type { ClientOverrides } from "./services/backend.js";
import type { BackendInfo } from "./services/backend-info.js";

export interface BulkOptions {
  /** --from FILE: CSV (header row = field flags, e.g. user-id,name,attr) or NDJSON (`.ndjson`/`.jsonl`). */
  from: string;
  /** --skip-invalid: report invalid rows and carry on instead of refusing the whole file. */
  skipInvalid: boolean;
  /** --concurrency N: rows in flight at once (a positive integer, validated by the CLI); undefined = your default. */
  concurrency?: number;
  /** --journal FILE: where row outcomes are recorded. */
  journal?: string;
  /** --resume: skip rows the journal already records as done. */
  resume: boolean;
  /** --dry-run: validate and plan every row, send nothing. */
  dryRun: boolean;
  /**
   * --json: machine-readable stdout. Bulk prints NDJSON (one `{"type":"row",...}` line per row as it finishes, then one
   * `{"type":"summary",...}` line; `{"type":"error"}` or `{"type":"plan"}` alone when nothing ran), so a long run
   * streams and `tail -n 1` is the summary.
   */
  json: boolean;
  /** --yes: no confirmation prompt (required without a TTY unless --dry-run; the CLI has already checked this). */
  yes: boolean;
  /** A client for the selected back end (sandbox or Intercom); call it once and share the client for pacing. */
  createClient: (overrides?: ClientOverrides) => IntercomClient;
  /** Which back end is in use, for a banner line. */
  backend: BackendInfo;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
}

export interface BulkIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Whether stdin is a terminal (prompts allowed). */
  isTTY: boolean;
  /** Where `--from -` reads from (default process.stdin). Added by the bulk helper. */
  stdin?: NodeJS.ReadableStream;
  /** y/N on the terminal, only called when isTTY (default: a readline prompt on stdin/stderr). Added by the bulk helper. */
  confirm?: (question: string) => Promise<boolean>;
}

export type RunBulkCommand = (options: BulkOptions, io: BulkIo) => Promise<number>;
