import type { IntercomFailure } from "@intercom-kit/core";
import type {
  AppliedStep,
  CallKind,
  Candidate,
  ErrorKind,
  FieldError,
  PlannedCall,
  Problem,
  Step,
  UpdateUserError,
} from "./types.js";

/** What the failed call was doing, so the message can say "No user has user ID 42" rather than "404". */
export interface FailureContext {
  step: Step;
  kind: CallKind;
  /** e.g. "user ID 42", "Intercom ID abc", "email joe@example.com" */
  subject: string;
  /** What was not found, when the call alone does not say (attach: the user or the company). */
  what?: "user" | "company" | "tag";
}

const ONE_LINE = 300;

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > ONE_LINE ? `${flat.slice(0, ONE_LINE - 1)}…` : flat;
}

/** Intercom's 409 message: "A contact matching those details already exists with id=5f1a…". */
export function parseExistingContactId(text: string | null | undefined): string | undefined {
  const m = /\bid=([A-Za-z0-9_-]+)/.exec(text ?? "");
  return m?.[1];
}

/** The canonical contact id from a 410's `Link: </contacts/abc>; rel="canonical"`. */
export function parseCanonicalContactId(link: string | null | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const m = /<([^>]*)>(.*)$/.exec(part.trim());
    if (!m) continue;
    const params = m[2] ?? "";
    if (params && !/rel\s*=\s*"?[^";]*\bcanonical\b/i.test(params)) continue;
    const id = /\/contacts\/([^/?#>]+)\/?(?:[?#].*)?$/.exec(m[1] ?? "")?.[1];
    if (!id) continue;
    try {
      const decoded = decodeURIComponent(id);
      if (decoded !== "." && decoded !== "..") return decoded;
    } catch {
      // A malformed escape in a header is not an id.
    }
  }
  return undefined;
}

const READS: ReadonlySet<CallKind> = new Set([
  "find",
  "search",
  "get",
  "check-email",
  "check-user-id",
  "check-company",
  "find-company",
  "data-attributes",
  "workspace-tags",
  "admins",
  "companies",
  "tags",
  "segments",
  "read-back",
]);

/**
 * Calls about one contact: a 404 or 410 from them means that user is not there (or was merged). A 404 from a
 * workspace list, a uniqueness check or a create says nothing about the user, so it is not "not found".
 */
const ABOUT_THE_CONTACT: ReadonlySet<CallKind> = new Set([
  "find",
  "search",
  "get",
  "read-back",
  "update",
  "attach",
  "tag",
  "untag",
  "archive",
  "unarchive",
  "companies",
  "tags",
  "segments",
]);

/** Said whenever a user cannot be found: archived users look exactly like missing ones. */
export const ARCHIVED_HINT =
  "an archived user is not found this way: restore it by its Intercom ID with Restore from archive (unarchive)";

function notFound(ctx: FailureContext): { message: string; hint: string } {
  const what = ctx.what ?? (ctx.kind === "check-company" || ctx.kind === "attach" ? "company" : "user");
  if (what === "company") {
    return {
      message: `No company has ${ctx.subject}`,
      hint: "Check the Intercom ID of the company, or give Company ID (with a name) to create or update it",
    };
  }
  if (what === "tag") return { message: `No tag has ${ctx.subject}`, hint: "Look the user up again and retry" };
  if (ctx.kind === "find" || ctx.kind === "search") {
    return {
      message: `No user has ${ctx.subject}`,
      hint: `Check the value, or identify the user another way (User ID, Intercom ID or Current email); ${ARCHIVED_HINT}. This action never creates users`,
    };
  }
  return {
    message: `No user has ${ctx.subject}`,
    hint: `Check the Intercom ID (it is the contact id in Intercom's web app URL); it may belong to a merged user, or ${ARCHIVED_HINT}. This action never creates users`,
  };
}

/** "No user has user ID 42", with what to try next. */
export function notFoundError(ctx: FailureContext): UpdateUserError {
  const nf = notFound(ctx);
  return { kind: "not_found", message: nf.message, hint: nf.hint, requestId: null, failedStep: ctx.step };
}

/** Turns a client failure into the domain's error: a kind, one line, and what to do about it. */
export function errorFromFailure(failure: IntercomFailure, ctx: FailureContext): UpdateUserError {
  const base = { requestId: null as string | null, cause: failure, failedStep: ctx.step };
  switch (failure.kind) {
    case "network":
      return {
        ...base,
        kind: "network",
        message: oneLine(failure.message),
        hint: "Check the network connection and the base URL or region, then try again",
      };
    case "timeout":
      return {
        ...base,
        kind: "timeout",
        message: oneLine(failure.message),
        hint: READS.has(ctx.kind)
          ? "Try again, or allow more time (the timeout)"
          : "The change may or may not have been made: look the user up before trying again, or allow more time (the timeout)",
      };
    case "aborted":
      return {
        ...base,
        kind: "aborted",
        message: "Cancelled before Intercom answered",
        hint: "Run it again to finish",
      };
    case "malformed":
      return {
        ...base,
        kind: "intercom_error",
        status: failure.status,
        requestId: failure.requestId,
        message: oneLine(failure.message),
        hint: "A proxy or firewall may be in between; check the base URL",
      };
    case "http":
      break;
  }
  const codes = failure.errors.map((e) => e.code);
  const detail = failure.errors
    .map((e) => e.message ?? e.code)
    .filter(Boolean)
    .join("; ");
  const common = { ...base, status: failure.status, requestId: failure.requestId, codes, rateLimit: failure.rateLimit };
  const withDetail = (text: string) => oneLine(detail ? `${text} (${detail})` : text);
  const s = failure.status;
  let kind: ErrorKind;
  let message: string;
  let hint: string;
  let extra: Partial<UpdateUserError> = {};
  const foundNothing =
    (s === 404 && !ABOUT_THE_CONTACT.has(ctx.kind) && ctx.kind !== "check-company") ||
    (s === 410 && !ABOUT_THE_CONTACT.has(ctx.kind));
  if (foundNothing || (s === 409 && READS.has(ctx.kind))) {
    // Not about the user (a list, a check, a create, or a conflict on a read): Intercom's answer does not fit the
    // call, so saying "no user" or "conflict" would be untrue.
    kind = "intercom_error";
    message = oneLine(failure.message);
    hint =
      "Intercom's answer does not fit this call (these lists exist in every workspace): check the base URL, the region and the API version, then try again";
  } else if (s >= 300 && s < 400) {
    // Not a refusal: something sent the request elsewhere, and the client did not follow (the token stays home).
    kind = "intercom_error";
    message = oneLine(failure.message);
    hint =
      "Intercom's API does not redirect: check the base URL and the region (a proxy or a wrong host answered); the redirect was not followed";
  } else if (s === 401) {
    kind = "unauthorized";
    message = withDetail("Intercom rejected the access token");
    hint = "Check the access token and the region (a token belongs to one workspace): log in again, or set a new token";
  } else if (s === 403) {
    kind = "forbidden";
    message = withDetail(`The access token may not do this (${ctx.kind === "update" ? "update users" : ctx.kind})`);
    hint = "Give the Intercom app the permission it needs (read and write users and companies), or check the plan";
  } else if (s === 404 || (s === 410 && READS.has(ctx.kind))) {
    kind = "not_found";
    const nf = notFound(ctx);
    const canonical = s === 410 ? parseCanonicalContactId(failure.link) : undefined;
    message = canonical ? `${nf.message}: it was merged into contact ${canonical}` : nf.message;
    hint = canonical ? `Use Intercom ID ${canonical}` : nf.hint;
  } else if (s === 409 && ctx.kind !== "update") {
    // Only the contact's own fields can belong to "another contact"; elsewhere, say what Intercom said.
    kind = "conflict";
    message = oneLine(failure.message);
    hint = "Intercom says this conflicts with what it holds: look the user up, then run the update again";
  } else if (s === 409) {
    kind = "conflict";
    const existing = failure.errors.map((e) => parseExistingContactId(e.message)).find(Boolean);
    message = withDetail(
      existing
        ? `Another contact (Intercom ID ${existing}) already has these details`
        : "Another contact already has these details",
    );
    hint = "Choose another email (or user ID), or update that other contact instead";
    if (existing) extra = { existingContactId: existing };
  } else if (s === 429) {
    kind = "rate_limited";
    const reset = failure.rateLimit.resetAt;
    message = `Intercom's rate limit was exceeded${failure.attempts > 1 ? ` after ${failure.attempts} attempts` : ""}`;
    hint =
      reset !== null
        ? `Wait until ${new Date(reset * 1000).toISOString()} and try again, or send fewer requests per minute`
        : "Wait a few seconds and try again, or send fewer requests per minute";
  } else if (s === 410) {
    kind = "not_found";
    const canonical = parseCanonicalContactId(failure.link);
    message = canonical ? `The user was merged into contact ${canonical}` : "The user was merged into another contact";
    hint = canonical ? `Use Intercom ID ${canonical}` : "Look the user up again";
  } else if (s >= 500) {
    kind = "intercom_error";
    message = withDetail(
      `Intercom had a server problem (${s})${failure.attempts > 1 ? ` after ${failure.attempts} attempts` : ""}`,
    );
    hint = "Try again in a minute; Intercom's status page says whether it is down";
  } else if ((s === 400 || s === 422) && !READS.has(ctx.kind)) {
    // A write refused for its values (an email Intercom will not take, a value the pre-flight could not foresee):
    // the person can fix it, so it is not reported like a server failure (exit 5) that a retry might cure.
    kind = "invalid_input";
    message = withDetail(`Intercom refused the values sent (${s})`);
    hint = "Check the values named (the dry run shows each call and its body), fix them and run the update again";
  } else {
    kind = "intercom_error";
    message = withDetail(`Intercom refused the request (${s})`);
    hint = "Check the values sent (the dry run shows each call and its body)";
  }
  return { ...common, kind, message, hint, ...extra };
}

/** An answer that is JSON but not the shape the action relies on: never a throw, always this. */
export function unexpectedAnswer(c: Pick<PlannedCall, "id" | "method" | "path">, what: string): UpdateUserError {
  return {
    kind: "intercom_error",
    message: `Intercom answered ${c.method} ${c.path} with ${what}`,
    hint: "A proxy may be in between, or the API version differs; check the base URL and the API version, then try again",
    requestId: null,
    failedStep: c.id,
  };
}

export function invalidInputError(errors: FieldError[]): UpdateUserError {
  const first = errors[0];
  const lead = first ? `${first.label}: ${first.message}` : "the input is not valid";
  return {
    kind: "invalid_input",
    message: errors.length > 1 ? `${errors.length} problems with the input, first: ${lead}` : `Invalid input: ${lead}`,
    hint: "Fix the fields named and try again; nothing was sent to Intercom",
    requestId: null,
    fieldErrors: errors,
    // The same list the pre-flight reports, so a caller reads one list whichever check found the problem.
    problems: errors.map((e) => ({ kind: "invalid_input", field: e.field, label: e.label, message: e.message })),
  };
}

/** Order of precedence when the pre-flight finds several kinds of problem: the user, then the data, then the input. */
const PROBLEM_ORDER: Problem["kind"][] = ["not_found", "conflict", "invalid_input"];

/** Everything the pre-flight found, as one error: its kind is the most serious problem's; nothing was written. */
export function problemsError(problems: Problem[]): UpdateUserError {
  const sorted = [...problems].sort((a, b) => PROBLEM_ORDER.indexOf(a.kind) - PROBLEM_ORDER.indexOf(b.kind));
  const first = sorted[0] as Problem;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
  const fieldErrors: FieldError[] = problems.map((p) => ({ field: p.field, label: p.label, message: p.message }));
  return {
    kind: first.kind,
    message: `${first.label}: ${first.message}${more}`,
    hint: "Nothing was changed. Fix what is named and run the update again",
    requestId: null,
    problems: sorted,
    fieldErrors,
  };
}

export function ambiguousError(
  subject: string,
  total: number,
  candidates: Candidate[],
  requestId: string | null,
): UpdateUserError {
  const ids = candidates.map((c) => c.id);
  return {
    kind: "ambiguous",
    message: `${total} users have ${subject}${total > ids.length ? ` (showing the first ${ids.length})` : ""}: ${ids.join(", ")}`,
    hint: "Identify the user by User ID or Intercom ID instead (pick one of the Intercom IDs shown)",
    requestId,
    matches: ids,
    candidates,
    failedStep: "search",
  };
}

export function abortedError(
  applied: AppliedStep[] = [],
  unknown: Step[] = [],
  notApplied: Step[] = [],
): UpdateUserError {
  if (applied.length === 0 && unknown.length === 0) {
    return {
      kind: "aborted",
      message: "Cancelled before anything was changed",
      hint: "Run it again to make the change",
      requestId: null,
      ...(notApplied.length > 0 ? { notApplied } : {}),
    };
  }
  const done = applied.map((a) => a.summary).join(", ");
  return {
    kind: "aborted",
    message: oneLine(
      applied.length > 0
        ? `Cancelled after part of the update was made (${done})`
        : "Cancelled while a change was being sent",
    ),
    // A request in flight when the signal fired may still have been applied by Intercom.
    hint: "Running the same update again is safe and finishes it; or look the user up to see where it stopped",
    requestId: null,
    applied,
    notApplied,
    ...(unknown.length > 0 ? { unknown } : {}),
  };
}
