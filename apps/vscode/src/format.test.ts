import { FIELDS, type UpdateUserOutput } from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import { resolveConnection } from "./config.js";
import {
  changeLine,
  choiceItems,
  errorDetails,
  errorMessage,
  promptFor,
  requestLine,
  resultName,
  successMessage,
  tokenClearedMessage,
  tokenSavedMessage,
  whoIs,
} from "./format.js";

const field = (key: string) => {
  const f = FIELDS.find((x) => x.key === key);
  if (!f) throw new Error(key);
  return f;
};

const user = (over: Partial<UpdateUserOutput>) =>
  ({ id: "abc", name: null, email: null, user_id: null, ...over }) as UpdateUserOutput;

describe("prompts", () => {
  it("say what empty means only for optional fields, and drop the identify-one rule", () => {
    expect(promptFor(field("name"), false)).toBe(
      "Name: The user's full name (at most 255 characters). Leave empty to keep it unchanged.",
    );
    const id = promptFor(field("userId"), true);
    expect(id).toMatch(/^User ID: /);
    expect(id).not.toMatch(/give exactly one/);
    expect(id).not.toMatch(/Leave empty/);
  });

  it("offer the email subscription choices of the table, explaining leave unchanged", () => {
    const items = choiceItems(field("unsubscribedFromEmails").choices ?? []);
    expect(items.find((i) => i.value === "")).toMatchObject({
      label: "Leave unchanged",
      detail: "Keep the current setting",
    });
    expect(
      items
        .filter((i) => i.detail === undefined)
        .map((i) => i.value)
        .sort(),
    ).toEqual(["false", "true"]);
  });
});

describe("messages", () => {
  it.each<[string, { change: Parameters<typeof changeLine>[0]; want: string }]>([
    ["a change", { change: { key: "name", label: "Name", current: "Joe", next: "Jane" }, want: "Joe → Jane" }],
    ["from nothing", { change: { key: "phone", label: "Phone", current: null, next: "+1" }, want: "(none) → +1" }],
    ["no change", { change: { key: "name", label: "Name", current: "Jane", next: "Jane" }, want: "Jane (no change)" }],
  ])("review line: %s", (_n, { change, want }) => {
    expect(changeLine(change).description).toBe(want);
  });

  it.each<[string, { given: Partial<UpdateUserOutput>; want: string }]>([
    ["name and email", { given: { name: "Jane", email: "j@x.io" }, want: "Jane <j@x.io>" }],
    ["email only", { given: { email: "j@x.io" }, want: "j@x.io" }],
    ["user id only", { given: { user_id: "25" }, want: "user 25" }],
    ["nothing but the id", { given: {}, want: "abc" }],
  ])("who: %s", (_n, { given, want }) => {
    expect(whoIs(user(given))).toBe(want);
  });

  it("summarises a success with what was applied", () => {
    const text = successMessage(user({ name: "Jane", email: "j@x.io" }), [
      { step: "update", summary: "user updated (name)" },
      { step: "attach", summary: "user attached to company 1" },
    ]);
    expect(text).toBe("Updated Jane <j@x.io>: user updated (name), user attached to company 1.");
  });

  it("adds the domain's notes to the summary", () => {
    const text = successMessage(user({ email: "j@x.io" }), [], ["Monthly spend 155.98 was stored as 155", "Merged."]);
    expect(text).toBe("Updated j@x.io. Monthly spend 155.98 was stored as 155. Merged.");
  });

  it.each<[string, { message: string; hint: string; want: string }]>([
    [
      "message and hint",
      {
        message: "No user has user ID 42",
        hint: "Check the user ID",
        want: "No user has user ID 42. Check the user ID.",
      },
    ],
    ["no double stops", { message: "Bad.", hint: "Fix it.", want: "Bad. Fix it." }],
    ["no hint", { message: "Bad", hint: "", want: "Bad." }],
  ])("error: %s", (_n, { message, hint, want }) => {
    expect(errorMessage({ message, hint })).toBe(want);
  });

  it("details a failure for the log", () => {
    const lines = errorDetails({
      kind: "conflict",
      message: "Email taken",
      hint: "Use another",
      requestId: "req-1",
      status: 409,
      codes: ["conflict"],
      existingContactId: "c2",
    });
    expect(lines).toEqual([
      "failed: conflict: Email taken",
      "hint: Use another",
      "status: 409",
      "request id: req-1",
      "codes: conflict",
      "existing contact: c2",
    ]);
  });

  it.each<[string, { event: Parameters<typeof requestLine>[0]; want: string }]>([
    [
      "ok",
      {
        event: {
          method: "PUT",
          path: "/contacts/a",
          attempt: 1,
          status: 200,
          requestId: "r1",
          durationMs: 41.6,
          outcome: "ok",
          rateLimit: { limit: null, remaining: null, resetAt: null },
        },
        want: "PUT /contacts/a → 200, 42 ms, request id r1",
      },
    ],
    [
      "a retry",
      {
        event: {
          method: "GET",
          path: "/contacts/a",
          attempt: 2,
          status: 429,
          requestId: null,
          durationMs: 3,
          outcome: "retry",
          delayMs: 1200,
          rateLimit: { limit: null, remaining: null, resetAt: null },
        },
        want: "GET /contacts/a → 429, 3 ms, attempt 2, retrying in 1200 ms",
      },
    ],
    [
      "no response",
      {
        event: {
          method: "GET",
          path: "/x",
          attempt: 3,
          status: null,
          requestId: null,
          durationMs: 20000,
          outcome: "failed",
          rateLimit: { limit: null, remaining: null, resetAt: null },
        },
        want: "GET /x → no response, 20000 ms, attempt 3, gave up",
      },
    ],
  ])("log line: %s", (_n, { event, want }) => {
    expect(requestLine(event)).toBe(want);
  });

  it("names result documents safely and uniquely", () => {
    expect(resultName({ id: "6571a2" }, 1)).toBe("intercom-user-6571a2.json");
    expect(resultName({ id: "a/b c" }, 2)).toBe("intercom-user-a_b_c-2.json");
  });
});

describe("access token messages", () => {
  it("say where Update User goes now: the region's server, or the baseUrl setting", () => {
    expect(tokenSavedMessage(resolveConnection({}), false)).toBe(
      "Intercom access token saved in VS Code's secret storage. Intercom: Update User now talks to Intercom (us, https://api.intercom.io).",
    );
    expect(tokenSavedMessage(resolveConnection({ region: "eu" }), false)).toContain(
      "now talks to Intercom (eu, https://api.eu.intercom.io).",
    );
    expect(tokenSavedMessage(resolveConnection({ baseUrl: "https://proxy.example.com" }), false)).toContain(
      "now talks to Intercom at https://proxy.example.com (the intercomKit.baseUrl setting).",
    );
    expect(tokenSavedMessage(resolveConnection({ region: "mars" }), false)).toContain(
      "now talks to Intercom once the settings are fixed.",
    );
  });

  it("say when the in-host sandbox was stopped, and how to get it back", () => {
    const saved = tokenSavedMessage(resolveConnection({}), true);
    expect(saved).toMatch(/^Intercom access token saved/);
    expect(saved).toMatch(/The in-host sandbox was stopped; Intercom: Start Sandbox starts a fresh one\.$/);
    expect(tokenClearedMessage(false)).toBe("Intercom access token removed from VS Code's secret storage.");
    expect(tokenClearedMessage(true)).toMatch(
      /removed from VS Code's secret storage\. The in-host sandbox was stopped/,
    );
  });
});
