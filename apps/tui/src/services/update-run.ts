import {
  ARCHIVED_HINT,
  CLI_SETTING_NAMES,
  describeRequestEvent,
  errorDocument,
  fieldByKey,
  formatError,
  outcomeLine,
  planText,
  type RawUpdateUserInput,
  type StepEvent,
  sectionsToLines,
  type UpdateUserError,
  userSections,
} from "@intercom-kit/domain";
import type { Answer } from "./confirm.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import type { UserAction } from "./user-action.js";

export interface TextOut {
  write(text: string): unknown;
}

export interface RunIo {
  stdout: TextOut;
  stderr: TextOut;
}

export interface RunUpdateOptions {
  /** The flags' values as the domain's raw input: the domain validates and parses them. */
  input: RawUpdateUserInput;
  dryRun: boolean;
  json: boolean;
  /** `--create-attributes`. */
  createMissingAttributes: boolean;
  /** Asks the person to confirm the plan shown; absent = already confirmed (--yes). */
  confirm?: (plan: string) => Promise<Answer>;
  signal?: AbortSignal;
}

/**
 * Writes an error the way the mode asks, once: one JSON document on stdout, or the domain's text on stderr, followed by
 * the flags of the fields it names (what a shell user edits). Returns the exit code.
 */
export function reportError(error: UpdateUserError, json: boolean, io: RunIo): number {
  if (json) io.stdout.write(`${JSON.stringify(errorDocument(error), null, 2)}\n`);
  else {
    const flags = [
      ...new Set(
        (error.fieldErrors ?? []).flatMap((e) => {
          const field = e.field === "input" ? undefined : fieldByKey(e.field);
          return field ? [`--${field.flag}`] : [];
        }),
      ),
    ];
    const lines = [formatError(error)];
    if (flags.length > 0) lines.push(`Flags to fix: ${flags.join(", ")}`);
    lines.push(...flagHints(error));
    io.stderr.write(`${lines.join("\n")}\n`);
  }
  return exitCodeFor(error.kind);
}

/** The flag that asks the domain to create missing custom attributes (`createMissingAttributes`). */
export const CREATE_ATTRIBUTES_FLAG = "--create-attributes";

/**
 * The domain's hints name options in words every frontend can show ("ask for missing attributes to be created", "the
 * timeout", "Restore from archive"); a shell user needs the flag. One line per option the error points at.
 */
export function flagHints(error: UpdateUserError): string[] {
  const hints: string[] = [];
  if ((error.problems ?? []).some((p) => p.creatable)) {
    hints.push(`In flags: ${CREATE_ATTRIBUTES_FLAG} creates the missing custom attributes.`);
  }
  if (error.kind === "timeout") hints.push(`In flags: ${CLI_SETTING_NAMES.timeout} <seconds> allows more time.`);
  const unarchive = fieldByKey("unarchive");
  const intercomId = fieldByKey("intercomId");
  if (error.kind === "not_found" && error.hint.includes(ARCHIVED_HINT) && unarchive && intercomId) {
    hints.push(`In flags: --${intercomId.flag} <id> --${unarchive.flag} restores an archived user.`);
  }
  return hints;
}

/** Each retry and rate-limit wait as one line on stderr (never stdout, so `--json` stays one document). */
export function waitLines(action: UserAction, stderr: TextOut): () => void {
  return action.onRequestEvent((event) => {
    const line = describeRequestEvent(event);
    if (line) stderr.write(`… ${line}\n`);
  });
}

/**
 * The non-interactive update: prepare (lookup and pre-flight, reads only), then print the plan (dry run), or confirm
 * and apply exactly it. Knows nothing of flags. Human text goes to stderr; the result (text or JSON) to stdout.
 */
export async function runUpdate(options: RunUpdateOptions, deps: { action: UserAction; io: RunIo }): Promise<number> {
  const { action, io } = deps;
  const { json, signal } = options;
  const stopWaitLines = waitLines(action, io.stderr);
  try {
    const prepared = await action.prepare(options.input, {
      ...(signal ? { signal } : {}),
      // A plan a person reads (the prompt, a dry run) shows current values even by Intercom ID; --yes keeps the
      // one-round-trip path.
      ...(options.confirm || options.dryRun ? { readCurrent: true } : {}),
      ...(options.createMissingAttributes ? { createMissingAttributes: true } : {}),
    });
    if (!prepared.ok) return reportError(prepared.error, json, io);
    const { plan } = prepared;

    if (options.dryRun) {
      if (json) io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
      else {
        io.stdout.write(`${planText(plan).join("\n")}\n`);
        io.stderr.write("Dry run: the user was looked up and checked; nothing was written.\n");
      }
      return EXIT.ok;
    }

    if (options.confirm && !plan.unchanged) {
      const answer = await options.confirm(planText(plan).join("\n"));
      if (answer !== "yes") {
        io.stderr.write(answer === "interrupted" ? "Interrupted: nothing was changed.\n" : "Nothing was changed.\n");
        return answer === "interrupted" ? EXIT.interrupted : EXIT.other;
      }
    }

    const result = await action.apply(plan, {
      ...(signal ? { signal } : {}),
      ...(json ? {} : { onStep: (event: StepEvent) => stepLine(event, io.stderr) }),
    });
    if (!result.ok) return reportError(result.error, json, io);
    if (json) {
      const { outcome, user, applied, changes, notes } = result;
      io.stdout.write(`${JSON.stringify({ outcome, user, applied, changes, notes }, null, 2)}\n`);
    } else {
      io.stderr.write(`${outcomeLine(result)}\n`);
      for (const note of result.notes) io.stderr.write(`Note: ${note}\n`);
      io.stdout.write(`${sectionsToLines(userSections(result.user)).join("\n")}\n`);
    }
    return EXIT.ok;
  } finally {
    stopWaitLines();
  }
}

/** A write that starts is worth a line (it is what the person waits for); reads for the record are not. */
function stepLine(event: StepEvent, stderr: TextOut): void {
  if (event.phase === "write" && event.state === "started") stderr.write(`… ${event.label}\n`);
}
