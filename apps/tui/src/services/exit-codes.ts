import type { ErrorKind } from "@intercom-kit/domain";

/** Process exit codes; documented in `--help` and the README, so scripts can branch on them. */
export const EXIT = {
  ok: 0,
  other: 1,
  invalidInput: 2,
  notFound: 3,
  auth: 4,
  failed: 5,
  partial: 6,
  /** Ctrl-C in the interactive UI (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

const BY_KIND: Record<ErrorKind, number> = {
  invalid_input: EXIT.invalidInput,
  // The new email already belongs to another user: the input has to change, so it is an input error.
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
  aborted: EXIT.other,
};

export function exitCodeFor(kind: ErrorKind | string): number {
  return (BY_KIND as Record<string, number>)[kind] ?? EXIT.other;
}

export const EXIT_CODES_HELP = `Exit codes:
  0  done (or, with --dry-run, the plan was printed)
  1  anything else (unexpected error, interrupted)
  2  invalid input: a bad or missing flag, or the new email belongs to another user
  3  user not found, or the email matches several users
  4  authentication: no valid access token, or the token lacks permission
  5  rate limited, Intercom error or network failure after retries
  6  partially applied: some changes were written, the rest were not
130  Ctrl-C in the interactive form`;
