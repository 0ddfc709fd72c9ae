import {
  type Candidate,
  type Contact,
  FIELDS,
  type FieldKey,
  type LookupResult,
  type PreparedUpdate,
  type PrepareResult,
  toUserOutput,
  type UpdateUserError,
  type UpdateUserInput,
  validateUpdateUserInput,
} from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import {
  type Answer,
  type CandidateAnswer,
  type ChoiceAnswer,
  changeChoices,
  checkStep,
  choiceIds,
  chosenKeys,
  normalizeChoice,
  plannedFields,
  type ReviewAnswer,
  type ReviewInput,
  rawInputOf,
  runWizard,
  type StepPosition,
  totalSteps,
  type WizardServices,
  type WizardState,
  type WizardStep,
  type WizardUi,
} from "./steps.js";

const V = "2.15";
const joe = {
  type: "contact",
  id: "c1",
  external_id: "25",
  role: "user",
  email: "joe@example.com",
  name: "Joe Example",
  phone: null,
  unsubscribed_from_emails: false,
  custom_attributes: {},
} as unknown as Contact;
const sasha = {
  ...joe,
  id: "c2",
  external_id: "shared-2",
  email: "shared@example.com",
  name: "Sasha Shared",
} as Contact;
const candidates: Candidate[] = [
  { id: "c3", userId: "shared-1", email: "shared@example.com", name: "Sam Shared", role: "user" },
  { id: "c2", userId: "shared-2", email: "shared@example.com", name: "Sasha Shared", role: "user" },
];
const found = (contact: Contact): LookupResult => ({
  ok: true,
  contact,
  user: toUserOutput({ contact, companies: [], tags: null, segments: null }),
  notes: [],
});
const failed = (error: Partial<UpdateUserError>): LookupResult => ({
  ok: false,
  error: { kind: "not_found", message: "No user has user ID 404", hint: "Check it", requestId: null, ...error },
});

/** A prepared update as the review sees it (the real one comes from prepareUpdate; see update-user.test.ts). */
function planOf(input: UpdateUserInput, unchanged = false): PreparedUpdate {
  return {
    input,
    apiVersion: V,
    identifyBy: "userId",
    contactId: "c1",
    current: null,
    currentUpdatedAt: null,
    contact: null,
    changes: [],
    lookups: [],
    calls: [],
    roundTrips: 1,
    notes: [],
    unchanged,
  };
}

type Event =
  | { on: "ask"; id: string; position: StepPosition; value: string; failure?: string; step: WizardStep }
  | { on: "changes"; position: StepPosition; chosen: readonly FieldKey[]; empty: boolean }
  | { on: "candidate"; position: StepPosition; active?: string }
  | { on: "review"; position: StepPosition; input: ReviewInput }
  | { on: "lookup"; identify: Record<string, string> }
  | { on: "prepare"; input: UpdateUserInput; contact?: string; create: boolean };

type Reply =
  | ["ask", string, Answer | ((value: string) => Answer)]
  | ["changes", ChoiceAnswer]
  | ["candidate", CandidateAnswer]
  | ["review", ReviewAnswer];

const next = (value: string): Answer => ({ action: "next", value });
const back: Answer = { action: "back" };
const keep = (value: string): Answer => ({ action: "next", value });

/** A person following a script, and fake domain calls; records everything in order. */
function harness(
  script: Reply[],
  options: {
    lookup?: (identify: Record<string, string>) => LookupResult;
    prepare?: (input: UpdateUserInput, create: boolean) => PrepareResult;
    apiVersion?: string;
  } = {},
) {
  const events: Event[] = [];
  const queue = [...script];
  const take = <K extends Reply[0]>(kind: K, id?: string): Extract<Reply, [K, ...unknown[]]> => {
    const reply = queue.shift();
    if (!reply) throw new Error(`no scripted reply for ${kind} ${id ?? ""}`);
    if (reply[0] !== kind || (kind === "ask" && reply[1] !== id)) {
      throw new Error(`expected ${reply[0]} ${reply[0] === "ask" ? reply[1] : ""}, got ${kind} ${id ?? ""}`);
    }
    return reply as Extract<Reply, [K, ...unknown[]]>;
  };
  const ui: WizardUi = {
    ask: async (step, position, value, _check, failure) => {
      events.push({ on: "ask", id: step.id, position, value, step, ...(failure ? { failure: failure.kind } : {}) });
      const answer = take("ask", step.id)[2];
      return typeof answer === "function" ? answer(value) : answer;
    },
    chooseChanges: async (_choices, position, chosen, _found, empty) => {
      events.push({ on: "changes", position, chosen, empty });
      return take("changes")[1];
    },
    pickCandidate: async (_c, position, _e, active) => {
      events.push({ on: "candidate", position, ...(active ? { active } : {}) });
      return take("candidate")[1];
    },
    review: async (input, position) => {
      events.push({ on: "review", position, input });
      return take("review")[1];
    },
  };
  const services: WizardServices = {
    validate: validateUpdateUserInput,
    apiVersion: options.apiVersion ?? V,
    lookup: async (identify) => {
      events.push({ on: "lookup", identify: identify as Record<string, string> });
      const by = identify as Record<string, string>;
      if (options.lookup) return options.lookup(by);
      if (by.userId === "25" || by.intercomId === "c1") return found(joe);
      if (by.intercomId === "c2") return found(sasha);
      if (by.intercomId === "c3") return found({ ...sasha, id: "c3", name: "Sam Shared" } as Contact);
      if (by.lookupEmail === "shared@example.com") {
        return failed({ kind: "ambiguous", message: "2 users have email shared@example.com: c3, c2", candidates });
      }
      return failed({});
    },
    prepare: async (input, o) => {
      events.push({
        on: "prepare",
        input,
        create: o.createMissingAttributes,
        ...(o.contact ? { contact: o.contact.id as string } : {}),
      });
      return options.prepare ? options.prepare(input, o.createMissingAttributes) : { ok: true, plan: planOf(input) };
    },
  };
  const run = (initial?: WizardState) => runWizard(FIELDS, services, ui, initial);
  const asked = () => events.filter((e): e is Extract<Event, { on: "ask" }> => e.on === "ask");
  const counters = () =>
    events
      .filter((e) => "position" in e)
      .map(
        (e) =>
          `${e.on === "ask" ? e.id : e.on} ${(e as { position: StepPosition }).position.step}/${(e as { position: StepPosition }).position.totalSteps}`,
      );
  return { run, events, asked, counters, left: () => queue.length };
}

describe("the lookup right after the identify step", () => {
  it("finds the user once, then asks what to change and shows current values; a name change is 5 answers", async () => {
    const h = harness([
      ["ask", "identifyBy", next("userId")],
      ["ask", "userId", next("25")],
      ["changes", { action: "next", keys: ["name"] }],
      ["ask", "name", next("Joe Renamed")],
      ["review", "confirm"],
    ]);
    const outcome = await h.run();
    expect(outcome.status).toBe("confirmed");
    expect(h.events.map((e) => (e.on === "ask" ? e.id : e.on))).toEqual([
      "identifyBy",
      "userId",
      "lookup",
      "changes",
      "name",
      "prepare",
      "review",
    ]);
    expect(h.counters()).toEqual(["identifyBy 1/4", "userId 2/4", "changes 3/4", "name 4/5", "review 5/5"]);
    const name = h.asked().find((e) => e.id === "name");
    expect(name?.step).toMatchObject({ kind: "text", current: "Joe Example" });
    // The review is prepared with the contact the lookup read, so it is not read again.
    expect(h.events.find((e) => e.on === "prepare")).toEqual({
      on: "prepare",
      input: { userId: "25", name: "Joe Renamed" },
      contact: "c1",
      create: false,
    });
    if (outcome.status === "confirmed") expect(outcome.plan.input).toEqual({ userId: "25", name: "Joe Renamed" });
  });

  it("a failed lookup goes back to the identifier with the error and every answer kept", async () => {
    const h = harness([
      ["ask", "identifyBy", next("userId")],
      ["ask", "userId", next("404")],
      ["ask", "userId", next("25")], // shown again with the failure; the person fixes it
      ["changes", { action: "next", keys: ["name", "phone"] }],
      ["ask", "name", keep("Kept Name")],
      ["ask", "phone", keep("+1 555")],
      ["review", "confirm"],
    ]);
    const outcome = await h.run({
      identifyBy: "userId",
      values: { name: "Kept Name", phone: "+1 555" },
      chosen: ["name", "phone"],
    });
    expect(outcome.status).toBe("confirmed");
    const again = h.asked().filter((e) => e.id === "userId");
    expect(again.map((e) => [e.value, e.failure])).toEqual([
      ["", undefined],
      ["404", "not_found"],
    ]);
    expect(h.events.filter((e) => e.on === "changes")).toMatchObject([{ chosen: ["name", "phone"] }]);
    expect(h.asked().find((e) => e.id === "name")?.value).toBe("Kept Name");
    expect(h.events.filter((e) => e.on === "lookup").map((e) => (e as { identify: unknown }).identify)).toEqual([
      { userId: "404" },
      { userId: "25" },
    ]);
  });

  it("a cancelled lookup is the same: back to the identifier, nothing prepared", async () => {
    let calls = 0;
    const h = harness(
      [
        ["ask", "identifyBy", next("userId")],
        ["ask", "userId", next("25")],
        ["ask", "userId", { action: "cancel" }],
      ],
      { lookup: () => (calls++ === 0 ? failed({ kind: "aborted", message: "Cancelled" }) : found(joe)) },
    );
    expect((await h.run()).status).toBe("cancelled");
    expect(h.asked().at(-1)).toMatchObject({ id: "userId", value: "25", failure: "aborted" });
    expect(h.events.some((e) => e.on === "prepare")).toBe(false);
  });

  it("Back from what to change returns to the identifier; the same identifier is not looked up again", async () => {
    const h = harness([
      ["ask", "identifyBy", next("userId")],
      ["ask", "userId", next("25")],
      ["changes", { action: "back" }],
      ["ask", "userId", (v) => next(v)],
      ["changes", { action: "next", keys: ["name"] }],
      ["ask", "name", next("X")],
      ["review", "cancel"],
    ]);
    expect((await h.run()).status).toBe("cancelled");
    expect(h.events.filter((e) => e.on === "lookup")).toHaveLength(1);
  });

  it("Escape anywhere cancels with nothing prepared", async () => {
    const h = harness([
      ["ask", "identifyBy", next("userId")],
      ["ask", "userId", next("25")],
      ["changes", { action: "cancel" }],
    ]);
    expect((await h.run()).status).toBe("cancelled");
    expect(h.events.some((e) => e.on === "prepare")).toBe(false);
  });
});

describe("an email several users share", () => {
  it("lets the person pick one, and continues with that user's Intercom ID", async () => {
    const h = harness([
      ["ask", "identifyBy", next("lookupEmail")],
      ["ask", "lookupEmail", next("shared@example.com")],
      ["candidate", { action: "next", id: "c2" }],
      ["changes", { action: "next", keys: ["name"] }],
      ["ask", "name", (v) => next(`${v}Sasha Renamed`)],
      ["review", "confirm"],
    ]);
    const outcome = await h.run();
    expect(outcome.status).toBe("confirmed");
    expect(h.events.filter((e) => e.on === "lookup").map((e) => (e as { identify: unknown }).identify)).toEqual([
      { lookupEmail: "shared@example.com" },
      { intercomId: "c2" },
    ]);
    expect(h.counters()).toContain("candidate 2/4");
    expect(h.asked().find((e) => e.id === "name")?.step).toMatchObject({ current: "Sasha Shared" });
    expect(h.events.find((e) => e.on === "prepare")).toMatchObject({
      input: { intercomId: "c2", name: "Sasha Renamed" },
      contact: "c2",
    });
    // The email typed is kept, so Back shows it.
    if (outcome.status === "confirmed")
      expect(outcome.state).toMatchObject({ values: { lookupEmail: "shared@example.com" }, picked: "c2" });
  });

  it("Back on the pick returns to the email box; going on again offers the pick with the last choice first", async () => {
    const h = harness([
      ["ask", "identifyBy", next("lookupEmail")],
      ["ask", "lookupEmail", next("shared@example.com")],
      ["candidate", { action: "back" }],
      ["ask", "lookupEmail", (v) => next(v)],
      ["candidate", { action: "next", id: "c3" }],
      ["changes", { action: "back" }],
      ["ask", "lookupEmail", (v) => next(v)],
      ["candidate", { action: "cancel" }],
    ]);
    expect((await h.run()).status).toBe("cancelled");
    expect(h.events.filter((e) => e.on === "candidate").map((e) => (e as { active?: string }).active)).toEqual([
      undefined,
      undefined,
      "c3",
    ]);
    expect(
      h
        .asked()
        .filter((e) => e.id === "lookupEmail")
        .map((e) => e.value),
    ).toEqual(["", "shared@example.com", "shared@example.com"]);
  });
});

describe("what to change, and a step total that stays put", () => {
  it("the total counts every step of the fields chosen, also those skipped, so it is the same going back and forth", async () => {
    const h = harness([
      ["ask", "identifyBy", next("userId")],
      ["ask", "userId", next("25")],
      ["changes", { action: "next", keys: ["intercomCompanyId", "companyId", "companyName", "companyMonthlySpend"] }],
      ["ask", "intercomCompanyId", next("co9")], // Company ID, name and spend are skipped now
      ["review", "back"],
      ["ask", "intercomCompanyId", { action: "back", value: "" }], // cleared on the way back
      ["changes", { action: "next", keys: ["intercomCompanyId", "companyId", "companyName", "companyMonthlySpend"] }],
      ["ask", "intercomCompanyId", next("")],
      ["ask", "companyId", next("366")],
      ["ask", "companyName", back],
      ["ask", "companyId", next("366")],
      ["ask", "companyName", next("Serenity")],
      ["ask", "companyMonthlySpend", next("155")],
      ["review", "confirm"],
    ]);
    expect((await h.run()).status).toBe("confirmed");
    const totals = new Set(
      h
        .counters()
        .slice(3)
        .map((c) => c.split("/")[1]),
    );
    expect(totals).toEqual(new Set(["8"]));
    expect(h.counters()).toEqual([
      "identifyBy 1/4",
      "userId 2/4",
      "changes 3/4",
      "intercomCompanyId 4/8",
      "review 8/8",
      "intercomCompanyId 4/8",
      "changes 3/8",
      "intercomCompanyId 4/8",
      "companyId 5/8",
      "companyName 6/8",
      "companyId 5/8",
      "companyName 6/8",
      "companyMonthlySpend 7/8",
      "review 8/8",
    ]);
  });

  it("a field that needs another brings it along (Company name asks Company ID first)", () => {
    const planned = plannedFields(FIELDS, { values: {}, chosen: ["companyName"] }, V).map((f) => f.key);
    expect(planned).toEqual(["companyId", "companyName"]);
    expect(totalSteps(FIELDS, { values: {}, chosen: ["companyName"] }, V)).toBe(6);
  });

  it("nothing ticked is asked again, saying so", async () => {
    const h = harness([
      ["ask", "identifyBy", next("userId")],
      ["ask", "userId", next("25")],
      ["changes", { action: "next", keys: [] }],
      ["changes", { action: "cancel" }],
    ]);
    await h.run();
    expect(h.events.filter((e) => e.on === "changes").map((e) => (e as { empty: boolean }).empty)).toEqual([
      false,
      true,
    ]);
  });

  it("the groups of FIELD_GROUPS (identify excepted) with their fields; a group of one field is that field", () => {
    const choices = changeChoices(FIELDS, V);
    expect(choices.filter((c) => c.kind === "group").map((c) => c.group)).toEqual([
      "profile",
      "company",
      "attributes",
      "tags",
      "account",
      "archive",
    ]);
    expect(choices.some((c) => c.key === "emailVerified")).toBe(false); // 2.16 only
    expect(changeChoices(FIELDS, "2.16").some((c) => c.key === "emailVerified")).toBe(true);
    expect(choices.some((c) => c.kind === "field" && c.key === "customAttributes")).toBe(false);
    expect(chosenKeys(choices, new Set(["group:attributes", "field:name"]))).toEqual(["name", "customAttributes"]);
  });

  it("ticking a group ticks its fields, unticking one field unticks the group", () => {
    const choices = changeChoices(FIELDS, V);
    const on = normalizeChoice(choices, new Set(), new Set(["group:tags"]));
    expect([...on].sort()).toEqual(["field:tags", "field:untags", "group:tags"]);
    const off = normalizeChoice(choices, on, new Set(["group:tags", "field:tags"]));
    expect([...off]).toEqual(["field:tags"]);
    const all = normalizeChoice(choices, off, new Set(["field:tags", "field:untags"]));
    expect(all.has("group:tags")).toBe(true);
    expect(normalizeChoice(choices, all, all)).toEqual(all); // setting the ticks again changes nothing
    expect(normalizeChoice(choices, all, new Set(["field:tags", "field:untags"]))).toEqual(new Set()); // group unticked
    expect([...choiceIds(choices, ["tags", "untags", "customAttributes"])].sort()).toEqual([
      "field:tags",
      "field:untags",
      "group:attributes",
      "group:tags",
    ]);
  });

  it("new fields of the table are steps with no code of their own: names, flags, times, URLs", async () => {
    const h = harness([
      ["ask", "identifyBy", next("intercomId")],
      ["ask", "intercomId", next("c1")],
      ["changes", { action: "next", keys: ["tags", "avatar", "signedUpAt", "archive"] }],
      ["ask", "tags", next("VIP; Beta tester")],
      ["ask", "avatar", next("https://example.com/a.png")],
      ["ask", "signedUpAt", next("2024-05-01")],
      ["ask", "archive", next("true")],
      ["review", "confirm"],
    ]);
    const outcome = await h.run();
    const kinds = Object.fromEntries(
      h
        .asked()
        .slice(2)
        .map((e) => [e.id, e.step.kind]),
    );
    expect(kinds).toEqual({ tags: "text", avatar: "text", signedUpAt: "text", archive: "choice" });
    const archive = h.asked().find((e) => e.id === "archive")?.step;
    expect(archive?.kind === "choice" && archive.items.map((i) => i.value)).toEqual(["", "true"]);
    expect(outcome.status === "confirmed" && outcome.plan.input).toEqual({
      intercomId: "c1",
      tags: ["VIP", "Beta tester"],
      avatar: "https://example.com/a.png",
      signedUpAt: 1714521600,
      archive: true,
    });
  });
});

describe("the review", () => {
  const toReview = (chosen: FieldKey[], values: Record<string, string>) => ({
    identifyBy: "userId" as const,
    values: { userId: "25", ...values },
    chosen,
  });
  const straight = (ids: string[]): Reply[] => [
    ["ask", "identifyBy", (v) => next(v)],
    ["ask", "userId", (v) => next(v)],
    ["changes", { action: "next", keys: ids as FieldKey[] }],
    ...ids.map((id): Reply => ["ask", id, (v) => next(v)]),
  ];

  it("answers the domain refuses are listed and cannot be confirmed", async () => {
    const h = harness([
      ["ask", "identifyBy", (v) => next(v)],
      ["ask", "userId", (v) => next(v)],
      ["changes", { action: "next", keys: ["companyMonthlySpend"] }],
      ["ask", "companyId", (v) => next(v)],
      ["review", "confirm"],
      ["review", "cancel"],
    ]);
    const outcome = await h.run(toReview(["companyMonthlySpend"], { companyId: "", companyMonthlySpend: "12" }));
    expect(outcome.status).toBe("cancelled");
    const reviews = h.events.filter((e): e is Extract<Event, { on: "review" }> => e.on === "review");
    // Company ID is asked along with the spend; left empty, the spend is skipped: nothing to change is refused.
    expect(reviews[0]?.input.kind).toBe("invalid");
  });

  it("problems the pre-flight found are shown; when creating the attributes solves all, the person may ask for it", async () => {
    const problems = (create: boolean): PrepareResult =>
      create
        ? { ok: true, plan: planOf({ userId: "25", customAttributes: { seats: "3" } }) }
        : {
            ok: false,
            error: {
              kind: "invalid_input",
              message: 'Custom attributes: "seats" is not a custom attribute of this workspace',
              hint: "Nothing was changed",
              requestId: null,
              problems: [
                {
                  kind: "invalid_input",
                  field: "customAttributes",
                  label: "Custom attributes",
                  message: "…",
                  creatable: true,
                },
              ],
            },
          };
    const h = harness([...straight(["customAttributes"]), ["review", "create"], ["review", "confirm"]], {
      prepare: (_i, c) => problems(c),
    });
    const outcome = await h.run(toReview(["customAttributes"], { customAttributes: "seats=3" }));
    expect(outcome.status).toBe("confirmed");
    expect(h.events.filter((e) => e.on === "prepare").map((e) => (e as { create: boolean }).create)).toEqual([
      false,
      true,
    ]);
    expect(h.events.filter((e) => e.on === "review").map((e) => (e as { input: ReviewInput }).input.kind)).toEqual([
      "problems",
      "ready",
    ]);
    const first = h.events.find((e) => e.on === "review") as Extract<Event, { on: "review" }>;
    expect(first.input.kind === "problems" && first.input.creatable).toBe(true);
  });

  it("'create' is ignored when the problems are not all creatable, and 'confirm' when nothing would change", async () => {
    const notCreatable: PrepareResult = {
      ok: false,
      error: {
        kind: "conflict",
        message: "New email: taken",
        hint: "",
        requestId: null,
        problems: [{ kind: "conflict", field: "email", label: "New email", message: "taken" }],
      },
    };
    const h = harness([...straight(["email"]), ["review", "create"], ["review", "cancel"]], {
      prepare: () => notCreatable,
    });
    expect((await h.run(toReview(["email"], { email: "a@b.co" }))).status).toBe("cancelled");
    expect(h.events.filter((e) => e.on === "prepare").map((e) => (e as { create: boolean }).create)).toEqual([
      false,
      false,
    ]);

    const same = harness([...straight(["name"]), ["review", "confirm"], ["review", "cancel"]], {
      prepare: (input) => ({ ok: true, plan: planOf(input, true) }),
    });
    expect((await same.run(toReview(["name"], { name: "Joe Example" }))).status).toBe("cancelled");
  });

  it("a cancelled pre-flight goes back to the last step, never to a confirm", async () => {
    const h = harness([...straight(["name"]), ["ask", "name", { action: "cancel" }]], {
      prepare: () => ({ ok: false, error: { kind: "aborted", message: "Cancelled", hint: "", requestId: null } }),
    });
    expect((await h.run(toReview(["name"], { name: "N" }))).status).toBe("cancelled");
  });
});

describe("checkStep and rawInputOf: the domain decides", () => {
  const state: WizardState = { identifyBy: "userId", values: { userId: "25" }, chosen: ["email", "customAttributes"] };
  const emailStep: WizardStep = {
    kind: "text",
    id: "email",
    field: FIELDS.find((f) => f.key === "email")!,
    required: false,
  };

  it("refuses what the domain refuses, naming the field by its label", () => {
    expect(checkStep(FIELDS, state, emailStep, "not-an-email", validateUpdateUserInput, V)).toMatch(
      /^New email: must be a valid email address/,
    );
    expect(checkStep(FIELDS, state, emailStep, "a@b.co", validateUpdateUserInput, V)).toBeUndefined();
    expect(checkStep(FIELDS, state, emailStep, "", validateUpdateUserInput, V)).toBeUndefined();
  });

  it("passes attribute text on as typed: the domain's parser reads it", () => {
    const raw = rawInputOf(FIELDS, { ...state, values: { ...state.values, customAttributes: "note=a, b" } }, V);
    expect(raw).toEqual({ userId: "25", customAttributes: "note=a, b" });
    expect(validateUpdateUserInput(raw)).toMatchObject({ ok: true, input: { customAttributes: { note: "a, b" } } });
  });

  it("leaves out fields not chosen (their text is kept for later) and the identifier of another kind", () => {
    const raw = rawInputOf(
      FIELDS,
      { ...state, chosen: ["name"], values: { ...state.values, email: "a@b.co", intercomId: "c1", name: "N" } },
      V,
    );
    expect(raw).toEqual({ userId: "25", name: "N" });
  });
});
