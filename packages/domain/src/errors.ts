import type { IntercomFailure } from "@intercom-kit/core";
import type { AppliedStep, ErrorKind, FieldError, Step, UpdateUserError } from "./types.js";

/** What the failed call was doing, so the message can say "No user has user ID 42" rather than "404". */
export interface FailureContext {
  step: Step;
  /** e.g. "user ID 42", "Intercom ID abc", "email joe@example.com" */
  subject: string;
  /** What was not found, when the step alone does not say (attach: the user or the company). */
  what?: "user" | "company";
}

const ONE_LINE = 300;

function oneLine(text: string): string {
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
    if (id) return decodeURIComponent(id);
  }
  return undefined;
}

const READ_STEPS: ReadonlySet<Step> = new Set(["find", "search", "get", "companies", "tags", "segments"]);

function notFound(ctx: FailureContext): { message: string; hint: string } {
  const step = ctx.what === "user" ? "get" : ctx.what === "company" ? "attach" : ctx.step;
  switch (step) {
    case "find":
    case "search":
      return {
        message: `No user has ${ctx.subject}`,
        hint: "Check the value, or identify the user another way (User ID, Intercom ID or Current email); this action never creates users",
      };
    case "attach":
      return {
        message: `No company has ${ctx.subject}`,
        hint: "Check the Intercom ID of the company, or give Company ID (with a name) to create or update it",
      };
    case "company":
      return { message: `Intercom could not find the company for ${ctx.subject}`, hint: "Check Company ID" };
    default:
      return {
        message: `No user has ${ctx.subject}`,
        hint: "Check the Intercom ID (it is the contact id in Intercom's web app URL); this action never creates users",
      };
  }
}

/** Turns a client failure into the domain's error: a kind, one line, and what to do about it. */
export function errorFromFailure(failure: IntercomFailure, ctx: FailureContext): UpdateUserError {
  const base = { requestId: null as string | null, cause: failure };
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
        hint: READ_STEPS.has(ctx.step)
          ? "Try again, or allow more time (timeoutMs)"
          : "The change may or may not have been made: look the user up before trying again, or allow more time (timeoutMs)",
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
  const common = {
    ...base,
    status: failure.status,
    requestId: failure.requestId,
    codes,
    rateLimit: failure.rateLimit,
  };
  const withDetail = (text: string) => oneLine(detail ? `${text} (${detail})` : text);
  const s = failure.status;
  let kind: ErrorKind;
  let message: string;
  let hint: string;
  let extra: Partial<UpdateUserError> = {};
  if (s === 401) {
    kind = "unauthorized";
    message = withDetail("Intercom rejected the access token");
    hint =
      "Check the access token (INTERCOM_ACCESS_TOKEN or the stored token) and the region: tokens are per workspace";
  } else if (s === 403) {
    kind = "forbidden";
    message = withDetail(`The access token may not do this (${ctx.step === "update" ? "update users" : ctx.step})`);
    hint = "Give the Intercom app the needed permission (e.g. write users and companies) or check the plan";
  } else if (s === 404 || (s === 410 && READ_STEPS.has(ctx.step))) {
    kind = "not_found";
    const nf = notFound(ctx);
    const canonical = s === 410 ? parseCanonicalContactId(failure.link) : undefined;
    message = canonical ? `${nf.message}: it was merged into contact ${canonical}` : nf.message;
    hint = canonical ? `Use Intercom ID ${canonical}` : nf.hint;
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
  } else {
    kind = "intercom_error";
    message = withDetail(`Intercom refused the request (${s})`);
    hint =
      codes.includes("parameter_invalid") || codes.includes("data_invalid")
        ? "Check the values: custom attributes must already exist in the workspace, and values must match their type"
        : "Check the values sent (see the dry-run plan)";
  }
  return { ...common, kind, message, hint, ...extra };
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
  };
}

/** A failure after something was changed: says exactly what was done and what was not. */
export function partialError(
  failure: UpdateUserError,
  failedStep: Step,
  applied: AppliedStep[],
  notApplied: Step[],
): UpdateUserError {
  const done = applied.map((a) => a.summary).join(", ");
  return {
    ...failure,
    kind: "partial",
    message: oneLine(`Only part of the update was made (${done}); ${failedStep} failed: ${failure.message}`),
    hint: `${failure.hint}. Running the same update again is safe: it sets the same values`,
    applied,
    notApplied,
  };
}

/** Several lines for a terminal or a notification: the message, the hint, and the facts support will ask for. */
export function formatError(error: UpdateUserError): string {
  const lines = [error.message];
  for (const e of error.fieldErrors ?? []) lines.push(`  - ${e.label}: ${e.message}`);
  if (error.matches?.length) lines.push(`  Matching Intercom IDs: ${error.matches.join(", ")}`);
  if (error.existingContactId) lines.push(`  Existing contact: ${error.existingContactId}`);
  if (error.applied?.length) lines.push(`  Done: ${error.applied.map((a) => a.summary).join("; ")}`);
  if (error.notApplied?.length) lines.push(`  Not done: ${error.notApplied.join(", ")}`);
  lines.push(`Hint: ${error.hint}`);
  if (error.requestId) lines.push(`Request ID: ${error.requestId}`);
  return lines.join("\n");
}
