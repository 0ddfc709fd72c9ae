import {
  type CustomAttributeValue,
  describeChanges,
  FIELDS,
  planUpdate,
  type UpdateUserInput,
  type UpdateUserOptions,
  validateUpdateUserInput,
} from "@intercom-kit/domain";
import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { type BackendInfo, SANDBOX_LABEL } from "../../src/services/backend-info.js";
import { formatCall, orderCalls } from "../../src/services/output-format.js";
import type { UserAction } from "../../src/services/user-action.js";
import { App } from "../../src/ui/App.js";
import { makeUser, sleep, stripAnsi, waitFor } from "../helpers.js";

const KEY = {
  enter: "\r",
  tab: "\t",
  esc: "\u001b",
  down: "\u001b[B",
  ctrlS: "\u0013",
  home: "\u001b[H",
  end: "\u001b[F",
  pageDown: "\u001b[6~",
};

const sandbox: BackendInfo = {
  kind: "sandbox",
  label: SANDBOX_LABEL,
  baseUrl: "http://127.0.0.1:1",
  apiVersion: "2.15",
};

const ROWS = 16;

/** Thirty custom attributes: a change far taller than a 16-row terminal. */
const MANY: Record<string, CustomAttributeValue> = Object.fromEntries(
  Array.from({ length: 30 }, (_, i) => [`attr_${String(i + 1).padStart(2, "0")}`, `value ${i + 1}`]),
);
const withMany = (input: UpdateUserInput): UpdateUserInput => ({ ...input, customAttributes: MANY });

/** The real domain's plan and diff, for what was typed plus the thirty attributes. */
function manyChangesAction() {
  const updates: Array<{ input: UpdateUserInput; options?: UpdateUserOptions }> = [];
  const action: UserAction = {
    fields: FIELDS,
    validate: validateUpdateUserInput,
    plan: (input) => planUpdate(withMany(input)),
    describe: (current, input) => describeChanges(current, withMany(input)),
    lookup: async () => ({ ok: true, user: makeUser() }),
    update: async (input, options) => {
      updates.push({ input, ...(options ? { options } : {}) });
      return { ok: true, user: makeUser({ name: "Ada Lovelace" }), applied: [] };
    },
  };
  return { action, updates };
}

/** Mounts the app in a terminal `rows` high and goes to the review of user 25 with a new name. */
async function openReview(action: UserAction, rows = ROWS) {
  const app = render(<App action={action} backend={sandbox} onExit={() => {}} />);
  // ink-testing-library's stdout has no height: give it one and tell the app, as a terminal resize would.
  Object.assign(app.stdout, { rows });
  app.stdout.emit("resize");
  const frame = () => stripAnsi(app.lastFrame());
  // Long lines are cut into rows at spaces; joining the rows again lets a test look for a whole line.
  const flat = () => frame().replace(/\s+/g, " ");
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      app.stdin.write(k);
      await sleep(k === KEY.esc ? 80 : 25);
    }
  };
  const see = (text: string | RegExp) =>
    waitFor(() => (typeof text === "string" ? flat().includes(text) : text.test(frame())), String(text), 4000, frame);
  await see("How do you want to identify the user?");
  await press(KEY.enter);
  await see("Find the user");
  app.stdin.write("25");
  await sleep(25);
  await press(KEY.tab);
  app.stdin.write("Ada Lovelace");
  await sleep(25);
  await press(KEY.ctrlS);
  await see("Review the change");
  return { app, frame, flat, press, see };
}

const lastLineOfReview = (): string => {
  const plan = planUpdate(withMany({ userId: "25", name: "Ada Lovelace" }));
  const calls = orderCalls(plan.calls);
  const lastCall = calls.at(-1);
  if (!lastCall) throw new Error("the plan has no calls");
  return (plan.notes.at(-1) ?? `${calls.length}. ${formatCall(lastCall)}`).replace(/\s+/g, " ");
};

afterEach(() => {
  cleanup();
});

describe("Review screen on a short terminal", () => {
  it("scrolls the diff and calls within the height, with an indicator and the keys always shown", async () => {
    const ui = await openReview(manyChangesAction().action);
    const last = lastLineOfReview();
    let frame = ui.frame();
    const total = Number(/lines 1–\d+ of (\d+)/.exec(frame)?.[1]);
    // 1 column header + 31 changes + gap + calls header + calls (+ notes) do not fit in 16 rows.
    expect(total).toBeGreaterThan(34);
    expect(frame).toContain("Review the change");
    expect(frame).toMatch(/Name\s+Joe Example\s+->\s+Ada Lovelace/);
    expect(frame).toContain("↑↓ PgUp/PgDn scroll");
    expect(frame).toContain("Enter/y apply");
    expect(ui.flat()).not.toContain(last);
    expect(frame.split("\n").length).toBeLessThan(ROWS);

    await ui.press(KEY.down);
    await ui.see(/lines 2–\d+ of \d+/);

    await ui.press(KEY.end);
    await ui.see(last);
    frame = ui.frame();
    expect(frame).toMatch(new RegExp(`lines \\d+–${total} of ${total}`));
    expect(frame).not.toMatch(/Name\s+Joe Example/);
    // The title, the user line and the footer stay put while the body scrolls.
    expect(frame).toContain("Review the change");
    expect(frame).toContain("User: Joe Example");
    expect(frame).toContain("Esc/n back to the form");
    expect(frame.split("\n").length).toBeLessThan(ROWS);

    await ui.press(KEY.home);
    await ui.see(/lines 1–\d+ of \d+/);
    expect(ui.frame()).toMatch(/Name\s+Joe Example\s+->\s+Ada Lovelace/);

    // Page by page also reaches the end.
    for (let i = 0; i < 10 && !ui.flat().includes(last); i++) await ui.press(KEY.pageDown);
    expect(ui.flat()).toContain(last);
  });

  it("Enter still applies after scrolling", async () => {
    const { action, updates } = manyChangesAction();
    const ui = await openReview(action);
    await ui.press(KEY.end);
    await ui.see(lastLineOfReview());
    expect(updates).toHaveLength(0);
    await ui.press(KEY.enter);
    await ui.see("✓ User updated");
    expect(updates).toHaveLength(1);
    expect(updates[0]?.input).toEqual({ userId: "25", name: "Ada Lovelace" });
  });

  it("Esc still goes back to the form after scrolling, and sends nothing", async () => {
    const { action, updates } = manyChangesAction();
    const ui = await openReview(action);
    await ui.press(KEY.pageDown);
    await ui.see(/lines \d+–\d+ of \d+/);
    expect(ui.frame()).not.toMatch(/lines 1–/);
    await ui.press(KEY.esc);
    await ui.see("Find the user");
    expect(ui.frame()).toMatch(/Name\s+Ada Lovelace/);
    expect(updates).toHaveLength(0);
  });

  it("shows no indicator or scroll keys when the change fits", async () => {
    const action: UserAction = {
      ...manyChangesAction().action,
      plan: (input) => planUpdate(input),
      describe: describeChanges,
    };
    const ui = await openReview(action, 24);
    const frame = ui.frame();
    expect(frame).toMatch(/Name\s+Joe Example\s+->\s+Ada Lovelace/);
    expect(ui.flat()).toContain("5. GET /contacts/{contact_id}/segments");
    expect(frame).not.toMatch(/lines \d+–\d+ of/);
    expect(frame).not.toContain("PgUp/PgDn");
    expect(frame).toContain("Enter/y apply");
  });
});
