import type { IntercomFailure } from "@intercom-kit/core";
import { describe, expect, it } from "vitest";
import {
  errorFromFailure,
  type FailureContext,
  invalidInputError,
  parseCanonicalContactId,
  parseExistingContactId,
  problemsError,
} from "./errors.js";
import { formatError } from "./text.js";
import type { UpdateUserError } from "./types.js";

const rateLimit = { limit: 167, remaining: 0, resetAt: 1_700_000_000 };
const http = (
  status: number,
  errors: Array<{ code: string; message?: string }> = [],
  link: string | null = null,
): IntercomFailure => ({
  kind: "http",
  status,
  errors: errors.map((e) => ({ code: e.code, message: e.message ?? null, field: null })),
  requestId: "req-1",
  rateLimit,
  retryAfter: null,
  link,
  message: `HTTP ${status}`,
  method: "PUT",
  path: "/contacts/abc",
  attempts: 1,
  retries: 0,
});
const base = { method: "GET", path: "/x", attempts: 3, retries: 2 };
const userCtx: FailureContext = { step: "find", kind: "find", subject: "user ID 42" };
const putCtx: FailureContext = { step: "update", kind: "update", subject: "Intercom ID abc" };

const table: Array<[string, { given: [IntercomFailure, FailureContext]; want: Partial<UpdateUserError> }]> = [
  [
    "401",
    {
      given: [http(401, [{ code: "unauthorized" }]), putCtx],
      want: { kind: "unauthorized", status: 401, requestId: "req-1", codes: ["unauthorized"] },
    },
  ],
  ["403", { given: [http(403, [{ code: "api_plan_restricted" }]), putCtx], want: { kind: "forbidden" } }],
  [
    "404 on find",
    {
      given: [http(404, [{ code: "not_found" }]), userCtx],
      want: { kind: "not_found", message: "No user has user ID 42" },
    },
  ],
  [
    "404 on attach",
    {
      given: [
        http(404, [{ code: "company_not_found" }]),
        { step: "attach", kind: "attach", subject: "Intercom ID co9" },
      ],
      want: { kind: "not_found", message: "No company has Intercom ID co9" },
    },
  ],
  [
    "404 on attach, the user missing",
    {
      given: [
        http(404, [{ code: "not_found" }]),
        { step: "attach", kind: "attach", subject: "Intercom ID abc", what: "user" },
      ],
      want: { kind: "not_found", message: "No user has Intercom ID abc" },
    },
  ],
  [
    "409 with id",
    {
      given: [
        http(409, [{ code: "conflict", message: "A contact matching those details already exists with id=5f1a2b" }]),
        putCtx,
      ],
      want: { kind: "conflict", existingContactId: "5f1a2b" },
    },
  ],
  [
    "409 without id",
    {
      given: [http(409, [{ code: "conflict" }]), putCtx],
      want: { kind: "conflict", message: "Another contact already has these details (conflict)" },
    },
  ],
  [
    "410 on find",
    {
      given: [http(410, [{ code: "contact_merged" }], '</contacts/zz9>; rel="canonical"'), userCtx],
      want: {
        kind: "not_found",
        message: "No user has user ID 42: it was merged into contact zz9",
        hint: "Use Intercom ID zz9",
      },
    },
  ],
  // A 404/410 says "not found" only about the call's own contact (or company): from a list, a check or a create it
  // says nothing about the user, and a 409 on a read is no conflict (the fault matrix puts each on each call).
  ...(
    [
      [404, "workspace-tags"],
      [404, "data-attributes"],
      [404, "admins"],
      [404, "check-email"],
      [404, "check-user-id"],
      [404, "company"],
      [404, "create-tag"],
      [410, "check-email"],
      [410, "find-company"],
      [410, "check-company"],
      [410, "company"],
      [409, "find"],
      [409, "workspace-tags"],
      [409, "read-back"],
    ] as const
  ).map(([status, kind]): (typeof table)[number] => [
    `${status} on ${kind} is Intercom's error, not about the user`,
    {
      given: [http(status, [{ code: "not_found" }]), { step: kind, kind, subject: "the check" }],
      want: { kind: "intercom_error", status, message: `HTTP ${status}` },
    },
  ]),
  [
    "404 on the company check is still 'no company'",
    {
      given: [http(404), { step: "check-company", kind: "check-company", subject: "Intercom ID co9" }],
      want: { kind: "not_found", message: "No company has Intercom ID co9" },
    },
  ],
  [
    "410 on the PUT is still 'merged'",
    {
      given: [http(410, [{ code: "contact_merged" }], '</contacts/zz9>; rel="canonical"'), putCtx],
      want: { kind: "not_found", message: "The user was merged into contact zz9" },
    },
  ],
  [
    "a redirect is not 'refused': the client's own message, which says where it pointed and that it was not followed",
    {
      given: [
        { ...http(302), message: "Intercom answered PUT /contacts/abc with a redirect (302) to https://x.example/" },
        putCtx,
      ],
      want: {
        kind: "intercom_error",
        message: "Intercom answered PUT /contacts/abc with a redirect (302) to https://x.example/",
        hint: expect.stringContaining("base URL") as unknown as string,
      },
    },
  ],
  [
    "409 on the company upsert: a conflict, but not 'another contact has these details'",
    {
      given: [http(409, [{ code: "conflict" }]), { step: "company", kind: "company", subject: "company ID acme" }],
      want: { kind: "conflict", message: "HTTP 409" },
    },
  ],
  ["429", { given: [http(429, [{ code: "rate_limit_exceeded" }]), putCtx], want: { kind: "rate_limited", rateLimit } }],
  ["500", { given: [http(500), putCtx], want: { kind: "intercom_error", status: 500 } }],
  [
    "400 parameter_invalid",
    {
      given: [http(400, [{ code: "parameter_invalid", message: "Custom attribute 'x' does not exist" }]), putCtx],
      want: {
        kind: "invalid_input",
        message: "Intercom refused the values sent (400) (Custom attribute 'x' does not exist)",
      },
    },
  ],
  [
    "422 on a write: the values were refused",
    {
      given: [
        http(422, [{ code: "unprocessable_entity" }]),
        { step: "tag:VIP", kind: "tag", subject: "Intercom ID abc" },
      ],
      want: { kind: "invalid_input", status: 422 },
    },
  ],
  [
    "400 on a read: the request was wrong, not the person's values",
    {
      given: [
        http(400, [{ code: "parameter_invalid" }]),
        { step: "workspace-tags", kind: "workspace-tags", subject: "/tags" },
      ],
      want: { kind: "intercom_error", message: "Intercom refused the request (400) (parameter_invalid)" },
    },
  ],
  [
    "network",
    {
      given: [{ ...base, kind: "network", cause: "ECONNREFUSED", notSent: true, message: "Could not reach x" }, putCtx],
      want: { kind: "network", requestId: null },
    },
  ],
  [
    "timeout on a write",
    {
      given: [{ ...base, kind: "timeout", timeoutMs: 10, message: "No answer" }, putCtx],
      want: { kind: "timeout", hint: expect.stringContaining("may or may not") as unknown as string },
    },
  ],
  [
    "404 on a workspace list (a base URL that is not Intercom's API) is not a missing user",
    {
      given: [
        { ...http(404), method: "GET", path: "/tags" },
        { step: "workspace-tags", kind: "workspace-tags", subject: "/tags" },
      ],
      // The client's own message (here the test's "HTTP 404"), and a hint about the base URL, never "no user".
      want: {
        kind: "intercom_error",
        message: "HTTP 404",
        status: 404,
        hint: expect.stringContaining("base URL") as unknown as string,
      },
    },
  ],
  ["aborted", { given: [{ ...base, kind: "aborted", message: "cancelled" }, putCtx], want: { kind: "aborted" } }],
  [
    "malformed",
    {
      given: [
        { ...base, kind: "malformed", status: 200, requestId: "r", bodySnippet: "<html>", message: "not JSON" },
        putCtx,
      ],
      want: { kind: "intercom_error", requestId: "r" },
    },
  ],
];

describe("errorFromFailure", () => {
  it.each(table)("%s", (_n, { given, want }) => {
    const error = errorFromFailure(...given);
    expect(error).toMatchObject(want);
    expect(error.message).not.toMatch(/\n/);
    expect(error.hint.length).toBeGreaterThan(0);
    expect(error.cause).toBe(given[0]);
  });
});

describe("parsers", () => {
  it.each([
    ["A contact matching those details already exists with id=5f1a2b3c", "5f1a2b3c"],
    ["no id here", undefined],
    [null, undefined],
  ])("existing contact id in %s", (given, want) => {
    expect(parseExistingContactId(given)).toBe(want);
  });
  it.each([
    ['</contacts/abc123>; rel="canonical"', "abc123"],
    ["<https://api.intercom.io/contacts/abc123>; rel=canonical", "abc123"],
    ['<https://api.intercom.io/other>; rel="next", </contacts/x1>; rel="canonical"', "x1"],
    ['</contacts/abc>; rel="next"', undefined],
    [null, undefined],
  ])("canonical id in %s", (given, want) => {
    expect(parseCanonicalContactId(given)).toBe(want);
  });
});

describe("formatError", () => {
  it("prints the message, the hint and a request id when there is one", () => {
    const text = formatError({
      ...invalidInputError([{ field: "email", label: "New email", message: "must be a valid email address" }]),
      requestId: "r-9",
    });
    expect(text.split("\n")).toEqual([
      "Error: Invalid input: New email: must be a valid email address",
      "Hint: Fix the fields named and try again; nothing was sent to Intercom",
      "Request ID: r-9",
    ]);
    expect(formatError(invalidInputError([]))).not.toContain("Request ID");
  });
});

describe("invalidInputError", () => {
  it("lists every field error as a problem too, like the pre-flight, so callers read one list", () => {
    const errors = [
      { field: "email" as const, label: "New email", message: "must be a valid email address" },
      { field: "input" as const, label: "Input", message: 'unknown field "nmae"' },
    ];
    const error = invalidInputError(errors);
    expect(error.fieldErrors).toEqual(errors);
    expect(error.problems).toEqual(errors.map((e) => ({ kind: "invalid_input", ...e })));
  });
});

describe("problemsError", () => {
  it("takes the most serious kind and lists every problem", () => {
    const error = problemsError([
      {
        kind: "invalid_input",
        field: "customAttributes",
        label: "Custom attributes",
        message: '"plna" is not a custom attribute',
      },
      { kind: "conflict", field: "email", label: "New email", message: "a@b.co already belongs to another contact" },
    ]);
    expect(error.kind).toBe("conflict");
    expect(error.message).toBe("New email: a@b.co already belongs to another contact (and 1 more problem)");
    expect(error.fieldErrors?.map((e) => e.field)).toEqual(["customAttributes", "email"]);
    expect(formatError(error)).toContain('Custom attributes: "plna" is not a custom attribute');
  });
});
