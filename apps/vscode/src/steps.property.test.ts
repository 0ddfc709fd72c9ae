import {
  type Contact,
  FIELDS,
  type FieldKey,
  type PreparedUpdate,
  toUserOutput,
  type UpdateUserInput,
  validateUpdateUserInput,
} from "@intercom-kit/domain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Answer,
  type ChoiceAnswer,
  changeChoices,
  chosenKeys,
  type ReviewAnswer,
  rawInputOf,
  runWizard,
  totalSteps,
  type WizardServices,
  type WizardState,
  type WizardUi,
} from "./steps.js";

const V = "2.15";
const texts = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "25",
    "abc",
    "jane@example.com",
    "not-an-email",
    "-1",
    "155.98",
    "plan=pro",
    "a.b=1",
    "true",
    "2024-05-01",
    "https://x.example/a.png",
  ),
  fc.string({ maxLength: 12 }),
);
/** A person who answers at random (text, Back with text, now and then Escape) for a while, then plainly. */
const moves = fc.array(
  fc.oneof(
    { weight: 12, arbitrary: texts.map((value): Answer => ({ action: "next", value })) },
    { weight: 4, arbitrary: texts.map((value): Answer => ({ action: "back", value })) },
    { weight: 1, arbitrary: fc.constant<Answer>({ action: "cancel" }) },
  ),
  { maxLength: 30 },
);
const choiceIds = changeChoices(FIELDS, V).map((c) => c.id);
const choiceMoves = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.subarray(choiceIds).map((ids) => ({ action: "next", ids }) as const) },
    { weight: 1, arbitrary: fc.constant({ action: "back" } as const) },
  ),
  { maxLength: 4 },
);
const reviews = fc.array(fc.constantFrom<ReviewAnswer>("confirm", "back", "create"), { maxLength: 4 });
const PLAIN: Record<string, string> = { userId: "25", intercomId: "abc", lookupEmail: "joe@example.com" };
const joe = {
  type: "contact",
  id: "abc",
  external_id: "25",
  email: "joe@example.com",
  name: "Joe",
  role: "user",
} as unknown as Contact;
const plan = (input: UpdateUserInput): PreparedUpdate => ({
  input,
  apiVersion: V,
  identifyBy: "userId",
  contactId: "abc",
  current: null,
  currentUpdatedAt: null,
  contact: null,
  changes: [],
  lookups: [],
  calls: [],
  roundTrips: 1,
  notes: [],
  unchanged: false,
});
const services: WizardServices = {
  validate: validateUpdateUserInput,
  apiVersion: V,
  lookup: async () => ({
    ok: true,
    contact: joe,
    user: toUserOutput({ contact: joe, companies: [], tags: null, segments: null }),
    notes: [],
  }),
  prepare: async (input) => ({ ok: true, plan: plan(input) }),
};

interface Run {
  ui: WizardUi;
  shown: Set<string>;
  /** "step/total" of every prompt after the first choice of what to change, with the choice in force. */
  totals: Array<{ chosen: string; total: number }>;
  confirmsOffered: number;
}

function person(
  script: Answer[],
  choices: Array<{ action: "next"; ids: string[] } | { action: "back" }>,
  verdicts: ReviewAnswer[],
  by: string,
): Run {
  const queue = [...script];
  const picks = [...choices];
  const all = changeChoices(FIELDS, V);
  let chosen = "";
  const run: Run = {
    shown: new Set(),
    totals: [],
    confirmsOffered: 0,
    ui: {
      ask: async (step, position) => {
        run.shown.add(step.id);
        if (chosen !== "") run.totals.push({ chosen, total: position.totalSteps });
        if (step.kind === "identify") return { action: "next", value: by };
        if (step.kind === "choice") return { action: "next", value: step.items[1]?.value ?? "" };
        return queue.shift() ?? { action: "next", value: PLAIN[step.id] ?? "" };
      },
      chooseChanges: async (): Promise<ChoiceAnswer> => {
        const pick = picks.shift() ?? { action: "next", ids: ["field:name"] };
        if (pick.action === "back") return pick;
        const keys = chosenKeys(all, new Set(pick.ids));
        chosen = keys.length > 0 ? keys.join(",") : "name";
        return { action: "next", keys: keys.length > 0 ? keys : (["name"] as FieldKey[]) };
      },
      pickCandidate: async () => ({ action: "cancel" }),
      review: async (input, position) => {
        if (chosen !== "") run.totals.push({ chosen, total: position.totalSteps });
        if (input.kind === "ready") run.confirmsOffered += 1;
        // Once the scripted verdicts run out: confirm what can be confirmed, else give up.
        return verdicts.shift() ?? (input.kind === "ready" ? "confirm" : "cancel");
      },
    },
  };
  return run;
}

describe("runWizard properties", () => {
  it("ends confirmed only with an input the domain accepts, built from the steps shown", async () => {
    let confirmed = 0;
    await fc.assert(
      fc.asyncProperty(
        moves,
        choiceMoves,
        reviews,
        fc.constantFrom("userId", "intercomId", "lookupEmail"),
        async (script, choices, verdicts, by) => {
          const run = person(script, choices, verdicts, by);
          const outcome = await runWizard(FIELDS, services, run.ui);
          if (outcome.status !== "confirmed") return;
          confirmed += 1;
          expect(validateUpdateUserInput(outcome.plan.input, { apiVersion: V }).ok).toBe(true);
          for (const key of Object.keys(outcome.plan.input))
            expect(run.shown.has(key) || key === "attributeTypes").toBe(true);
          expect(validateUpdateUserInput(rawInputOf(FIELDS, outcome.state, V))).toEqual({
            ok: true,
            input: outcome.plan.input,
          });
        },
      ),
      { numRuns: 200 },
    );
    expect(confirmed).toBeGreaterThan(20); // the property is not vacuous
  });

  it("Back and Escape never confirm: without a 'confirm' on a ready review, nothing is confirmed", async () => {
    await fc.assert(
      fc.asyncProperty(
        moves,
        choiceMoves,
        fc.array(fc.constantFrom<ReviewAnswer>("back", "create", "cancel"), { minLength: 1, maxLength: 6 }),
        async (script, choices, verdicts) => {
          const never: ReviewAnswer[] = [...verdicts];
          const run = person(script, choices, [], "userId");
          const ui: WizardUi = { ...run.ui, review: async () => never.shift() ?? "cancel" };
          const outcome = await runWizard(FIELDS, services, ui);
          expect(outcome.status).toBe("cancelled");
        },
      ),
      { numRuns: 150 },
    );
  });

  it("Escape at any prompt ends the run at once, with nothing prepared after it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 12 }), async (at) => {
        let prompts = 0;
        let prepared = 0;
        const orEscape = <T>(value: T, cancel: T): T => (prompts++ === at ? cancel : value);
        const ui: WizardUi = {
          ask: async (step) =>
            orEscape<Answer>(
              { action: "next", value: step.kind === "identify" ? "userId" : step.id === "userId" ? "25" : "x" },
              { action: "cancel" },
            ),
          chooseChanges: async () =>
            orEscape<ChoiceAnswer>({ action: "next", keys: ["name", "phone", "companyId"] }, { action: "cancel" }),
          pickCandidate: async () => ({ action: "cancel" }),
          review: async () => orEscape<ReviewAnswer>("back", "cancel"),
        };
        const outcome = await runWizard(
          FIELDS,
          {
            ...services,
            prepare: async (i) => {
              prepared++;
              return { ok: true, plan: plan(i) };
            },
          },
          ui,
        );
        expect(outcome.status).toBe("cancelled");
        expect(prompts).toBe(at + 1);
        expect(prepared).toBeLessThanOrEqual(prompts);
      }),
      { numRuns: 60 },
    );
  });

  it("the step total depends only on what was chosen: the same for every answer, back and forth", async () => {
    await fc.assert(
      fc.asyncProperty(moves, choiceMoves, reviews, async (script, choices, verdicts) => {
        const run = person(script, choices, verdicts, "userId");
        await runWizard(FIELDS, services, run.ui);
        const byChoice = new Map<string, Set<number>>();
        for (const t of run.totals) byChoice.set(t.chosen, (byChoice.get(t.chosen) ?? new Set()).add(t.total));
        for (const totals of byChoice.values()) expect(totals.size).toBe(1);
      }),
      { numRuns: 150 },
    );
    const values = fc.dictionary(fc.constantFrom(...FIELDS.map((f) => f.key)), texts);
    fc.assert(
      fc.property(values, values, fc.subarray(FIELDS.map((f) => f.key)), (a, b, chosen) => {
        const s = (v: Record<string, string>): WizardState => ({ identifyBy: "userId", values: v, chosen });
        expect(totalSteps(FIELDS, s(a), V)).toBe(totalSteps(FIELDS, s(b), V));
      }),
      { numRuns: 200 },
    );
  });
});
