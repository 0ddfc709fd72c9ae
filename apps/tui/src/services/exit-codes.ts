import type { ErrorKind } from "@intercom-kit/domain";

/** Process exit codes; documented in `--help`, the README and docs/decisions/0006, so scripts can branch on them. */
export const EXIT = {
  ok: 0,
  other: 1,
  invalidInput: 2,
  notFound: 3,
  auth: 4,
  failed: 5,
  partial: 6,
  /** A write's answer was lost and could not be read back: it may have been applied. */
  unknown: 7,
  /** Ctrl-C (or SIGTERM) anywhere: the form, the y/N prompt, a flag run, a bulk run (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

const BY_KIND: Record<ErrorKind, number> = {
  // The pre-flight's problems (an unknown attribute, an unknown owner) are input the person has to change.
  invalid_input: EXIT.invalidInput,
  // The new email or user ID already belongs to another contact: the input has to change, so it is an input error.
  conflict: EXIT.invalidInput,
  not_found: EXIT.notFound,
  ambiguous: EXIT.notFound,
  unauthorized: EXIT.auth,
  forbidden: EXIT.auth,
  rate_limited: EXIT.failed,
  intercom_error: EXIT.failed,
  network: EXIT.failed,
  timeout: EXIT.failed,
  partial: EXIT.partial,
  unknown: EXIT.unknown,
  // Only with refuseIfChanged, which the CLI does not use; the interactive review does, and says so on screen.
  stale: EXIT.other,
  // Our signal fires only on Ctrl-C / SIGTERM.
  aborted: EXIT.interrupted,
};

export function exitCodeFor(kind: ErrorKind | string): number {
  return (BY_KIND as Record<string, number>)[kind] ?? EXIT.other;
}

export const EXIT_CODES_HELP = `Exit codes:
  0  done, or nothing needed changing (with --dry-run: the plan is fine)
  1  anything else: an unexpected error, or "no" at the prompt
  2  invalid input: a bad or missing flag, an unknown custom attribute or owner, or the new email or
     user ID belongs to another contact
  3  user not found, the email matches several users, or no company has that Intercom ID
  4  authentication: no valid access token, or the token lacks permission
  5  rate limited, Intercom error, network failure or timeout after retries
  6  partially applied: some changes were written, the rest were not
  7  unknown: a change may have been applied (its answer was lost and reading it back failed);
     running the same update again is safe
130  interrupted (Ctrl-C)`;
