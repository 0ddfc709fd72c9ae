import type { FieldChange, UpdateUserError, UpdateUserInput } from "@intercom-kit/domain";
import type { BackendInfo } from "./backend-info.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { errorDocument, formatErrorText, formatPlanText, formatUserText } from "./output-format.js";
import type { UserAction } from "./user-action.js";

export interface TextOut {
  write(text: string): unknown;
}

export interface RunIo {
  stdout: TextOut;
  stderr: TextOut;
}

export interface RunUpdateOptions {
  input: UpdateUserInput;
  dryRun: boolean;
  json: boolean;
  /** Asks the person to confirm the shown change; absent = already confirmed (--yes). */
  confirm?: (summary: string) => Promise<boolean>;
  signal?: AbortSignal;
}

/** Writes an error the way the mode asks: one JSON document on stdout, or text on stderr. Returns the exit code. */
export function reportError(error: UpdateUserError, json: boolean, io: RunIo): number {
  if (json) io.stdout.write(`${JSON.stringify(errorDocument(error), null, 2)}\n`);
  else io.stderr.write(`${formatErrorText(error)}\n`);
  return exitCodeFor(error.kind);
}

/**
 * The non-interactive update: plan, (look up and confirm,) apply, print. Knows nothing of flags; the command has
 * already validated the input. Human text goes to stderr; the result (text or JSON) to stdout.
 */
export async function runUpdate(
  options: RunUpdateOptions,
  deps: { action: UserAction; backend: BackendInfo; io: RunIo },
): Promise<number> {
  const { action, io } = deps;
  const { input, json } = options;
  const plan = action.plan(input);

  if (options.dryRun) {
    // Sends nothing, not even the look-up: the plan alone is the preview.
    if (json) io.stdout.write(`${JSON.stringify({ dryRun: true, input, plan }, null, 2)}\n`);
    else {
      io.stderr.write("Dry run: nothing was sent.\n");
      io.stdout.write(`${formatPlanText(plan, null)}\n`);
    }
    return EXIT.ok;
  }

  if (options.confirm) {
    const found = await action.lookup(input, options.signal ? { signal: options.signal } : {});
    if (!found.ok) return reportError(found.error, json, io);
    const changes: FieldChange[] = action.describe(found.user, input);
    const who = `${found.user.name ?? "(no name)"}${found.user.email ? ` <${found.user.email}>` : ""} · ID ${found.user.id}`;
    const ok = await options.confirm(`User: ${who}\n${formatPlanText(plan, changes)}`);
    if (!ok) {
      io.stderr.write("Nothing was changed.\n");
      return EXIT.other;
    }
  }

  const result = await action.update(input, {
    ...(options.signal ? { signal: options.signal } : {}),
    onStep: (_step, label) => {
      io.stderr.write(`… ${label}\n`);
    },
  });
  if (!result.ok) return reportError(result.error, json, io);
  for (const note of result.notes ?? []) io.stderr.write(`Note: ${note}\n`);
  if (json) io.stdout.write(`${JSON.stringify(result.user, null, 2)}\n`);
  else {
    const summary = result.applied.map((a) => a.summary).join("; ");
    io.stderr.write(`Done${summary ? `: ${summary}` : ""}.\n`);
    io.stdout.write(`${formatUserText(result.user)}\n`);
  }
  return EXIT.ok;
}
