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
/** Labels from the domain's field table, as the extension's steps use them. */
const labelOf = (key: string) => FIELDS.find((f) => f.key === key)?.label ?? key;
const choiceOf = (key: string, value: string) =>
  FIELDS.find((f) => f.key === key)?.choices?.find((c) => c.value === value)?.label ?? value;
const byUserId = pick(labelOf("userId"));
const byIntercomId = pick(labelOf("intercomId"));
const byEmail = pick(labelOf("lookupEmail"));
const subscribed = pick(choiceOf("unsubscribedFromEmails", "false"));
/** Ticks exactly these entries of "what to change" (group or field labels), then accepts. */
const change =
  (...labels: string[]) =>
  () =>
    ({ type: "select", labels }) as Reply;
const confirm = pick("$(check) Update the user");
const pressEscape = () => ({ type: "escape" }) as Reply;
/** A name change: the five answers a person gives. */
const rename = (by: () => Reply, id: string, name: string) => [
  by,
  type(id),
  change(labelOf("name")),
  type(name),
  confirm,
];

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

/** Waits (briefly) for what a notification's button starts, which the command does not wait for. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
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
  stub.cancelProgressWhen = undefined;
  sandbox.clearRequests();
  run += 1;
});

describe("activation", () => {
  it("only registers the five commands and the result document provider; no channel, no calls", () => {
    const commands = stub.vscode.commands as { registered(): string[] };
    expect(commands.registered().sort()).toEqual([
      "intercomKit.clearAccessToken",
      "intercomKit.setAccessToken",
      "intercomKit.showLastResult",
      "intercomKit.startSandbox",
      "intercomKit.updateUser",
    ]);
    expect(context.subscriptions.length).toBeGreaterThanOrEqual(7);
    expect(stub.record.outputChannels).toBe(0);
    expect(sandbox.requests()).toHaveLength(0);
  });
});

describe("Set / Clear Access Token", () => {
  it("keeps the token in secret storage only, asked in a password box, and offers to check it", async () => {
    stub.chooseAction = (m) => (m.actions.includes("Check Token") ? "Check Token" : undefined);
    script([type(sandbox.token)]);
    await exec("intercomKit.setAccessToken");
    expect(stub.secrets.get(TOKEN_KEY)).toBe(sandbox.token);
    expect(stub.record.questions[0]).toMatchObject({ kind: "input", password: true });
    await until(() => stub.record.messages.length >= 2);
    expect(stub.record.messages.map((m) => m.text)).toEqual([
      `Intercom access token saved in VS Code's secret storage. Intercom: Update User now talks to Custom server ${sandbox.url} (the intercomKit.baseUrl setting).`,
      `Custom server ${sandbox.url} accepted the access token.`,
    ]);
    expect(stub.record.messages[0]?.actions).toEqual(["Check Token"]);
    expect(stub.record.progress.map((p) => p.title)).toEqual([
      `Checking the access token with Custom server ${sandbox.url}…`,
    ]);
    await exec("intercomKit.clearAccessToken");
    expect(stub.secrets.has(TOKEN_KEY)).toBe(false);
    expect(everythingShown().replace(JSON.stringify(stub.record.questions), "")).not.toContain(sandbox.token);
  });

  it("a token the server rejects is said so, with Set Access Token to try again", async () => {
    stub.chooseAction = (m) => (m.actions.includes("Check Token") ? "Check Token" : undefined);
    script([type(`wrong-${unique}`)]);
    await exec("intercomKit.setAccessToken");
    await until(() => stub.record.messages.length >= 2);
    expect(stub.record.messages[1]).toMatchObject({ level: "error", actions: ["Set Access Token"] });
    expect(stub.record.messages[1]?.text).toMatch(
      /^Custom server http:\/\/127\.0\.0\.1:\d+ did not accept the access token: Intercom rejected the access token/,
    );
    expect(everythingShown().replace(JSON.stringify(stub.record.questions), "")).not.toContain(`wrong-${unique}`);
  });
});

describe("Update User against the sandbox", () => {
  beforeEach(() => {
    stub.secrets.set(TOKEN_KEY, sandbox.token);
  });

  it("a name change in five answers: looked up after the ID, current value shown, reviewed, updated, the result opened", async () => {
    const name = `Jane Bundle ${unique}-${run}`;
    script(rename(byUserId, SEED.user.externalId, name));
    const outcome = await exec<{ status: string }>("intercomKit.updateUser");
    expect(outcome.status).toBe("updated");
    expect(sandbox.state.findByExternalId(SEED.user.externalId)).toMatchObject({ name });

    // The steps: looked up right after the ID; a total that counts the review.
    const q = stub.record.questions;
    expect(q.map((x) => `${x.step}/${x.totalSteps}`)).toEqual(["1/4", "2/4", "3/4", "4/5", "5/5"]);
    expect(stub.record.progress[0]?.title).toBe(
      `Looking up User ID ${SEED.user.externalId} on Custom server ${sandbox.url}…`,
    );
    expect(q[2]).toMatchObject({
      kind: "pick",
      many: true,
      title: `Intercom: Update User: what to change for ${SEED.user.name} <${SEED.user.email}>`,
    });
    expect(q[3]).toMatchObject({ kind: "input", placeholder: `Current: ${SEED.user.name}` });
    const review = q[4];
    if (review?.kind !== "pick") throw new Error("the last prompt must be the review");
    expect(review.labels).toContain("Name");
    expect(review.descriptions).toContain(`${SEED.user.name} -> ${name}`);
    expect(review.labels.some((l) => l.startsWith("PUT    /contacts/"))).toBe(true);

    // The result document: named after the user, every output field.
    expect(stub.record.documents).toHaveLength(1);
    const doc = stub.record.documents[0]!;
    expect(doc.uri).toBe(`intercom-kit:/${name} (intercom user).json`);
    const user = JSON.parse(doc.text) as Record<string, unknown>;
    expect(Object.keys(user).sort()).toEqual([...OUTPUT_KEYS].sort());
    expect(user).toMatchObject({ type: "user", user_id: SEED.user.externalId, name });

    const info = stub.record.messages.filter((m) => m.level === "info").map((m) => m.text);
    expect(info).toEqual([`Updated ${name} <${SEED.user.email}>: user updated (name).`]);
    expect(stub.record.log.some((l) => /^info PUT \/contacts\/\S+ → 200, \d+ ms, request id \S+/.test(l))).toBe(true);
    expect(stub.record.log.join("\n")).not.toMatch(/"(name|email)"\s*:/); // no request or response bodies
    expect(everythingShown()).not.toContain(sandbox.token);

    // Show Last Result opens it again.
    stub.reset();
    expect(await exec("intercomKit.showLastResult")).toBe(true);
    expect(stub.record.documents.map((d) => d.uri)).toEqual([doc.uri]);
  });

  it("an unknown user: asked again for the ID with the domain's error, answers kept; nothing written", async () => {
    const unknown = `no-such-user-${unique}`;
    script([
      byUserId,
      type(unknown),
      (q) => {
        expect(q).toMatchObject({ kind: "input", value: unknown, step: 2 });
        expect(q.kind === "input" && q.validationMessage).toMatch(
          new RegExp(`^No user has user ID ${unknown}\\. Check the value`),
        );
        expect(q.kind === "input" && q.validationMessage).not.toMatch(/--[a-z]/);
        return { type: "back" };
      },
      (q) => {
        expect(q).toMatchObject({ kind: "pick", active: labelOf("userId") });
        return { type: "escape" };
      },
    ]);
    const outcome = await exec<{ status: string }>("intercomKit.updateUser");
    expect(outcome.status).toBe("cancelled");
    expect(stub.record.messages).toEqual([]);
    expect(sandbox.requests().filter((r) => r.method !== "GET" && r.path !== "/contacts/search")).toEqual([]);
    expect(stub.record.documents).toHaveLength(0);
  });

  it("an email two users share: the person picks one and that one is updated", async () => {
    const name = `Picked ${unique}`;
    const [, second] = SEED.sharedEmailContactIds;
    script([
      byEmail,
      type(SEED.sharedEmail),
      (q) => {
        expect(q).toMatchObject({
          kind: "pick",
          title: "Intercom: Update User: 2 users have this email; pick one",
          step: 2,
        });
        const label = q.kind === "pick" ? q.labels.find((l) => l.includes("Sasha Shared")) : undefined;
        return { type: "pick", label: label ?? "?" };
      },
      change(labelOf("name")),
      type(name),
      confirm,
    ]);
    expect((await exec<{ status: string }>("intercomKit.updateUser")).status).toBe("updated");
    expect(sandbox.state.getContact(second as string)).toMatchObject({ name });
  });

  it("a stalled lookup says why it waits and can be cancelled: back to the ID, then Escape; nothing written", async () => {
    stub.settings["intercomKit.timeoutSeconds"] = 0.2;
    stub.cancelProgressWhen = /retrying in/;
    sandbox.setFaults([{ path: "/contacts/*", latencyMs: 3000 }]);
    try {
      script([
        byUserId,
        type("25"),
        (q) => {
          expect(q.kind === "input" && q.validationMessage).toMatch(/^Lookup cancelled; nothing was changed\./);
          return { type: "escape" };
        },
      ]);
      expect((await exec<{ status: string }>("intercomKit.updateUser")).status).toBe("cancelled");
      expect(stub.record.progress[0]?.messages).toContainEqual(
        expect.stringMatching(
          /^GET \/contacts\/find_by_external_id\/25: no answer within 0\.2 s, retrying in [\d.]+ s \(attempt 2 of 3\)$/,
        ),
      );
    } finally {
      sandbox.setFaults([]);
    }
  });

  it("a failed write is an error notification with Show details, which opens the log", async () => {
    stub.chooseAction = (m) => (m.actions.includes("Show details") ? "Show details" : undefined);
    sandbox.setFaults([{ method: "PUT", path: "/contacts/:id", status: 503 }]);
    try {
      script(rename(byUserId, SEED.plainUser.externalId, `Never ${unique}`));
      const outcome = await exec<{ status: string; error?: { kind: string } }>("intercomKit.updateUser");
      expect(outcome.status).toBe("failed");
      const errors = stub.record.messages.filter((m) => m.level === "error");
      expect(errors).toHaveLength(1);
      expect(errors[0]?.text).toMatch(/^Intercom had a server problem \(503\)/);
      expect(errors[0]?.actions).toEqual(["Show details"]);
      await until(() => stub.record.logShown === 1);
      expect(stub.record.log.some((l) => l.startsWith(`error failed: ${outcome.error?.kind}`))).toBe(true);
      expect(stub.record.documents).toHaveLength(0);
    } finally {
      sandbox.setFaults([]);
    }
  });

  it("Escape cancels without a single write", async () => {
    script([byIntercomId, type(SEED.user.id), pressEscape]);
    const before = JSON.stringify(sandbox.state.getContact(SEED.user.id));
    const outcome = await exec<{ status: string }>("intercomKit.updateUser");
    expect(outcome.status).toBe("cancelled");
    expect(sandbox.requests().filter((r) => r.method !== "GET")).toEqual([]);
    expect(JSON.stringify(sandbox.state.getContact(SEED.user.id))).toBe(before);
    expect(stub.record.messages).toEqual([]);
  });

  it("Cancel on the update's progress while the write is in flight: said honestly (it may have been made), no result", async () => {
    stub.cancelProgressWhen = /^Update the user/;
    sandbox.setFaults([{ method: "PUT", path: "/contacts/:id", latencyMs: 300 }]);
    try {
      script([
        byIntercomId,
        type(SEED.user.id),
        change(labelOf("name"), labelOf("unsubscribedFromEmails")),
        type(`Cancelled ${unique}`),
        subscribed,
        confirm,
      ]);
      const outcome = await exec<{ status: string; error?: { kind: string; unknown?: string[] } }>(
        "intercomKit.updateUser",
      );
      expect(outcome).toMatchObject({ status: "failed", error: { kind: "aborted", unknown: ["update"] } });
      expect(stub.record.messages).toMatchObject([{ level: "error", actions: ["Show details"] }]);
      expect(stub.record.messages[0]?.text).toBe(
        "Cancelled while a change was being sent. Running the same update again is safe and finishes it; or look the user up to see where it stopped.",
      );
      expect(stub.record.documents).toEqual([]);
      // The server got the PUT before the cancel: it is applied, which is why the message could not say otherwise.
      await until(() => sandbox.requests().some((r) => r.method === "PUT"));
    } finally {
      sandbox.setFaults([]);
    }
  });

  it("Cancel on the lookup's progress: back at the ID with what happened, then Escape; nothing written", async () => {
    stub.cancelProgress = true; // the person clicks Cancel as soon as the lookup shows
    script([
      byIntercomId,
      type(SEED.user.id),
      (q) => {
        expect(q.kind === "input" && q.validationMessage).toMatch(/^Lookup cancelled/);
        return { type: "escape" };
      },
    ]);
    expect((await exec<{ status: string }>("intercomKit.updateUser")).status).toBe("cancelled");
    expect(sandbox.requests().filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("a bad setting is refused before anything is asked, naming the setting, with Open Settings", async () => {
    stub.settings["intercomKit.baseUrl"] = "http://example.com";
    script([]);
    const outcome = await exec<{ status: string }>("intercomKit.updateUser");
    expect(outcome.status).toBe("not-configured");
    expect(stub.record.messages[0]).toMatchObject({ level: "error", actions: ["Open Settings"] });
    expect(stub.record.messages[0]!.text).toMatch(/^the intercomKit\.baseUrl setting: .*http/);
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
    script(rename(byUserId, "25", name));
    sandbox.clearRequests();
    const outcome = await exec<{ status: string; user: { name: string } }>("intercomKit.updateUser");
    expect(stub.record.messages[0]).toMatchObject({ level: "warning", actions: ["Set Access Token", "Start Sandbox"] });
    expect(stub.record.messages[1]?.text).toMatch(/^Intercom sandbox running at http:\/\/127\.0\.0\.1:\d+/);
    expect(outcome).toMatchObject({ status: "updated", user: { name } });
    expect(stub.record.progress[0]?.title).toBe("Looking up User ID 25 on Embedded sandbox…");
    // The test's own sandbox wrote nothing (a late read left over from an earlier test may still arrive there): the
    // embedded one was used.
    expect(sandbox.requests().filter((r) => r.method !== "GET")).toEqual([]);
    expect(sandbox.state.getContact(SEED.user.id)?.name).not.toBe(name);
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

  const renameUser25 = (name: string) => script(rename(byUserId, SEED.user.externalId, name));

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
      `Intercom access token saved in VS Code's secret storage. Intercom: Update User now talks to Custom server ${sandbox.url} (the intercomKit.baseUrl setting). The in-host sandbox was stopped; Intercom: Start Sandbox starts a fresh one.`,
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
