/**
 * Loads the BUNDLED dist/extension.js in plain Node with a stub `vscode` module and runs its commands with canned
 * answers against a real sandbox on 127.0.0.1 (real HTTP). Proves the bundle, the wiring and the flows; the
 * real-VS Code test (test/e2e) proves the same for a person.
 */
import { existsSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FIELDS } from "@intercom-kit/domain";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createVscodeStub, type Question, type Reply, type Stub } from "./support/vscode-stub.js";

const here = dirname(fileURLToPath(import.meta.url));
const BUNDLE = join(here, "..", "dist", "extension.js");
const TOKEN_KEY = "intercomKit.accessToken";

/** Every field of the seed's output, as UpdateUserOutput lists them. */
const OUTPUT_KEYS = [
  "type",
  "id",
  "user_id",
  "anonymous",
  "email",
  "name",
  "avatar",
  "app_id",
  "companies",
  "location_data",
  "phone",
  "pseudonym",
  "remote_created_at",
  "session_count",
  "owner_id",
  "last_request_at",
  "created_at",
  "signed_up_at",
  "updated_at",
  "unsubscribed_from_emails",
  "marked_email_as_spam",
  "has_hard_bounced",
  "do_not_track",
  "referrer",
  "last_seen_ip",
  "user_agent_data",
  "utm_campaign",
  "utm_content",
  "utm_medium",
  "utm_source",
  "utm_term",
  "social_profiles",
  "custom_attributes",
  "tags",
  "segments",
];

interface Extension {
  activate(context: unknown): void;
}

type Answers = Array<(q: Question) => Reply>;

const type = (value: string) => () => ({ type: "type", value }) as Reply;
const pick = (label: string) => () => ({ type: "pick", label }) as Reply;
const skip = type("");
/** Labels from the domain's field table, as the extension's steps use them. */
const labelOf = (key: string) => FIELDS.find((f) => f.key === key)?.label ?? key;
const choiceOf = (key: string, value: string) =>
  FIELDS.find((f) => f.key === key)?.choices?.find((c) => c.value === value)?.label ?? value;
const byUserId = pick(labelOf("userId"));
const byIntercomId = pick(labelOf("intercomId"));
const subscribed = pick(choiceOf("unsubscribedFromEmails", "false"));
const unchanged = pick(choiceOf("unsubscribedFromEmails", ""));

let stub: Stub;
let sandbox: Sandbox;
let context: ReturnType<Stub["context"]>;
let run = 0;
const unique = `${process.pid}-${Date.now().toString(36)}`;

/** Queues answers, one per prompt, in order; fails the prompt when the queue is empty. */
function script(answers: Answers): void {
  const queue = [...answers];
  stub.answer = (q) => {
    const next = queue.shift();
    if (!next) throw new Error(`no answer left for ${q.kind} "${q.title ?? q.placeholder}"`);
    return next(q);
  };
}

function exec<T = unknown>(id: string): Promise<T> {
  const commands = stub.vscode.commands as { executeCommand(id: string): Promise<T> };
  return commands.executeCommand(id);
}

/** All that the extension showed or logged, to check the token never appears. */
function everythingShown(): string {
  const r = stub.record;
  return JSON.stringify([r.messages, r.log, r.documents, r.progress, r.questions]);
}

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run "pnpm --filter intercom-kit-vscode build" first`);
  sandbox = await startSandbox();
  stub = createVscodeStub();
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    if (request === "vscode") return stub.vscode;
    return original.call(this, request, ...rest);
  };
  try {
    const require = createRequire(import.meta.url);
    const extension = require(BUNDLE) as Extension;
    context = stub.context();
    extension.activate(context);
  } finally {
    loader._load = original;
  }
});

afterAll(async () => {
  for (const d of context?.subscriptions ?? []) await d.dispose();
  await sandbox?.stop();
});

beforeEach(() => {
  stub.reset();
  stub.settings = { "intercomKit.baseUrl": sandbox.url };
  stub.chooseAction = () => undefined;
  stub.cancelProgress = false;
  sandbox.clearRequests();
  run += 1;
});

describe("activation", () => {
  it("only registers the four commands and the result document provider; no channel, no calls", () => {
    const commands = stub.vscode.commands as { registered(): string[] };
    expect(commands.registered().sort()).toEqual([
      "intercomKit.clearAccessToken",
      "intercomKit.setAccessToken",
      "intercomKit.startSandbox",
      "intercomKit.updateUser",
    ]);
    expect(context.subscriptions.length).toBeGreaterThanOrEqual(6);
    expect(stub.record.outputChannels).toBe(0);
    expect(sandbox.requests()).toHaveLength(0);
  });
});

describe("Set / Clear Access Token", () => {
  it("keeps the token in secret storage only, asked in a password box", async () => {
    script([type(sandbox.token)]);
    await exec("intercomKit.setAccessToken");
    expect(stub.secrets.get(TOKEN_KEY)).toBe(sandbox.token);
    expect(stub.record.questions[0]).toMatchObject({ kind: "input", password: true });
    expect(stub.record.messages.map((m) => m.text)).toEqual([
      `Intercom access token saved in VS Code's secret storage. Intercom: Update User now talks to Intercom at ${sandbox.url} (the intercomKit.baseUrl setting).`,
    ]);
    await exec("intercomKit.clearAccessToken");
    expect(stub.secrets.has(TOKEN_KEY)).toBe(false);
    expect(everythingShown().replace(JSON.stringify(stub.record.questions), "")).not.toContain(sandbox.token);
  });
});

describe("Update User against the sandbox", () => {
  beforeEach(() => {
    stub.secrets.set(TOKEN_KEY, sandbox.token);
  });

  it("walks the steps, reviews, updates the user and opens the full record as JSON", async () => {
    const name = `Jane Bundle ${unique}-${run}`;
    const email = `jane.${unique}-${run}@example.com`.toLowerCase();
    script([
      byUserId,
      type(SEED.user.externalId),
      type(name),
      type(email),
      skip, // phone
      subscribed,
      skip, // Intercom ID of company
      type(`acme-${unique}`),
      type(`Acme ${unique}`),
      type("155.98"),
      skip, // custom attributes
      pick("$(check) Update the user"),
    ]);
    const outcome = await exec<{ status: string }>("intercomKit.updateUser");
    expect(outcome.status).toBe("updated");

    // The sandbox changed.
    const stored = sandbox.state.findByExternalId(SEED.user.externalId) as Record<string, unknown>;
    expect(stored.name).toBe(name);
    expect(stored.email).toBe(email);
    expect(stored.unsubscribed_from_emails).toBe(false);
    const company = sandbox.state.findCompanyByCompanyId(`acme-${unique}`) as Record<string, unknown>;
    expect(company).toMatchObject({ name: `Acme ${unique}`, monthly_spend: 155 });

    // The steps: a counter that includes the review, and the domain's choices.
    const counters = stub.record.questions.map((q) => `${q.step}/${q.totalSteps}`);
    expect(counters).toEqual([
      "1/9",
      "2/10",
      "3/10",
      "4/10",
      "5/10",
      "6/10",
      "7/10",
      "8/10",
      "9/12",
      "10/12",
      "11/12",
      "12/12",
    ]);
    const review = stub.record.questions.at(-1);
    if (review?.kind !== "pick") throw new Error("the last prompt must be the review");
    expect(review.labels).toContain("Name");
    expect(review.descriptions).toContain(`${SEED.user.name} → ${name}`);
    expect(review.labels.some((l) => l.startsWith("PUT /contacts/"))).toBe(true);

    // The result document holds every output field.
    expect(stub.record.documents).toHaveLength(1);
    const doc = stub.record.documents[0]!;
    expect(doc.uri).toMatch(/^intercom-kit:\/intercom-user-[\w-]+\.json$/);
    const user = JSON.parse(doc.text) as Record<string, unknown>;
    expect(Object.keys(user).sort()).toEqual([...OUTPUT_KEYS].sort());
    expect(user).toMatchObject({
      type: "user",
      user_id: SEED.user.externalId,
      name,
      email,
      unsubscribed_from_emails: false,
    });

    // A notification summarises it; progress named the steps; each call is logged with status and timing.
    const info = stub.record.messages.filter((m) => m.level === "info").map((m) => m.text);
    expect(info).toHaveLength(1);
    expect(info[0]).toMatch(new RegExp(`^Updated ${name} <${email.replace(/\./g, "\\.")}>`));
    expect(stub.record.progress.find((p) => p.title === "Updating the Intercom user")?.messages.length).toBeGreaterThan(
      0,
    );
    expect(stub.record.log.some((l) => /^info PUT \/contacts\/\S+ → 200, \d+ ms, request id \S+/.test(l))).toBe(true);
    expect(stub.record.log.join("\n")).not.toMatch(/"(name|email)"\s*:/); // no request or response bodies
    expect(everythingShown()).not.toContain(sandbox.token);
  });

  it("an unknown user is an error notification with the hint, and Show details opens the log; nothing written", async () => {
    stub.chooseAction = (m) => (m.actions.includes("Show details") ? "Show details" : undefined);
    script([
      byUserId,
      type(`no-such-user-${unique}`),
      type(`Nobody ${unique}`),
      skip,
      skip,
      unchanged,
      skip,
      skip,
      skip,
    ]);
    const outcome = await exec<{ status: string; error?: { kind: string } }>("intercomKit.updateUser");
    expect(outcome).toMatchObject({ status: "failed", error: { kind: "not_found" } });
    const errors = stub.record.messages.filter((m) => m.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.text).toContain(`no-such-user-${unique}`);
    expect(errors[0]!.actions).toEqual(["Show details"]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stub.record.logShown).toBe(1);
    expect(stub.record.log.some((l) => l.startsWith("error failed: not_found"))).toBe(true);
    expect(sandbox.requests().filter((r) => r.method !== "GET" && r.path !== "/contacts/search")).toEqual([]);
    expect(stub.record.documents).toHaveLength(0);
  });

  it("shows the domain's validation inline, and Back keeps what was typed", async () => {
    const name = `Back Tester ${unique}-${run}`;
    script([
      byUserId,
      type(SEED.plainUser.externalId),
      type(name),
      type("not-an-email"), // refused inline
      (q) => {
        expect(q.kind === "input" && q.validationMessage).toMatch(/^New email must be a valid email address/);
        return { type: "back" };
      },
      (q) => {
        expect(q).toMatchObject({ kind: "input", value: name, step: 3 });
        return { type: "type", value: name };
      },
      (q) => {
        expect(q).toMatchObject({ kind: "input", value: "not-an-email" }); // kept on the way back
        return { type: "type", value: "" };
      },
      skip,
      unchanged,
      skip,
      skip,
      skip,
      pick("$(check) Update the user"),
    ]);
    const outcome = await exec<{ status: string }>("intercomKit.updateUser");
    expect(outcome.status).toBe("updated");
    expect((sandbox.state.findByExternalId(SEED.plainUser.externalId) as { name: string }).name).toBe(name);
  });

  it("Escape cancels without a single write", async () => {
    script([byIntercomId, type(SEED.user.id), type(`Never ${unique}`), () => ({ type: "escape" })]);
    const before = JSON.stringify(sandbox.state.getContact(SEED.user.id));
    const outcome = await exec<{ status: string }>("intercomKit.updateUser");
    expect(outcome.status).toBe("cancelled");
    expect(sandbox.requests()).toEqual([]);
    expect(JSON.stringify(sandbox.state.getContact(SEED.user.id))).toBe(before);
    expect(stub.record.messages).toEqual([]);
  });

  it("Cancel on the progress notification aborts the update: no write, an info message, no result", async () => {
    stub.cancelProgress = true;
    const before = JSON.stringify(sandbox.state.getContact(SEED.user.id));
    script([
      byIntercomId,
      type(SEED.user.id),
      type(`Cancelled ${unique}`),
      skip,
      skip,
      unchanged,
      skip,
      skip,
      skip,
      pick("$(check) Update the user"),
    ]);
    const outcome = await exec<{ status: string; error?: { kind: string } }>("intercomKit.updateUser");
    expect(outcome).toMatchObject({ status: "failed", error: { kind: "aborted" } });
    expect(sandbox.requests().filter((r) => r.method === "PUT")).toEqual([]);
    expect(JSON.stringify(sandbox.state.getContact(SEED.user.id))).toBe(before);
    expect(stub.record.messages.map((m) => m.level)).toEqual(["info"]);
    expect(stub.record.documents).toEqual([]);
  });

  it("a wrong token is an error that offers Set Access Token, and the wrong token is never shown", async () => {
    const wrong = `wrong-token-${unique}`;
    stub.secrets.set(TOKEN_KEY, wrong);
    script([byUserId, type("25"), type(`X ${unique}`), skip, skip, unchanged, skip, skip, skip]);
    const outcome = await exec<{ status: string; error?: { kind: string; status?: number } }>("intercomKit.updateUser");
    expect(outcome).toMatchObject({ status: "failed", error: { kind: "unauthorized", status: 401 } });
    const error = stub.record.messages.find((m) => m.level === "error");
    expect(error?.actions).toEqual(["Set Access Token", "Show details"]);
    expect(stub.record.log.some((l) => / → 401, /.test(l))).toBe(true);
    expect(everythingShown()).not.toContain(wrong);
  });

  it("a bad baseUrl setting is refused before anything is asked, naming the setting", async () => {
    stub.settings["intercomKit.baseUrl"] = "http://example.com";
    script([]);
    const outcome = await exec<{ status: string }>("intercomKit.updateUser");
    expect(outcome.status).toBe("not-configured");
    expect(stub.record.messages[0]).toMatchObject({ level: "error", actions: ["Open Settings"] });
    expect(stub.record.messages[0]!.text).toMatch(/^Setting intercomKit\.baseUrl: .*http:/);
    expect(stub.record.questions).toEqual([]);
  });
});

describe("no token: Update User offers the sandbox", () => {
  it("declining the offer ends the command without a prompt or a call", async () => {
    stub.secrets.delete(TOKEN_KEY);
    script([]);
    const outcome = await exec<{ status: string }>("intercomKit.updateUser");
    expect(outcome.status).toBe("not-configured");
    expect(stub.record.messages.map((m) => m.level)).toEqual(["warning"]);
    expect(stub.record.questions).toEqual([]);
    expect(sandbox.requests()).toEqual([]);
  });

  it("starts the embedded sandbox in the extension host and updates a user there", async () => {
    stub.secrets.delete(TOKEN_KEY);
    stub.settings = {};
    stub.chooseAction = (m) => (m.level === "warning" ? "Start Sandbox" : undefined);
    const name = `Sandboxed ${unique}`;
    script([
      byUserId,
      type("25"),
      type(name),
      skip,
      skip,
      unchanged,
      skip,
      skip,
      skip,
      pick("$(check) Update the user"),
    ]);
    const outcome = await exec<{ status: string; user: { name: string } }>("intercomKit.updateUser");
    expect(stub.record.messages[0]).toMatchObject({ level: "warning", actions: ["Set Access Token", "Start Sandbox"] });
    expect(stub.record.messages[1]?.text).toMatch(/^Intercom sandbox running at http:\/\/127\.0\.0\.1:\d+/);
    expect(outcome).toMatchObject({ status: "updated", user: { name } });
    expect(sandbox.requests()).toEqual([]); // the test's own sandbox saw nothing: the embedded one was used
    expect(stub.record.log.some((l) => /calls go to http:\/\/127\.0\.0\.1:\d+/.test(l))).toBe(true);
  });
});

describe("Set / Clear Access Token after Start Sandbox: Update User goes back to Intercom", () => {
  const SANDBOX_AT = /^Intercom sandbox running at (http:\/\/127\.0\.0\.1:\d+) /;

  async function startEmbedded(): Promise<string> {
    stub.reset();
    await exec("intercomKit.startSandbox");
    const url = stub.record.messages.map((m) => SANDBOX_AT.exec(m.text)?.[1]).find((u) => u !== undefined);
    if (!url) throw new Error(`no sandbox message in ${JSON.stringify(stub.record.messages)}`);
    return url;
  }

  async function reachable(url: string): Promise<boolean> {
    try {
      await fetch(`${url}/me`, { signal: AbortSignal.timeout(2000) });
      return true;
    } catch {
      return false;
    }
  }

  const renameUser25 = (name: string) =>
    script([
      byUserId,
      type(SEED.user.externalId),
      type(name),
      skip,
      skip,
      unchanged,
      skip,
      skip,
      skip,
      pick("$(check) Update the user"),
    ]);

  it("Start Sandbox → Set Access Token → Update User talks to the configured baseUrl; Start Sandbox works again", async () => {
    // The test's own sandbox plays "Intercom": it is the baseUrl setting, and its token is the one the person sets.
    stub.secrets.delete(TOKEN_KEY);
    const embedded = await startEmbedded();
    expect(embedded).not.toBe(sandbox.url);

    stub.reset();
    script([type(sandbox.token)]);
    expect(await exec("intercomKit.setAccessToken")).toBe(true);
    expect(stub.secrets.get(TOKEN_KEY)).toBe(sandbox.token);
    const saved = stub.record.messages.map((m) => m.text); // checked last: the routing below is the point

    stub.reset();
    const name = `Back on Intercom ${unique}`;
    renameUser25(name);
    const outcome = await exec<{ status: string; user: { name: string } }>("intercomKit.updateUser");
    expect(outcome).toMatchObject({ status: "updated", user: { name } });
    expect(sandbox.requests().some((r) => r.method === "PUT")).toBe(true);
    expect((sandbox.state.findByExternalId(SEED.user.externalId) as { name: string }).name).toBe(name);
    expect(await reachable(embedded)).toBe(false); // stopped, not just deselected
    expect(saved).toEqual([
      `Intercom access token saved in VS Code's secret storage. Intercom: Update User now talks to Intercom at ${sandbox.url} (the intercomKit.baseUrl setting). The in-host sandbox was stopped; Intercom: Start Sandbox starts a fresh one.`,
    ]);
    expect(stub.record.log).toContain(`info Update User: calls go to ${sandbox.url} with Intercom-Version 2.15`);
    expect(stub.record.log.join("\n")).not.toContain(embedded);
    expect(everythingShown().replace(JSON.stringify(stub.record.questions), "")).not.toContain(sandbox.token);

    // Start Sandbox again: a fresh in-host sandbox, and Update User follows it (the "Intercom" sees nothing).
    const again = await startEmbedded();
    expect(again).not.toBe(sandbox.url);
    expect(await reachable(again)).toBe(true);
    sandbox.clearRequests();
    stub.reset();
    renameUser25(`In the fresh sandbox ${unique}`);
    expect(await exec<{ status: string }>("intercomKit.updateUser")).toMatchObject({ status: "updated" });
    expect(sandbox.requests()).toEqual([]);
    expect(stub.record.log.some((l) => l.startsWith(`info Update User: calls go to ${again} `))).toBe(true);
    expect((sandbox.state.findByExternalId(SEED.user.externalId) as { name: string }).name).toBe(name);
  });

  it("Clear Access Token stops the sandbox too: Update User then offers setup instead of using it", async () => {
    stub.secrets.set(TOKEN_KEY, sandbox.token);
    const embedded = await startEmbedded();

    stub.reset();
    await exec("intercomKit.clearAccessToken");
    expect(stub.secrets.has(TOKEN_KEY)).toBe(false);
    const cleared = stub.record.messages.map((m) => m.text);

    stub.reset();
    script([]);
    const outcome = await exec<{ status: string }>("intercomKit.updateUser");
    expect(outcome.status).toBe("not-configured");
    expect(stub.record.messages).toMatchObject([{ level: "warning", actions: ["Set Access Token", "Start Sandbox"] }]);
    expect(stub.record.questions).toEqual([]);
    expect(sandbox.requests()).toEqual([]);
    expect(await reachable(embedded)).toBe(false);
    expect(cleared).toEqual([
      "Intercom access token removed from VS Code's secret storage. The in-host sandbox was stopped; Intercom: Start Sandbox starts a fresh one.",
    ]);
  });
});
