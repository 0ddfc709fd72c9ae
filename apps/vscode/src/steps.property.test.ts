import { FIELDS, validateUpdateUserInput } from "@intercom-kit/domain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Answer, rawInputOf, runWizard, type WizardState, type WizardUi, wizardSteps } from "./steps.js";

const texts = fc.oneof(
  fc.constantFrom("", " ", "25", "abc", "jane@example.com", "not-an-email", "-1", "155.98", "plan=pro", "a.b=1"),
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
const reviews = fc.array(fc.constantFrom("confirm" as const, "back" as const), { maxLength: 4 });
const PLAIN: Record<string, string> = { userId: "25", intercomId: "abc", lookupEmail: "joe@example.com" };

describe("runWizard properties", () => {
  it("ends confirmed only with an input the domain accepts, built from the steps shown", async () => {
    let confirmed = 0;
    await fc.assert(
      fc.asyncProperty(
        moves,
        reviews,
        fc.constantFrom("userId", "intercomId", "lookupEmail"),
        async (script, verdicts, by) => {
          const queue = [...script];
          const shown = new Set<string>();
          const ui: WizardUi = {
            ask: async (step) => {
              shown.add(step.id);
              if (step.kind === "identify") return { action: "next", value: by };
              if (step.kind === "choice") return { action: "next", value: step.items[1]?.value ?? "" };
              return queue.shift() ?? { action: "next", value: PLAIN[step.id] ?? "" };
            },
            // Once the scripted verdicts run out: confirm what can be confirmed, else give up.
            review: async (validation) => verdicts.shift() ?? (validation.ok ? "confirm" : "cancel"),
          };
          const outcome = await runWizard(FIELDS, validateUpdateUserInput, ui);
          if (outcome.status !== "confirmed") return;
          confirmed += 1;
          expect(validateUpdateUserInput(outcome.input).ok).toBe(true);
          for (const key of Object.keys(outcome.input)) expect(shown.has(key)).toBe(true);
          expect(validateUpdateUserInput(rawInputOf(FIELDS, outcome.state))).toEqual({
            ok: true,
            input: outcome.input,
          });
        },
      ),
      { numRuns: 200 },
    );
    expect(confirmed).toBeGreaterThan(20); // the property is not vacuous
  });

  it("the step list starts with the identify pick, asks no field twice and only the chosen identifier", () => {
    const values = fc.record(
      Object.fromEntries(FIELDS.map((f) => [f.key, fc.option(texts, { nil: undefined })])) as Record<
        string,
        fc.Arbitrary<string | undefined>
      >,
    );
    const by = fc.option(fc.constantFrom("userId" as const, "intercomId" as const, "lookupEmail" as const), {
      nil: undefined,
    });
    fc.assert(
      fc.property(by, values, (identifyBy, raw) => {
        const state: WizardState = {
          ...(identifyBy ? { identifyBy } : {}),
          values: Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
        };
        const ids = wizardSteps(FIELDS, state).map((s) => s.id);
        expect(ids[0]).toBe("identifyBy");
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.filter((id) => id in PLAIN)).toEqual(identifyBy ? [identifyBy] : []);
      }),
      { numRuns: 300 },
    );
  });
});
