import { EventEmitter } from "node:events";
import {
  describeChanges,
  FIELDS,
  type LookupResult,
  planUpdate,
  type UpdateUserInput,
  type UpdateUserOptions,
  type UpdateUserResult,
  validateUpdateUserInput,
} from "@intercom-kit/domain";
import { render as inkRender } from "ink";
import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { type BackendInfo, SANDBOX_LABEL } from "../../src/services/backend-info.js";
import type { UserAction } from "../../src/services/user-action.js";
import { App } from "../../src/ui/App.js";
import { makeUser, sleep, stripAnsi, waitFor } from "../helpers.js";

const KEY = {
  enter: "\r",
  tab: "\t",
  shiftTab: "\u001b[Z",
  esc: "\u001b",
  down: "\u001b[B",
  up: "\u001b[A",
  right: "\u001b[C",
  ctrlS: "\u0013",
  ctrlC: "\u0003",
  backspace: "\u007f",
  end: "\u001b[F",
  pageDown: "\u001b[6~",
};

const sandbox: BackendInfo = {
  kind: "sandbox",
  label: SANDBOX_LABEL,
  baseUrl: "http://127.0.0.1:1",
  apiVersion: "2.15",
};

interface Calls {
  lookups: UpdateUserInput[];
  updates: Array<{ input: UpdateUserInput; options?: UpdateUserOptions }>;
}

function fakeAction(
  update: (input: UpdateUserInput, options?: UpdateUserOptions) => Promise<UpdateUserResult>,
  lookup: (input: UpdateUserInput) => Promise<LookupResult> = async () => ({ ok: true, user: makeUser() }),
): { action: UserAction; calls: Calls } {
  const calls: Calls = { lookups: [], updates: [] };
  return {
    calls,
    action: {
      fields: FIELDS,
      validate: validateUpdateUserInput,
      plan: (input) => planUpdate(input),
      describe: describeChanges,
      lookup: async (input) => {
        calls.lookups.push(input);
        return lookup(input);
      },
      update: async (input, options) => {
        calls.updates.push({ input, ...(options ? { options } : {}) });
        return update(input, options);
      },
    },
  };
}

function mount(action: UserAction, backend: BackendInfo = sandbox) {
  const exits: number[] = [];
  const app = render(<App action={action} backend={backend} onExit={(code) => exits.push(code)} />);
  const frame = () => stripAnsi(app.lastFrame());
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      app.stdin.write(k);
      // A lone Esc is held briefly by Ink's parser (it could start a sequence); give it time to flush.
      await sleep(k === KEY.esc ? 80 : 25);
    }
  };
  const type = async (text: string) => {
    app.stdin.write(text);
    await sleep(25);
  };
  const see = (text: string, timeoutMs = 4000) => waitFor(() => frame().includes(text), `"${text}"`, timeoutMs, frame);
  return { app, frame, press, type, see, exits };
}

/** From the identify screen: pick User ID, type it, then move to Name. */
async function startWithUserId(ui: ReturnType<typeof mount>, userId = "25") {
  await ui.see("How do you want to identify the user?");
  await ui.press(KEY.enter);
  await ui.see("Find the user");
  await ui.type(userId);
  await ui.press(KEY.tab);
}

afterEach(() => {
  cleanup();
});

describe("App: identify and form", () => {
  it("shows the back end banner and the identify choices from the field table", async () => {
    const { action } = fakeAction(async () => ({ ok: true, user: makeUser(), applied: [] }));
    const ui = mount(action);
    await ui.see("How do you want to identify the user?");
    const frame = ui.frame();
    expect(frame).toContain("Sandbox (changes stay on this machine)");
    for (const f of FIELDS.filter((x) => x.group === "identify")) expect(frame).toContain(f.label);
    expect(frame).toContain("Ctrl-C quit");
  });

  it("names the Intercom region in the banner when not on the sandbox", async () => {
    const { action } = fakeAction(async () => ({ ok: true, user: makeUser(), applied: [] }));
    const ui = mount(action, {
      kind: "intercom",
      label: "Intercom EU (https://api.eu.intercom.io)",
      baseUrl: "https://api.eu.intercom.io",
      apiVersion: "2.15",
    });
    await ui.see("Intercom EU (https://api.eu.intercom.io)");
    expect(ui.frame()).not.toContain("Sandbox");
  });

  it("generates one row per change field, in groups, with the chosen identifier first", async () => {
    const { action } = fakeAction(async () => ({ ok: true, user: makeUser(), applied: [] }));
    const ui = mount(action);
    await ui.see("How do you want to identify the user?");
    await ui.press(KEY.down);
    await ui.see("❯ Intercom ID");
    await ui.press(KEY.enter);
    await ui.see("Find the user");
    const frame = ui.frame();
    expect(frame).toContain("Intercom ID");
    expect(frame).not.toMatch(/^\s*User ID\s*$/m);
    for (const f of FIELDS.filter((x) => x.group !== "identify")) expect(frame).toContain(f.label);
    expect(frame.indexOf("Intercom ID")).toBeLessThan(frame.indexOf("Name"));
    expect(frame.indexOf("Custom attributes")).toBeLessThan(frame.indexOf("Company (optional)"));
  });

  it("validates as you type: a bad email shows the domain's message, fixing it removes it", async () => {
    const { action } = fakeAction(async () => ({ ok: true, user: makeUser(), applied: [] }));
    const ui = mount(action);
    await startWithUserId(ui);
    await ui.press(KEY.tab); // Name -> New email
    await ui.type("bad@");
    await ui.see("New email must be a valid email address");
    await ui.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    await ui.type("ada@example.com");
    await waitFor(() => !ui.frame().includes("must be a valid email"), "the message to go", 3000, ui.frame);
    expect(ui.frame()).toContain("ada@example.com");
  });

  it("validates numbers and company rules inline (monthly spend without a Company ID)", async () => {
    const { action } = fakeAction(async () => ({ ok: true, user: makeUser(), applied: [] }));
    const ui = mount(action);
    await startWithUserId(ui);
    // Name, New email, Phone, Unsubscribed, Custom attributes, Intercom ID of company, Company ID, Company name, spend
    await ui.press(KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.tab);
    await ui.type("abc");
    await ui.see("Company monthly spend");
    await waitFor(() => /Company monthly spend .*(number|needs)/i.test(ui.frame()), "a spend error", 3000, ui.frame);
  });

  it("on submit without any change, says what is missing and does not look anything up", async () => {
    const { action, calls } = fakeAction(async () => ({ ok: true, user: makeUser(), applied: [] }));
    const ui = mount(action);
    await startWithUserId(ui);
    await ui.press(KEY.ctrlS);
    await waitFor(() => ui.frame().includes("✗"), "an input error", 3000, ui.frame);
    expect(ui.frame()).not.toContain("Review the change");
    expect(calls.lookups).toHaveLength(0);
    expect(calls.updates).toHaveLength(0);
  });

  it("Tab and Shift-Tab move focus; the choice field cycles with the arrows", async () => {
    const { action } = fakeAction(async () => ({ ok: true, user: makeUser(), applied: [] }));
    const ui = mount(action);
    await startWithUserId(ui);
    await ui.press(KEY.tab, KEY.tab, KEY.tab); // -> Unsubscribed from emails
    await ui.see("‹ Leave unchanged ›");
    await ui.press(KEY.right);
    await ui.see("‹ Unsubscribed (no emails) ›");
    await ui.press(KEY.shiftTab);
    await waitFor(() => /❯ Phone/.test(ui.frame()), "focus on Phone", 3000, ui.frame);
  });

  it("Esc goes back to the identify screen and keeps what was typed", async () => {
    const { action } = fakeAction(async () => ({ ok: true, user: makeUser(), applied: [] }));
    const ui = mount(action);
    await startWithUserId(ui, "42");
    await ui.type("Ada");
    await ui.press(KEY.esc);
    await ui.see("How do you want to identify the user?");
    await ui.press(KEY.enter);
    await ui.see("Find the user");
    expect(ui.frame()).toMatch(/User ID\s+42/);
    expect(ui.frame()).toMatch(/Name\s+Ada/);
  });
});

describe("App: review, apply, result, errors", () => {
  it("reviews the diff (current from lookup vs new) and the planned calls before writing anything", async () => {
    const { action, calls } = fakeAction(async () => ({ ok: true, user: makeUser(), applied: [] }));
    const ui = mount(action);
    await startWithUserId(ui);
    await ui.type("Ada Lovelace");
    await ui.press(KEY.ctrlS);
    await ui.see("Review the change");
    const frame = ui.frame();
    expect(frame).toMatch(/Name\s+Joe Example\s+->\s+Ada Lovelace/);
    expect(frame).toContain("PUT  /contacts/{contact_id}");
    expect(frame).toContain("GET  /contacts/find_by_external_id/25");
    expect(calls.lookups).toEqual([{ userId: "25", name: "Ada Lovelace" }]);
    expect(calls.updates).toHaveLength(0);
  });

  it("Esc on the review goes back to the form with the input intact, and sends nothing", async () => {
    const { action, calls } = fakeAction(async () => ({ ok: true, user: makeUser(), applied: [] }));
    const ui = mount(action);
    await startWithUserId(ui);
    await ui.type("Ada Lovelace");
    await ui.press(KEY.ctrlS);
    await ui.see("Review the change");
    await ui.press(KEY.esc);
    await ui.see("Find the user");
    expect(ui.frame()).toMatch(/Name\s+Ada Lovelace/);
    expect(calls.updates).toHaveLength(0);
  });

  it("applies on Enter with a spinner naming the step, then shows the result grouped and scrollable", async () => {
    let finish: (r: UpdateUserResult) => void = () => {};
    const { action, calls } = fakeAction(
      (_input, options) =>
        new Promise<UpdateUserResult>((resolve) => {
          options?.onStep?.("find", "Find the user with user ID 25");
          options?.onStep?.("update", "Update the user's fields");
          finish = resolve;
        }),
    );
    const ui = mount(action);
    await startWithUserId(ui);
    await ui.type("Ada Lovelace");
    await ui.press(KEY.ctrlS);
    await ui.see("Review the change");
    await ui.press(KEY.enter);
    await ui.see("Update the user's fields");
    expect(ui.frame()).toContain("✓ Find the user with user ID 25");
    expect(calls.updates[0]?.input).toEqual({ userId: "25", name: "Ada Lovelace" });
    finish({
      ok: true,
      user: makeUser({ name: "Ada Lovelace" }),
      applied: [{ step: "update", summary: "user updated (name)" }],
    });
    await ui.see("✓ User updated: user updated (name)");
    let frame = ui.frame();
    expect(frame).toContain("Identity");
    expect(frame).toMatch(/Name\s+Ada Lovelace/);
    expect(frame).toMatch(/lines 1–\d+ of \d+/);
    // Scroll to the end: the last groups appear, timestamps as dates.
    await ui.press(KEY.end);
    await ui.see("Activity and timestamps");
    frame = ui.frame();
    expect(frame).toContain("Created at");
    expect(frame).toContain("2024-06-01 15:50:00 UTC");
    expect(frame).not.toContain("Identity");
  });

  it("shows the error with its hint and request id; going back keeps every value and marks the field", async () => {
    const { action } = fakeAction(async () => ({
      ok: false,
      error: {
        kind: "conflict",
        message: "Another user already has the email taken@example.com",
        hint: "Use a different email, or update the other user",
        requestId: "req-123",
        status: 409,
        fieldErrors: [{ field: "email", label: "New email", message: "belongs to another user" }],
      },
    }));
    const ui = mount(action);
    await startWithUserId(ui);
    await ui.type("Ada Lovelace");
    await ui.press(KEY.tab);
    await ui.type("taken@example.com");
    await ui.press(KEY.ctrlS);
    await ui.see("Review the change");
    await ui.press(KEY.enter);
    await ui.see("Another user already has the email");
    let frame = ui.frame();
    expect(frame).toContain("Hint: Use a different email");
    expect(frame).toContain("Request id: req-123");
    await ui.press(KEY.enter);
    await ui.see("Find the user");
    frame = ui.frame();
    expect(frame).toMatch(/User ID\s+25/);
    expect(frame).toMatch(/Name\s+Ada Lovelace/);
    expect(frame).toMatch(/❯ New email\s+taken@example.com/);
    expect(frame).toContain("New email belongs to another user");
  });

  it("a conflict without field errors marks New email when going back", async () => {
    const { action } = fakeAction(async () => ({
      ok: false,
      error: {
        kind: "conflict",
        message: "Another contact (Intercom ID abc) already has these details",
        hint: "Choose another email",
        requestId: "req-9",
        existingContactId: "abc",
      },
    }));
    const ui = mount(action);
    await startWithUserId(ui);
    await ui.press(KEY.tab);
    await ui.type("taken@example.com");
    await ui.press(KEY.ctrlS);
    await ui.see("Review the change");
    await ui.press(KEY.enter);
    await ui.see("Another contact (Intercom ID abc)");
    await ui.press(KEY.enter);
    await ui.see("New email already belongs to another user (abc)");
    expect(ui.frame()).toMatch(/❯ New email\s+taken@example.com/);
  });

  it("a lookup failure (not found) shows the error and lets you go back", async () => {
    const { action } = fakeAction(
      async () => ({ ok: true, user: makeUser(), applied: [] }),
      async () => ({
        ok: false,
        error: { kind: "not_found", message: "No user has user ID 999", hint: "Check the user ID", requestId: "r-9" },
      }),
    );
    const ui = mount(action);
    await startWithUserId(ui, "999");
    await ui.type("Ada");
    await ui.press(KEY.ctrlS);
    await ui.see("No user has user ID 999");
    await ui.press(KEY.esc);
    await ui.see("Find the user");
    expect(ui.frame()).toMatch(/User ID\s+999/);
  });

  it("q after an error exits with that error's exit code", async () => {
    const { action } = fakeAction(
      async () => ({ ok: true, user: makeUser(), applied: [] }),
      async () => ({
        ok: false,
        error: { kind: "not_found", message: "No user has user ID 999", hint: "Check it", requestId: null },
      }),
    );
    const ui = mount(action);
    await startWithUserId(ui, "999");
    await ui.type("Ada");
    await ui.press(KEY.ctrlS);
    await ui.see("No user has user ID 999");
    await ui.press("q");
    await waitFor(() => ui.exits.length > 0, "exit");
    expect(ui.exits).toEqual([3]);
  });

  it("Ctrl-C exits with 130 and aborts the update in flight", async () => {
    let seen: AbortSignal | undefined;
    const { action } = fakeAction(
      (_input, options) =>
        new Promise<UpdateUserResult>(() => {
          seen = options?.signal;
        }),
    );
    const ui = mount(action);
    await startWithUserId(ui);
    await ui.type("Ada");
    await ui.press(KEY.ctrlS);
    await ui.see("Review the change");
    await ui.press(KEY.enter);
    await ui.see("Updating the user");
    await ui.press(KEY.ctrlC);
    await waitFor(() => ui.exits.length > 0, "exit");
    expect(ui.exits).toEqual([130]);
    expect(seen?.aborted).toBe(true);
  });
});

describe("App without raw-mode input", () => {
  it("explains that it needs a terminal and exits with 2 instead of crashing", async () => {
    const stdin = Object.assign(new EventEmitter(), {
      isTTY: false,
      setEncoding() {},
      setRawMode() {
        throw new Error("Raw mode is not supported");
      },
      ref() {},
      unref() {},
      read: () => null,
      resume() {},
      pause() {},
    });
    let out = "";
    const stdout = Object.assign(new EventEmitter(), {
      columns: 100,
      write(chunk: string) {
        out += chunk;
        return true;
      },
    });
    const exits: number[] = [];
    const { action } = fakeAction(async () => ({ ok: true, user: makeUser(), applied: [] }));
    const instance = inkRender(<App action={action} backend={sandbox} onExit={(c) => exits.push(c)} />, {
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      debug: true,
      patchConsole: false,
      exitOnCtrlC: false,
    });
    await instance.waitUntilExit();
    expect(exits).toEqual([2]);
    expect(stripAnsi(out)).toContain("needs an interactive terminal");
  });
});
