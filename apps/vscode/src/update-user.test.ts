import {
  createIntercomClient,
  describeChanges,
  FIELDS,
  lookupUser,
  planUpdate,
  updateUser,
  validateUpdateUserInput,
} from "@intercom-kit/domain";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer, ReviewAnswer, WizardStep } from "./steps.js";
import { type DomainApi, type Host, type ReviewContent, runUpdateUser } from "./update-user.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});

const domain: DomainApi = {
  fields: FIELDS,
  validate: validateUpdateUserInput,
  planUpdate,
  lookupUser: (c, i, o) => lookupUser(c, i, o),
  describeChanges,
  updateUser: (c, i, o) => updateUser(c, i, o),
  createClient: createIntercomClient,
};

/** A Host without VS Code: answers by step id, reviews from a list, records what it was asked to show. */
function fakeHost(answers: Record<string, string>, verdicts: ReviewAnswer[]) {
  const shown = {
    reviews: [] as ReviewContent[],
    info: [] as string[],
    errors: [] as string[],
    results: [] as string[],
  };
  const host: Host = {
    settings: () => ({ baseUrl: sandbox.url }),
    credentials: async () => ({ token: sandbox.token }),
    offerSetup: async () => false,
    ask: async (step: WizardStep, _position, value): Promise<Answer> => {
      const answer = answers[step.id] ?? value;
      return { action: "next", value: answer };
    },
    busy: (_title, task) => task(),
    review: async (content) => {
      shown.reviews.push(content);
      return verdicts.shift() ?? "cancel";
    },
    progress: (_title, task) => task(() => {}, new AbortController().signal),
    showResult: async (_name, json) => void shown.results.push(json),
    info: (m) => void shown.info.push(m),
    error: async (m) => {
      shown.errors.push(m);
      return undefined;
    },
    showLog: () => {},
    openSettings: () => {},
    setToken: async () => {},
    log: { info: () => {}, warn: () => {}, error: () => {} },
  };
  return { host, shown };
}

describe("runUpdateUser (the service, no VS Code)", () => {
  it("looks the user up once however often the review is revisited with the same answers", async () => {
    sandbox.clearRequests();
    const name = `Service ${Date.now()}`;
    const { host, shown } = fakeHost({ identifyBy: "userId", userId: SEED.plainUser.externalId, name }, [
      "back",
      "back",
      "confirm",
    ]);
    const outcome = await runUpdateUser(host, domain, { next: () => 1 });
    expect(outcome.status).toBe("updated");
    expect(shown.reviews).toHaveLength(3);
    const finds = sandbox.requests().filter((r) => r.path.startsWith("/contacts/find_by_external_id/"));
    expect(finds).toHaveLength(2); // one lookup for the three reviews, one inside the update
    expect(shown.reviews[0]).toMatchObject({
      kind: "ready",
      changes: [{ label: "Name", description: expect.stringContaining(name) }],
    });
    expect(JSON.parse(shown.results[0] ?? "{}")).toMatchObject({ name, user_id: SEED.plainUser.externalId });
  });

  it("a review of answers that change nothing lists the problem and cannot confirm", async () => {
    const { host, shown } = fakeHost({ identifyBy: "intercomId", intercomId: SEED.user.id }, ["confirm", "cancel"]);
    const outcome = await runUpdateUser(host, domain, { next: () => 1 });
    expect(outcome.status).toBe("cancelled");
    expect(shown.reviews[0]?.kind).toBe("invalid");
    expect(shown.reviews[0]?.kind === "invalid" && shown.reviews[0].errors.join("\n")).toMatch(/nothing to change/);
    expect(shown.results).toEqual([]);
  });
});
