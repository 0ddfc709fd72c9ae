import { FIELDS, validateUpdateUserInput } from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import {
  type Answer,
  attributesFromText,
  checkStep,
  type ReviewAnswer,
  rawInputOf,
  runWizard,
  type StepPosition,
  type WizardState,
  type WizardStep,
  type WizardUi,
  wizardSteps,
} from "./steps.js";

const ids = (state: WizardState) => wizardSteps(FIELDS, state).map((s) => s.id);

/** A scripted person: answers by step id, records what each step was shown. */
function scripted(
  script: Array<[string, Answer | ((value: string) => Answer)]>,
  reviews: ReviewAnswer[] = ["confirm"],
) {
  const seen: Array<{ id: string; position: StepPosition; value: string }> = [];
  const reviewed: Array<{ ok: boolean; position: StepPosition }> = [];
  const queue = [...script];
  const ui: WizardUi = {
    ask: async (step: WizardStep, position, value) => {
      seen.push({ id: step.id, position, value });
      const next = queue.shift();
      if (!next) throw new Error(`no scripted answer for step ${step.id}`);
      const [expectId, answer] = next;
      if (expectId !== step.id) throw new Error(`expected step ${expectId}, got ${step.id}`);
      return typeof answer === "function" ? answer(value) : answer;
    },
    review: async (validation, position) => {
      reviewed.push({ ok: validation.ok, position });
      return reviews.shift() ?? "cancel";
    },
  };
  return { ui, seen, reviewed, left: () => queue.length };
}

const next = (value: string): Answer => ({ action: "next", value });
const empty = next("");

describe("wizardSteps", () => {
  it.each<[string, { state: WizardState; want: string[] }]>([
    [
      "before the identifier is chosen",
      {
        state: { values: {} },
        want: [
          "identifyBy",
          "name",
          "email",
          "phone",
          "unsubscribedFromEmails",
          "intercomCompanyId",
          "companyId",
          "customAttributes",
        ],
      },
    ],
    [
      "by user ID, no company",
      {
        state: { identifyBy: "userId", values: {} },
        want: [
          "identifyBy",
          "userId",
          "name",
          "email",
          "phone",
          "unsubscribedFromEmails",
          "intercomCompanyId",
          "companyId",
          "customAttributes",
        ],
      },
    ],
    [
      "with a company ID, name and spend are asked",
      {
        state: { identifyBy: "lookupEmail", values: { companyId: "366" } },
        want: [
          "identifyBy",
          "lookupEmail",
          "name",
          "email",
          "phone",
          "unsubscribedFromEmails",
          "intercomCompanyId",
          "companyId",
          "companyName",
          "companyMonthlySpend",
          "customAttributes",
        ],
      },
    ],
    [
      "an Intercom company id skips the company ID and its fields",
      {
        state: { identifyBy: "intercomId", values: { intercomCompanyId: "abc", companyId: "366" } },
        want: [
          "identifyBy",
          "intercomId",
          "name",
          "email",
          "phone",
          "unsubscribedFromEmails",
          "intercomCompanyId",
          "customAttributes",
        ],
      },
    ],
  ])("%s", (_name, { state, want }) => {
    expect(ids(state)).toEqual(want);
  });

  it("generates every change field of the table, in table order", () => {
    const all = wizardSteps(FIELDS, { identifyBy: "userId", values: { companyId: "x" } });
    const fromTable = FIELDS.filter((f) => f.group !== "identify").map((f) => f.key);
    expect(all.slice(2).map((s) => s.id)).toEqual(fromTable);
  });

  it("makes the email subscription a choice with the table's choices, and the identify step a pick", () => {
    const steps = wizardSteps(FIELDS, { values: {} });
    const unsub = steps.find((s) => s.id === "unsubscribedFromEmails");
    expect(unsub?.kind).toBe("choice");
    if (unsub?.kind !== "choice") throw new Error("unreachable");
    expect(unsub.items.map((i) => i.value).sort()).toEqual(["", "false", "true"]);
    const identify = steps[0];
    if (identify?.kind !== "identify") throw new Error("first step must be the identify pick");
    expect(identify.items.map((i) => i.label)).toEqual(["User ID", "Intercom ID", "Current email"]);
  });

  it("requires the identifier and nothing else", () => {
    const steps = wizardSteps(FIELDS, { identifyBy: "userId", values: {} });
    const required = steps.filter((s) => s.kind === "text" && s.required).map((s) => s.id);
    expect(required).toEqual(["userId"]);
  });
});

describe("checkStep (the domain's validation, inline)", () => {
  const state: WizardState = { identifyBy: "userId", values: { userId: "25" } };
  const step = (id: string) => {
    const s = wizardSteps(FIELDS, { ...state, values: { ...state.values, companyId: "c" } }).find((x) => x.id === id);
    if (!s) throw new Error(`no step ${id}`);
    return s;
  };
  it.each<[string, { id: string; text: string; want: RegExp | undefined }]>([
    ["a good email", { id: "email", text: "jane@example.com", want: undefined }],
    ["a bad email names the field", { id: "email", text: "jane@", want: /^New email must be a valid email address/ }],
    ["empty leaves a field unchanged", { id: "name", text: "", want: undefined }],
    ["empty identifier is refused", { id: "userId", text: "  ", want: /^Enter the User ID$/ }],
    ["a negative spend", { id: "companyMonthlySpend", text: "-3", want: /^Company monthly spend must be 0 or more/ }],
    ["spend as text", { id: "companyMonthlySpend", text: "lots", want: /must be a number/ }],
    ["attribute pairs", { id: "customAttributes", text: "plan=pro, seats=3", want: undefined }],
    ["a bad attribute name", { id: "customAttributes", text: "a.b=1", want: /must not contain "\." or "\$"/ }],
    ["an Intercom id with a slash", { id: "intercomCompanyId", text: "a/b", want: /must be an Intercom id/ }],
  ])("%s", (_name, { id, text, want }) => {
    const got = checkStep(
      FIELDS,
      { ...state, values: { ...state.values, companyId: "c" } },
      step(id),
      text,
      validateUpdateUserInput,
    );
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toMatch(want);
  });

  it("does not blame this box for another field's problem", () => {
    const bad: WizardState = { identifyBy: "userId", values: { userId: "25", email: "not-an-email" } };
    const nameStep = wizardSteps(FIELDS, bad).find((s) => s.id === "name") as WizardStep;
    expect(checkStep(FIELDS, bad, nameStep, "Jane", validateUpdateUserInput)).toBeUndefined();
  });
});

describe("rawInputOf and attributesFromText", () => {
  it("keeps only the chosen identifier and non-empty answers of steps still shown", () => {
    const state: WizardState = {
      identifyBy: "intercomId",
      values: {
        userId: "stale",
        intercomId: "abc",
        name: " ",
        email: "a@b.co",
        intercomCompanyId: "co1",
        companyName: "hidden",
      },
    };
    expect(rawInputOf(FIELDS, state)).toEqual({ intercomId: "abc", email: "a@b.co", intercomCompanyId: "co1" });
  });

  it.each<[string, { text: string; want: string | string[] }]>([
    ["pairs", { text: "plan=pro, seats=3", want: ["plan=pro", "seats=3"] }],
    [
      "a comma inside a value stays",
      { text: "motto=fast, cheap, good, seats=3", want: ["motto=fast, cheap, good", "seats=3"] },
    ],
    ["JSON passes through", { text: ' {"plan":"pro"} ', want: '{"plan":"pro"}' }],
  ])("%s", (_name, { text, want }) => {
    expect(attributesFromText(text)).toEqual(want);
  });

  it("turns pairs into typed attributes through the domain", () => {
    const raw = rawInputOf(FIELDS, {
      identifyBy: "userId",
      values: { userId: "25", customAttributes: "plan=pro, seats=3" },
    });
    const result = validateUpdateUserInput(raw);
    expect(result.ok && result.input.customAttributes).toEqual({ plan: "pro", seats: 3 });
  });
});

describe("runWizard", () => {
  it("walks the steps with a counter that includes the review, and returns the validated input", async () => {
    const p = scripted([
      ["identifyBy", next("userId")],
      ["userId", next("25")],
      ["name", next("Jane Doe")],
      ["email", empty],
      ["phone", empty],
      ["unsubscribedFromEmails", next("false")],
      ["intercomCompanyId", empty],
      ["companyId", next("366")],
      ["companyName", next("Serenity")],
      ["companyMonthlySpend", next("155")],
      ["customAttributes", empty],
    ]);
    const outcome = await runWizard(FIELDS, validateUpdateUserInput, p.ui);
    expect(outcome).toMatchObject({
      status: "confirmed",
      input: {
        userId: "25",
        name: "Jane Doe",
        unsubscribedFromEmails: false,
        companyId: "366",
        companyName: "Serenity",
        companyMonthlySpend: 155,
      },
    });
    expect(p.seen.map((s) => `${s.position.step}/${s.position.totalSteps}`)).toEqual([
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
    ]);
    expect(p.reviewed).toEqual([{ ok: true, position: { step: 12, totalSteps: 12 } }]);
    expect(p.left()).toBe(0);
  });

  it("Back keeps what was typed, on the step left and the one returned to", async () => {
    const p = scripted([
      ["identifyBy", next("userId")],
      ["userId", next("25")],
      ["name", { action: "back", value: "Jane half-typed" }],
      ["userId", (value) => (value === "25" ? next("26") : { action: "cancel" })],
      ["name", (value) => (value === "Jane half-typed" ? next("Jane") : { action: "cancel" })],
      ["email", empty],
      ["phone", empty],
      ["unsubscribedFromEmails", empty],
      ["intercomCompanyId", empty],
      ["companyId", empty],
      ["customAttributes", empty],
    ]);
    const outcome = await runWizard(FIELDS, validateUpdateUserInput, p.ui);
    expect(outcome).toMatchObject({ status: "confirmed", input: { userId: "26", name: "Jane" } });
  });

  it("Escape at any step cancels with nothing confirmed", async () => {
    const p = scripted([
      ["identifyBy", next("lookupEmail")],
      ["lookupEmail", next("joe@example.com")],
      ["name", { action: "cancel" }],
    ]);
    expect(await runWizard(FIELDS, validateUpdateUserInput, p.ui)).toEqual({ status: "cancelled" });
    expect(p.reviewed).toHaveLength(0);
  });

  it("a review with nothing to change cannot confirm; back from it returns to the last step", async () => {
    const p = scripted(
      [
        ["identifyBy", next("intercomId")],
        ["intercomId", next("abc")],
        ["name", empty],
        ["email", empty],
        ["phone", empty],
        ["unsubscribedFromEmails", empty],
        ["intercomCompanyId", empty],
        ["companyId", empty],
        ["customAttributes", empty],
        ["customAttributes", next("plan=pro")],
      ],
      ["confirm", "back", "confirm"],
    );
    const outcome = await runWizard(FIELDS, validateUpdateUserInput, p.ui);
    expect(p.reviewed.map((r) => r.ok)).toEqual([false, false, true]);
    expect(outcome).toMatchObject({
      status: "confirmed",
      input: { intercomId: "abc", customAttributes: { plan: "pro" } },
    });
  });

  it("refuses a value the UI let through without validating", async () => {
    const p = scripted([
      ["identifyBy", next("userId")],
      ["userId", next("")],
      ["userId", { action: "cancel" }],
    ]);
    expect(await runWizard(FIELDS, validateUpdateUserInput, p.ui)).toEqual({ status: "cancelled" });
  });

  it("does not mutate the initial state", async () => {
    const initial: WizardState = { identifyBy: "userId", values: { userId: "25" } };
    const frozen = JSON.stringify(initial);
    const p = scripted([
      ["identifyBy", next("intercomId")],
      ["intercomId", { action: "cancel" }],
    ]);
    await runWizard(FIELDS, validateUpdateUserInput, p.ui, initial);
    expect(JSON.stringify(initial)).toBe(frozen);
    expect(p.seen[0]?.value).toBe("userId");
  });
});
