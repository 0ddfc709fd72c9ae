import {
  ARCHIVED_HINT,
  type BackendInfo,
  chooseBackend,
  createIntercomClient,
  FIELDS,
  type FieldChange,
  lookupUser,
  type PreparedUpdate,
  prepareUpdate,
  toUserOutput,
  type UpdateUserError,
  type UpdateUserOutput,
} from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import { SETTING_NAMES } from "./config.js";
import {
  backendName,
  failureLogLines,
  failureText,
  lookupFailureText,
  lookupTitle,
  pickItems,
  placeholderFor,
  promptFor,
  REVIEW_WIDTH,
  resultName,
  reviewView,
  successMessage,
  tokenCheckMessage,
  tokenClearedMessage,
  tokenSavedMessage,
  vscodeWording,
  wrap,
} from "./format.js";

const field = (key: string) => {
  const f = FIELDS.find((x) => x.key === key);
  if (!f) throw new Error(key);
  return f;
};

/** What must never reach a person in VS Code: the terminal's flags, its environment variable, client option names. */
const NOT_VSCODE = /--[a-z]|INTERCOM_ACCESS_TOKEN|timeoutMs|maxRateLimitWaitMs|\blog in\b|dry run|intercom-kit login/;

/** A client whose server answers from a table (no network), to get the domain's real errors. */
function clientAnswering(answer: (path: string) => { status: number; body?: unknown } | "hang") {
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const a = answer(new URL(request.url).pathname);
    if (a === "hang") {
      return new Promise<Response>((_resolve, reject) => {
        request.signal.addEventListener("abort", () => reject(request.signal.reason));
      });
    }
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), {
      status: a.status,
      headers: { "content-type": "application/json", "x-request-id": "req-1" },
    });
  };
  return createIntercomClient({
    token: "t",
    baseUrl: "http://127.0.0.1:9",
    fetch: fetch as typeof globalThis.fetch,
    maxRetries: 0,
    maxRateLimitWaitMs: 0,
    timeoutMs: 50,
  });
}
const errorList = (code: string) => ({ type: "error.list", errors: [{ code, message: code }] });
const contact = { type: "contact", id: "c1", external_id: "25", role: "user", name: "Joe", custom_attributes: {} };

/** Every kind of hint the domain gives while a person updates a user, produced by the domain itself. */
async function domainErrors(): Promise<Array<[string, UpdateUserError]>> {
  const out: Array<[string, UpdateUserError]> = [];
  const lookup = async (
    name: string,
    answer: Parameters<typeof clientAnswering>[0],
    by: Record<string, string> = { userId: "42" },
  ) => {
    const r = await lookupUser(clientAnswering(answer), by);
    if (r.ok) throw new Error(`${name}: expected an error`);
    out.push([name, r.error]);
  };
  await lookup("not found (the archived-user hint)", () => ({ status: 404, body: errorList("not_found") }));
  await lookup("not found by Intercom ID", () => ({ status: 404, body: errorList("not_found") }), {
    intercomId: "abc",
  });
  await lookup("401", () => ({ status: 401, body: errorList("unauthorized") }));
  await lookup("403", () => ({ status: 403, body: errorList("forbidden") }));
  await lookup("timeout of a read", () => "hang");
  await lookup("an answer of another shape", () => ({ status: 200, body: { nope: true } }));
  await lookup("a 400", () => ({ status: 400, body: errorList("parameter_invalid") }));
  await lookup("a 500", () => ({ status: 500, body: errorList("server_error") }));
  await lookup("429", () => ({ status: 429, body: errorList("rate_limit_exceeded") }));
  const attrs = await prepareUpdate(
    clientAnswering((path) =>
      path === "/data_attributes"
        ? { status: 200, body: { type: "list", data: [{ name: "plan", data_type: "string" }] } }
        : { status: 200, body: contact },
    ),
    { userId: "25", customAttributes: "seats=3, plna=pro" },
  );
  if (attrs.ok) throw new Error("expected attribute problems");
  out.push(["unknown custom attributes", attrs.error]);
  const settings = await chooseBackend(
    { apiVersion: "2.17", timeoutMs: 0 },
    {
      tokenSources: [],
      startSandbox: async () => ({ url: "", token: "", close: async () => {} }),
      names: SETTING_NAMES,
    },
  );
  if (settings.ok) throw new Error("expected a settings error");
  out.push(["a setting", settings.error]);
  out.push([
    "the archived hint itself",
    { kind: "not_found", message: "No user", hint: ARCHIVED_HINT, requestId: null },
  ]);
  return out;
}

describe("VS Code's words for the domain's terminal hints", () => {
  it("every hint the domain gives reads as VS Code advice: no flag, no environment variable, no login", async () => {
    const errors = await domainErrors();
    expect(errors.length).toBeGreaterThan(10);
    // Not vacuous: the domain's own text speaks of the timeout, restoring and creating attributes in neutral words,
    // which the extension turns into its own settings and choices.
    const raw = errors.map(([, e]) => [e.message, e.hint, ...(e.problems ?? []).map((p) => p.message)].join(" "));
    for (const neutral of [
      "(the timeout)",
      "Restore from archive (unarchive)",
      "ask for missing attributes to be created)",
    ]) {
      expect(
        raw.some((t) => t.includes(neutral)),
        neutral,
      ).toBe(true);
    }
    for (const [name, error] of errors) {
      const shown = [
        failureText(error, FIELDS),
        lookupFailureText(error, FIELDS),
        ...failureLogLines(error, FIELDS),
        ...reviewView({ kind: "problems", error, creatable: false }, undefined, FIELDS).rows.map(
          (r) => `${r.label} ${"description" in r ? (r.description ?? "") : ""}`,
        ),
      ].join("\n");
      expect(shown, name).not.toMatch(NOT_VSCODE);
    }
  });

  it.each<[string, string]>([
    [
      ARCHIVED_HINT,
      "an archived user is not found this way: restore it by finding it by Intercom ID and choosing Restore from archive (under Archive or restore)",
    ],
    [
      "Try again, or allow more time (the timeout)",
      "Try again, or allow more time (the intercomKit.timeoutSeconds setting)",
    ],
    [
      "check the base URL and the API version, then try again",
      "check the intercomKit.baseUrl setting and the intercomKit.apiVersion setting, then try again",
    ],
    [
      "(create it in Intercom, or ask for missing attributes to be created)",
      "(create it in Intercom, or choose Create missing attributes in the review)",
    ],
    [
      "Check the access token and the region (a token belongs to one workspace): log in again, or set a new token",
      "Check the access token and the region (a token belongs to one workspace): run Intercom: Set Access Token",
    ],
    ["give --company-id as well", "give Company ID as well"],
  ])("%s", (given, want) => {
    expect(vscodeWording(given, FIELDS)).toBe(want);
  });
});

describe("steps", () => {
  it("prompts say the current value, the field's hint and rules, and what empty means", () => {
    expect(promptFor(field("name"), false, "Joe Example")).toBe(
      "Current: Joe Example. Name: The user's full name (at most 255 characters). Leave empty to keep it as it is.",
    );
    expect(promptFor(field("phone"), false, null)).toMatch(/^Current: \(not set\)\. Phone: /);
    expect(promptFor(field("name"), false)).toMatch(/^Name: /);
    expect(promptFor(field("tags"), false)).toContain("Several: separate them with ;.");
    const id = promptFor(field("userId"), true);
    expect(id).toMatch(/^User ID: /);
    expect(id).not.toMatch(/give exactly one|Leave empty/);
  });

  it("the placeholder shows the current value once known ('(not set)' when empty), else an example", () => {
    expect(placeholderFor(field("name"), "Joe Example")).toBe("Current: Joe Example");
    expect(placeholderFor(field("phone"), null)).toBe("Current: (not set)");
    expect(placeholderFor(field("name"))).toBe("e.g. Joe Example");
  });

  it("pick items mark the current value and explain 'leave unchanged'", () => {
    const items = pickItems([
      { value: "", label: "Leave unchanged" },
      { value: "true", label: "Unsubscribed (no emails)", current: true },
      { value: "false", label: "Subscribed (emails allowed)" },
    ]);
    expect(items).toEqual([
      { label: "Leave unchanged", detail: "Keep the current setting" },
      { label: "Unsubscribed (no emails)", description: "current" },
      { label: "Subscribed (emails allowed)" },
    ]);
  });

  it("the lookup progress says what it waits for, on which back end", () => {
    const eu: BackendInfo = {
      kind: "intercom",
      label: "Intercom EU (https://api.eu.intercom.io)",
      baseUrl: "",
      apiVersion: "2.15",
      tokenSource: "x",
    };
    expect(lookupTitle(field("userId"), "25", eu)).toBe("Looking up User ID 25 on Intercom EU…");
    expect(
      backendName({ ...eu, kind: "sandbox", label: "Embedded sandbox (in memory: changes are gone when it stops)" }),
    ).toBe("Embedded sandbox");
    expect(lookupTitle(field("lookupEmail"), "a\u001b[31m@b.co", eu)).toBe(
      "Looking up Current email a\\e[31m@b.co on Intercom EU…",
    );
  });

  it("a cancelled lookup says what Enter and Escape do now", () => {
    expect(
      lookupFailureText({
        kind: "aborted",
        message: "Cancelled before anything was changed",
        hint: "",
        requestId: null,
      }),
    ).toBe("Lookup cancelled; nothing was changed. Press Enter to look the user up again, or Escape to stop.");
  });
});

describe("the review", () => {
  const contactJoe = { type: "contact", id: "c1", name: "Joe Example", email: "joe@example.com" } as never;
  const found = {
    contact: contactJoe,
    user: toUserOutput({ contact: contactJoe, companies: [], tags: null, segments: null }),
    notes: [],
  };
  const change = (c: Partial<FieldChange>): FieldChange => ({
    key: "name",
    label: "Name",
    current: "Joe",
    next: "Jane",
    changed: true,
    ...c,
  });
  const plan = (over: Partial<PreparedUpdate>): PreparedUpdate => ({
    input: { userId: "25", name: "Jane" },
    apiVersion: "2.15",
    identifyBy: "userId",
    contactId: "c1",
    current: null,
    currentUpdatedAt: null,
    contact: null,
    changes: [change({})],
    lookups: [],
    calls: [
      {
        id: "update",
        kind: "update",
        phase: "write",
        method: "PUT",
        path: "/contacts/c1",
        body: { name: "Jane" },
        purpose: "update the user's fields (name)",
        after: [],
      },
    ],
    roundTrips: 2,
    notes: [],
    unchanged: false,
    ...over,
  });
  const text = (rows: ReturnType<typeof reviewView>["rows"]) =>
    rows.map(
      (r) =>
        `${r.kind === "separator" ? "## " : ""}${r.label}${"description" in r && r.description ? ` | ${r.description}` : ""}`,
    );

  it("ready: Update first, then current -> new with (unknown) and (not set) said as such, the calls and the notes", () => {
    const view = reviewView(
      {
        kind: "ready",
        plan: plan({
          changes: [
            change({}),
            change({ key: "phone", label: "Phone", current: null, next: "+1" }),
            change({ key: "companyMonthlySpend", label: "Company monthly spend", current: undefined, next: "155" }),
            change({ key: "email", label: "New email", current: "a@b.co", next: "a@b.co", changed: false }),
          ],
          notes: ["No company has company ID 366 yet: it will be created."],
        }),
      },
      found,
    );
    expect(view.title).toBe("Intercom: Update User: review the change to Joe Example <joe@example.com>");
    expect(view.rows[0]).toMatchObject({
      kind: "action",
      answer: "confirm",
      label: "$(check) Update the user",
      description: "1 write; 1 call, 2 round trips in all",
    });
    expect(text(view.rows)).toEqual([
      "$(check) Update the user | 1 write; 1 call, 2 round trips in all",
      "$(arrow-left) Back | change an answer",
      "## Current -> new",
      "Name | Joe -> Jane",
      "Phone | (not set) -> +1",
      "Company monthly spend | (unknown) -> 155",
      "New email | a@b.co (unchanged, not sent)",
      "## Calls",
      "PUT    /contacts/c1  update the user's fields (name)",
      "## Notes",
      "$(info) No company has company ID 366 yet: it will be created.",
    ]);
  });

  it("nothing to change: no Update, and the whole sentence, wrapped, never cut off", () => {
    const note = "Nothing to change: the user already has every value given, so nothing will be written.";
    const view = reviewView(
      {
        kind: "ready",
        plan: plan({
          unchanged: true,
          calls: [],
          notes: [note],
          changes: [change({ current: "Jane", changed: false })],
        }),
      },
      found,
    );
    expect(view.rows.some((r) => r.kind === "action" && r.answer === "confirm")).toBe(false);
    expect(view.title).toBe("Intercom: Update User: nothing to change for Joe Example <joe@example.com>");
    const shown = view.rows.filter((r) => r.kind === "line").map((r) => r.label.replace(/^\$\([a-z-]+\) ?/, ""));
    expect(shown.slice(0, 2).join(" ")).toBe(note);
    for (const r of view.rows) expect(r.label.replace(/^\$\([a-z-]+\) ?/, "").length).toBeLessThanOrEqual(REVIEW_WIDTH);
  });

  it("problems: every one found before writing; 'Create missing attributes and review again' only when that solves them", () => {
    const error: UpdateUserError = {
      kind: "invalid_input",
      message: "Custom attributes: x (and 1 more problem)",
      hint: "Nothing was changed. Fix what is named and run the update again",
      requestId: null,
      problems: [
        {
          kind: "invalid_input",
          field: "customAttributes",
          label: "Custom attributes",
          message:
            '"seats" is not a custom attribute of this workspace (create it in Intercom, or ask for missing attributes to be created)',
          creatable: true,
        },
        {
          kind: "invalid_input",
          field: "owner",
          label: "Owner",
          message: 'no admin of this workspace has the email or id "opps@example.com"; did you mean ops@example.com?',
        },
      ],
    };
    const both = reviewView({ kind: "problems", error, creatable: false }, found, FIELDS);
    expect(both.rows.some((r) => r.kind === "action" && r.answer === "create")).toBe(false);
    const lines = both.rows
      .filter((r) => r.kind === "line")
      .map((r) => r.label.replace(/^\$\([a-z-]+\) ?/, ""))
      .join(" ");
    expect(lines).toContain(
      'Owner: no admin of this workspace has the email or id "opps@example.com"; did you mean ops@example.com?',
    );
    expect(lines).toContain("choose Create missing attributes in the review");
    expect(both.placeholder).toBe("2 problems: nothing was written. Go back to fix them.");
    const creatable = reviewView(
      { kind: "problems", error: { ...error, problems: error.problems?.slice(0, 1) }, creatable: true },
      found,
      FIELDS,
    );
    expect(creatable.rows[0]).toMatchObject({
      kind: "action",
      answer: "create",
      label: "$(add) Create missing attributes and review again",
    });
  });

  it("answers the domain refuses cannot be confirmed", () => {
    const view = reviewView(
      { kind: "invalid", errors: [{ field: "input", label: "Input", message: "nothing to change" }] },
      found,
    );
    expect(view.rows.map((r) => r.kind === "action" && r.answer)).not.toContain("confirm");
    expect(text(view.rows)).toContain("$(error) Input: nothing to change");
  });

  it("wraps at word boundaries, and cuts only words longer than a line", () => {
    expect(wrap("aaa bbb ccc", 7)).toEqual(["aaa bbb", "ccc"]);
    expect(wrap("x".repeat(10), 4)).toEqual(["xxxx", "xxxx", "xx"]);
    expect(wrap("", 4)).toEqual([""]);
  });
});

describe("results and notifications", () => {
  const user = (over: Partial<UpdateUserOutput>) =>
    ({ id: "abc", name: null, email: null, user_id: null, ...over }) as UpdateUserOutput;

  it("the result tab is named after the user, safely", () => {
    expect(resultName(user({ name: "Joe Example" }))).toBe("Joe Example (intercom user).json");
    expect(resultName(user({ email: "joe@example.com" }))).toBe("joe@example.com (intercom user).json");
    expect(resultName(user({ user_id: "25" }))).toBe("user 25 (intercom user).json");
    expect(resultName(user({}))).toBe("abc (intercom user).json");
    expect(resultName(user({ name: "../../etc/passwd\u001b[2J" }))).toBe(".._.._etc_passwd_e[2J (intercom user).json");
  });

  it("after an update: the domain's outcome line, the company's values as set (monthly spend included), the notes", () => {
    const result = {
      ok: true as const,
      outcome: "applied" as const,
      user: user({ name: "Joe", email: "joe@example.com" }),
      applied: [{ step: "company", kind: "company" as const, summary: "company 366 created" }],
      changes: [
        { key: "companyId" as const, label: "Company ID", current: null, next: "366", changed: true },
        {
          key: "companyMonthlySpend" as const,
          label: "Company monthly spend",
          current: null,
          next: "155",
          changed: true,
        },
      ],
      notes: ["Monthly spend 155.98 is stored as 155"],
    };
    expect(successMessage(result, FIELDS)).toBe(
      "Updated Joe <joe@example.com>: company 366 created. Company ID: 366, Company monthly spend: 155. Monthly spend 155.98 is stored as 155.",
    );
    // Notes the review showed before the write are not repeated.
    expect(successMessage(result, FIELDS, ["Monthly spend 155.98 is stored as 155"])).toBe(
      "Updated Joe <joe@example.com>: company 366 created. Company ID: 366, Company monthly spend: 155.",
    );
  });

  it("the token messages name where Update User goes now, and what the check found", () => {
    const eu: BackendInfo = {
      kind: "intercom",
      label: "Intercom EU (https://api.eu.intercom.io)",
      baseUrl: "https://api.eu.intercom.io",
      apiVersion: "2.15",
      tokenSource: "x",
    };
    expect(tokenSavedMessage(eu, false)).toBe(
      "Intercom access token saved in VS Code's secret storage. Intercom: Update User now talks to Intercom EU (https://api.eu.intercom.io).",
    );
    expect(tokenSavedMessage({ ...eu, kind: "custom", label: "Custom server https://p.example" }, true)).toBe(
      "Intercom access token saved in VS Code's secret storage. Intercom: Update User now talks to Custom server https://p.example (the intercomKit.baseUrl setting). The in-host sandbox was stopped; Intercom: Start Sandbox starts a fresh one.",
    );
    expect(tokenClearedMessage(false)).toBe("Intercom access token removed from VS Code's secret storage.");
    expect(tokenCheckMessage({ ok: true }, eu)).toBe("Intercom EU accepted the access token.");
    const rejected: UpdateUserError = {
      kind: "unauthorized",
      message: "Intercom rejected the access token",
      hint: "Check the access token and the region (a token belongs to one workspace): log in again, or set a new token",
      requestId: null,
    };
    expect(tokenCheckMessage({ ok: false, error: rejected, rejected: true }, eu)).toBe(
      "Intercom EU did not accept the access token: Intercom rejected the access token. Check the access token and the region (a token belongs to one workspace): run Intercom: Set Access Token.",
    );
  });
});
