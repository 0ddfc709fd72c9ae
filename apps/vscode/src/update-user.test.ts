import { createIntercomClient, FIELDS, type FieldKey } from "@intercom-kit/domain";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ExtensionSettings } from "./config.js";
import type { Answer, ReviewAnswer, ReviewInput, WizardStep } from "./steps.js";
import { checkToken, type Host, type LastResult, runUpdateUser } from "./update-user.js";

let sandbox: Sandbox;
let clock = Date.parse("2026-01-01T00:00:00Z");
beforeAll(async () => {
  sandbox = await startSandbox({ now: () => clock });
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(() => {
  sandbox.reset();
  sandbox.setFaults([]);
  clock += 10_000;
});

interface Script {
  /** Answers by step id, in order (a step asked twice takes the next answer). */
  answers: Record<string, Array<string | Answer>>;
  changes?: FieldKey[];
  candidate?: number;
  verdicts?: ReviewAnswer[];
  /** The person presses Cancel on the progress notification once it shows this. */
  cancelWhen?: RegExp;
  settings?: ExtensionSettings;
  token?: string;
  onReview?: (input: ReviewInput) => Promise<void> | void;
}

/** A Host without VS Code: answers from a script, records what it was asked to show. */
function fakeHost(script: Script) {
  const shown = {
    asked: [] as Array<{ id: string; value: string; failure?: string; current?: string | null; total: number }>,
    reviews: [] as ReviewInput[],
    candidates: [] as string[][],
    found: [] as string[][],
    progress: [] as Array<{ title: string; messages: string[] }>,
    info: [] as string[],
    errors: [] as string[],
    results: [] as LastResult[],
    log: [] as string[],
    offers: 0,
  };
  const queues = Object.fromEntries(Object.entries(script.answers).map(([k, v]) => [k, [...v]]));
  const verdicts = [...(script.verdicts ?? ["confirm"])];
  const host: Host = {
    settings: () => script.settings ?? { baseUrl: sandbox.url, timeoutSeconds: 20 },
    readToken: async () => script.token ?? sandbox.token,
    slot: {},
    offerSetup: async () => {
      shown.offers += 1;
      return false;
    },
    ui: {
      ask: async (step: WizardStep, position, value, check, failure) => {
        shown.asked.push({
          id: step.id,
          value,
          total: position.totalSteps,
          ...(failure ? { failure: failure.kind } : {}),
          ...(step.kind !== "identify" ? { current: step.current } : {}),
        });
        const next = queues[step.id]?.shift();
        if (next === undefined) return { action: "cancel" };
        if (typeof next !== "string") return next;
        if (check(next) !== undefined) throw new Error(`refused ${step.id}=${next}: ${check(next)}`);
        return { action: "next", value: next };
      },
      chooseChanges: async (_choices, _position, _chosen, found) => {
        shown.found.push([found?.user.id ?? "", ...(found?.notes ?? [])]);
        return script.changes ? { action: "next", keys: script.changes } : { action: "cancel" };
      },
      pickCandidate: async (candidates) => {
        shown.candidates.push(candidates.map((c) => c.id));
        const c = script.candidate === undefined ? undefined : candidates[script.candidate];
        return c ? { action: "next", id: c.id } : { action: "cancel" };
      },
      review: async (input) => {
        shown.reviews.push(input);
        await script.onReview?.(input);
        return verdicts.shift() ?? "cancel";
      },
    },
    progress: async (title, task) => {
      const entry = { title, messages: [] as string[] };
      shown.progress.push(entry);
      const controller = new AbortController();
      return task((m) => {
        entry.messages.push(m);
        if (script.cancelWhen?.test(m)) controller.abort();
      }, controller.signal);
    },
    showResult: async (name, json) => void shown.results.push({ name, json }),
    info: (m) => void shown.info.push(m),
    error: async (m) => {
      shown.errors.push(m);
      return undefined;
    },
    showLog: () => {},
    openSettings: () => {},
    setToken: async () => {},
    startSandbox: async () => {},
    log: {
      info: (m) => void shown.log.push(m),
      warn: (m) => void shown.log.push(m),
      error: (m) => void shown.log.push(m),
    },
  };
  return { host, shown };
}

const run = (host: Host, remember?: (r: LastResult) => void) =>
  runUpdateUser(host, { fields: FIELDS, ...(remember ? { remember } : {}) });

describe("Update User, the service against the sandbox (no VS Code)", () => {
  it("looks the user up right after the identifier, shows current values, reviews prepareUpdate's plan, applies exactly it", async () => {
    const { host, shown } = fakeHost({
      answers: {
        identifyBy: ["userId"],
        userId: [SEED.user.externalId],
        name: ["Joe Renamed"],
        phone: ["+1 555 0100"],
      },
      changes: ["name", "phone"],
    });
    let last: LastResult | undefined;
    const outcome = await run(host, (r) => {
      last = r;
    });
    expect(outcome.status).toBe("updated");
    expect(shown.progress.map((p) => p.title)).toEqual([
      `Looking up User ID 25 on Custom server ${sandbox.url}…`,
      `Checking the update with Custom server ${sandbox.url}…`,
      `Updating the user on Custom server ${sandbox.url}…`,
    ]);
    expect(shown.progress[0]?.messages[0]).toMatch(/^Find the user/);
    expect(shown.asked.find((a) => a.id === "name")?.current).toBe(SEED.user.name);
    const review = shown.reviews[0];
    if (review?.kind !== "ready") throw new Error(JSON.stringify(review));
    expect(review.plan.changes.map((c) => [c.label, c.current, c.next, c.changed])).toEqual([
      ["Name", SEED.user.name, "Joe Renamed", true],
      ["Phone", expect.anything(), "+1 555 0100", true],
    ]);
    // The lookup's contact was used: the review read nothing more; the update wrote once.
    const writes = sandbox.requests().filter((r) => r.method !== "GET" && r.path !== "/contacts/search");
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /contacts/${SEED.user.id}`]);
    expect(sandbox.state.getContact(SEED.user.id)).toMatchObject({ name: "Joe Renamed", phone: "+1 555 0100" });
    expect(last?.name).toBe("Joe Renamed (intercom user).json");
    expect(JSON.parse(last?.json ?? "{}")).toMatchObject({ name: "Joe Renamed", user_id: "25" });
    expect(shown.results).toEqual([last]);
    expect(shown.info[0]).toMatch(/^Updated Joe Renamed <joe@example\.com>: user updated \(name, phone\)\./);
  });

  it("an unknown user: back to the identifier with the domain's error, every answer kept; nothing written", async () => {
    const { host, shown } = fakeHost({
      answers: { identifyBy: ["userId"], userId: ["no-such-user", SEED.plainUser.externalId], name: ["Found At Last"] },
      changes: ["name"],
    });
    expect((await run(host)).status).toBe("updated");
    const ids = shown.asked.filter((a) => a.id === "userId");
    expect(ids.map((a) => [a.value, a.failure])).toEqual([
      ["", undefined],
      ["no-such-user", "not_found"],
    ]);
    expect(sandbox.state.findByExternalId(SEED.plainUser.externalId)).toMatchObject({ name: "Found At Last" });
  });

  it("an email two users share: the person picks one, and that user is updated by Intercom ID", async () => {
    const { host, shown } = fakeHost({
      answers: { identifyBy: ["lookupEmail"], lookupEmail: [SEED.sharedEmail], name: ["Picked Second"] },
      changes: ["name"],
      candidate: 1,
    });
    expect((await run(host)).status).toBe("updated");
    expect(shown.candidates).toEqual([[...SEED.sharedEmailContactIds]]);
    const [first, second] = SEED.sharedEmailContactIds;
    expect(sandbox.state.getContact(second as string)).toMatchObject({ name: "Picked Second" });
    expect(sandbox.state.getContact(first as string)).not.toMatchObject({ name: "Picked Second" });
    const review = shown.reviews[0];
    expect(review?.kind === "ready" && review.plan.input).toEqual({ intercomId: second, name: "Picked Second" });
  });

  it("a stalled lookup says why it waits (the domain's request line) and can be cancelled: back to the identifier", async () => {
    sandbox.setFaults([{ path: "/contacts/*", latencyMs: 5000 }]);
    const { host, shown } = fakeHost({
      answers: { identifyBy: ["userId"], userId: ["25"] },
      settings: { baseUrl: sandbox.url, timeoutSeconds: 0.2 },
      cancelWhen: /retrying in/,
    });
    const started = Date.now();
    expect((await run(host)).status).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(4000);
    expect(shown.progress[0]?.messages).toContainEqual(
      expect.stringMatching(
        /^GET \/contacts\/find_by_external_id\/25: no answer within 0\.2 s, retrying in [\d.]+ s \(attempt 2 of 3\)$/,
      ),
    );
    expect(shown.asked.filter((a) => a.id === "userId").map((a) => [a.value, a.failure])).toEqual([
      ["", undefined],
      ["25", "aborted"],
    ]);
    expect(shown.reviews).toEqual([]);
  });

  it("the review is a gate: nothing to change is said and cannot be confirmed; nothing is written", async () => {
    const { host, shown } = fakeHost({
      answers: { identifyBy: ["userId"], userId: ["25"], name: [SEED.user.name] },
      changes: ["name"],
      verdicts: ["confirm", "cancel"],
    });
    expect((await run(host)).status).toBe("cancelled");
    expect(shown.reviews).toHaveLength(2);
    expect(shown.reviews[0]?.kind === "ready" && shown.reviews[0].plan.unchanged).toBe(true);
    expect(sandbox.requests().filter((r) => r.method === "PUT")).toEqual([]);
  });

  it("the review shows every problem the pre-flight found at once (a taken email), nothing written", async () => {
    const taken = sandbox.state.findByExternalId(SEED.plainUser.externalId) as { email: string };
    const { host, shown } = fakeHost({
      answers: { identifyBy: ["userId"], userId: ["25"], email: [taken.email] },
      changes: ["email"],
      verdicts: ["confirm", "cancel"],
    });
    expect((await run(host)).status).toBe("cancelled");
    const review = shown.reviews[0];
    if (review?.kind !== "problems") throw new Error(JSON.stringify(review));
    expect(review.error.kind).toBe("conflict");
    expect(review.error.problems?.map((p) => p.field)).toEqual(["email"]);
    expect(review.creatable).toBe(false);
    expect(sandbox.requests().filter((r) => r.method === "PUT")).toEqual([]);
  });

  it("a user changed elsewhere after the review is not overwritten: stale, then reviewed again as they are now", async () => {
    let changedElsewhere = false;
    const { host, shown } = fakeHost({
      answers: { identifyBy: ["userId"], userId: ["25"], name: ["Mine"] },
      changes: ["name"],
      verdicts: ["confirm", "cancel"],
      onReview: async () => {
        if (changedElsewhere) return;
        changedElsewhere = true;
        clock += 5000;
        const client = createIntercomClient({ token: sandbox.token, baseUrl: sandbox.url });
        await client.updateContact(SEED.user.id, { phone: "+44 20 0000" });
      },
    });
    expect((await run(host)).status).toBe("cancelled");
    expect(shown.info[0]).toMatch(/^The user changed after the plan was made/);
    expect(shown.reviews).toHaveLength(2);
    expect(sandbox.state.getContact(SEED.user.id)).toMatchObject({ name: SEED.user.name, phone: "+44 20 0000" });
  });

  it("a merged user (API 2.16) is followed to the contact it was merged into, and the person is told before choosing", async () => {
    const { host, shown } = fakeHost({
      answers: { identifyBy: ["userId"], userId: [SEED.merged.externalId] },
      settings: { baseUrl: sandbox.url, apiVersion: "2.16" },
    });
    expect((await run(host)).status).toBe("cancelled");
    expect(shown.found).toEqual([
      [SEED.merged.mergedIntoId, expect.stringContaining(`was merged into ${SEED.merged.mergedIntoId}`)],
    ]);
  });

  it("an unreachable server: back to the identifier with the domain's network error", async () => {
    const closed = await startSandbox();
    const url = closed.url;
    await closed.stop();
    const { host, shown } = fakeHost({
      answers: { identifyBy: ["userId"], userId: ["25"] },
      settings: { baseUrl: url, timeoutSeconds: 2 },
    });
    expect((await run(host)).status).toBe("cancelled");
    expect(shown.asked.filter((a) => a.id === "userId").map((a) => a.failure)).toEqual([undefined, "network"]);
  });

  it("no token: the person is offered to set one or start the sandbox; declining ends it with nothing asked", async () => {
    const { host, shown } = fakeHost({ answers: {}, token: "" });
    expect(await run(host)).toEqual({ status: "not-configured" });
    expect(shown.offers).toBe(1);
    expect(shown.asked).toEqual([]);
  });

  it("a bad setting is the domain's error naming the setting, before anything is asked", async () => {
    const { host, shown } = fakeHost({ answers: {}, settings: { apiVersion: "2.17", baseUrl: sandbox.url } });
    expect((await run(host)).status).toBe("not-configured");
    expect(shown.errors[0]).toMatch(/^the intercomKit\.apiVersion setting: The Intercom API version must be one of/);
    expect(shown.asked).toEqual([]);
  });
});

describe("checkToken: one search says whether the back end accepts the token", () => {
  it("accepted, rejected, and a server that is not Intercom's API is not taken for acceptance", async () => {
    const client = (token: string, baseUrl = sandbox.url) => createIntercomClient({ token, baseUrl, maxRetries: 0 });
    expect(await checkToken(client(sandbox.token))).toEqual({ ok: true });
    expect(sandbox.requests().map((r) => `${r.method} ${r.path}`)).toEqual(["POST /contacts/search"]);
    const rejected = await checkToken(client("wrong"));
    expect(rejected).toMatchObject({ ok: false, rejected: true, error: { kind: "unauthorized" } });
    const notIntercom = await checkToken(client(sandbox.token, `${sandbox.url}/nothing-here`));
    expect(notIntercom).toMatchObject({ ok: false, rejected: false });
  });
});
