/**
 * The Ink flow against a real sandbox over HTTP: identify -> groups -> form -> checking (prepareUpdate) -> review ->
 * apply (applyUpdate, each call with its own state) -> result. Keys are written as a terminal sends them.
 */
import { type ContactRecord, createSeedData, type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sleep, waitFor } from "../helpers.js";
import { KEY, mountApp } from "./harness.js";

const HOSTILE = "Tim\x1b]0;PWNED\x07\x1b[31mRed";
const hostileId = "c0ffee000000000000000bad";

let sandbox: Sandbox;
let unmount: (() => void) | null = null;
beforeAll(async () => {
  const data = createSeedData();
  const template = data.contacts.find((c) => c.id === SEED.plainUser.id) as ContactRecord;
  data.contacts.push({
    ...structuredClone(template),
    id: hostileId,
    external_id: "hostile",
    email: "tim@example.com",
    name: HOSTILE,
  });
  sandbox = await startSandbox({ data });
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(() => {
  sandbox.reset();
  sandbox.setFaults([]);
});
afterEach(() => {
  unmount?.();
  unmount = null;
});

function app(options: Parameters<typeof mountApp>[1] = {}) {
  const ui = mountApp(sandbox, options);
  unmount = ui.unmount;
  return ui;
}

/** User ID, the default group (name, email, phone, subscription), then the form with the user ID typed. */
async function toForm(ui: ReturnType<typeof app>, userId: string) {
  await ui.see("How do you want to identify the user?");
  await ui.write(KEY.enter);
  await ui.see("What do you want to change?");
  await ui.write(KEY.enter);
  await ui.see("[ Review changes ]");
  await ui.write(userId);
}

/** The frame with wrapping undone: runs of whitespace (a wrapped row's break and indent) as one space. */
const flat = (text: string) => text.replace(/\s+/g, " ");

const putSent = () => sandbox.requests().some((r) => r.method === "PUT");

describe("the terminal form on prepare/apply", () => {
  it("reviews current -> new before writing, applies, and shows the domain's outcome line and the record", async () => {
    const ui = app();
    await toForm(ui, SEED.user.externalId);
    await ui.write(KEY.tab);
    await ui.write("Ada Lovelace");
    await ui.write(KEY.ctrlS);
    await ui.see("Review the change");
    expect(ui.frame()).toContain("User: Joe Example <joe@example.com>");
    expect(ui.frame()).toMatch(/Name\s+Joe Example -> Ada Lovelace/);
    expect(ui.frame()).toMatch(/PUT\s+\/contacts\/665b43285a4db0c1e2000001\s+update the user's fields \(name\)/);
    expect(putSent()).toBe(false);
    await ui.write(KEY.enter);
    await ui.see("Updated Ada Lovelace <joe@example.com>: user updated (name).");
    expect(ui.frame()).toMatch(/Name\s+Ada Lovelace/);
    expect((sandbox.state.getContact(SEED.user.id) as Record<string, unknown>).name).toBe("Ada Lovelace");
    await ui.write("q");
    await waitFor(() => ui.exits.length > 0, "exit");
    expect(ui.exits).toEqual([0]);
  });

  it("back from the review returns to the field that had the focus, with everything typed kept", async () => {
    const ui = app();
    await toForm(ui, SEED.user.externalId);
    await ui.write(`${KEY.tab}${KEY.tab}ada@example.com${KEY.ctrlS}`);
    await ui.see("Review the change");
    await ui.write(KEY.esc);
    await ui.see("[ Review changes ]");
    expect(ui.frame()).toMatch(/❯ New email\s+ada@example\.com/);
    expect(ui.frame()).toMatch(new RegExp(`User ID\\s+${SEED.user.externalId}`));
  });

  it("keys in one chunk are handled in order: Down Enter picks the second way to identify", async () => {
    const ui = app();
    await ui.see("How do you want to identify the user?");
    await ui.write(`${KEY.down}${KEY.enter}`);
    await ui.see("What do you want to change?");
    await ui.write(KEY.enter);
    await ui.see("[ Review changes ]");
    expect(ui.frame()).toMatch(/❯ Intercom ID/);
    // A burst of typing with Tab in the middle lands in two fields.
    await ui.write(`${SEED.user.id}\tJoe Burst`);
    await ui.see(/Name\s+Joe Burst/);
    expect(ui.frame()).toMatch(new RegExp(`Intercom ID\\s+${SEED.user.id}`));
    // Even by Intercom ID the review reads the user first (readCurrent): current values, and a stale check.
    await ui.write(KEY.ctrlS);
    await ui.see("Review the change");
    expect(ui.frame()).toMatch(/Name\s+Joe Example -> Joe Burst/);
  });

  it("nothing differs: the review says nothing will be written, and the result says so in one line", async () => {
    const ui = app();
    await toForm(ui, SEED.user.externalId);
    await ui.write(KEY.tab);
    await ui.write("Joe Example");
    await ui.write(KEY.ctrlS);
    await ui.see("Nothing differs: nothing will be written.");
    await ui.write(KEY.enter);
    await ui.see(
      /Nothing to change: Joe Example <joe@example.com> already has every value given; nothing was\s+written\./,
    );
    expect(putSent()).toBe(false);
  });

  it("pre-flight problems go back to the form with the field marked; 'c' re-plans creating the attribute", async () => {
    const ui = app();
    await ui.see("How do you want to identify the user?");
    await ui.write(KEY.enter);
    await ui.see("What do you want to change?");
    // Untick "Name, email, ..." and tick "Custom attributes" (the third entry).
    await ui.write(KEY.space);
    await ui.write(`${KEY.down}${KEY.down}${KEY.space}`);
    await ui.write(KEY.enter);
    await ui.see("Custom attributes (empty = unchanged)");
    await ui.write(SEED.user.externalId);
    await ui.write(KEY.tab);
    await ui.write("seats=3");
    await ui.write(KEY.ctrlS);
    await ui.see('"seats" is not a custom attribute of this workspace');
    expect(ui.frame()).toContain("c create the missing attributes and check again");
    expect(ui.frame()).not.toContain("Request ID: none");
    await ui.write(KEY.enter);
    await ui.see(/✗ Custom attributes "seats" is not a custom attribute/);
    expect(ui.frame()).toMatch(/❯ Custom attributes\s+seats=3/);
    await ui.write(KEY.ctrlS);
    await ui.see("c create the missing attributes");
    await ui.write("c");
    await ui.see("Review the change");
    expect(flat(ui.frame())).toContain("POST /data_attributes create the custom attribute seats (integer)");
    expect(flat(ui.frame())).toContain("Note: Custom attribute seats is new: it is created first, as integer.");
    await ui.write("y");
    await ui.see("Updated Joe Example");
    const attributes = sandbox.state.getContact(SEED.user.id)?.custom_attributes as Record<string, unknown> | undefined;
    expect(attributes?.seats).toBe(3);
  });

  it("the company rule comes from the domain: Company name appears once there is a Company ID, and --company-id alone notes the missing name", async () => {
    const ui = app();
    await ui.see("How do you want to identify the user?");
    await ui.write(KEY.enter);
    await ui.see("What do you want to change?");
    await ui.write(`${KEY.space}${KEY.down}${KEY.space}${KEY.enter}`);
    await ui.see("Company (empty = unchanged)");
    expect(ui.frame()).not.toContain("Company name");
    await ui.write(`${SEED.user.externalId}\t\tnew-co`);
    await ui.see("Company name");
    await ui.write(KEY.ctrlS);
    await ui.see("Review the change");
    expect(flat(ui.frame())).toContain(
      "Note: Company ID new-co is new: the company is created without a name (give Company name to name it).",
    );
  });

  it("apply shows each call's own state: a slow PUT spins while the other calls are done", async () => {
    const ui = app();
    await toForm(ui, SEED.user.externalId);
    await ui.write(KEY.tab);
    await ui.write("Slow Write");
    await ui.write(KEY.ctrlS);
    await ui.see("Review the change");
    sandbox.setFaults([{ method: "PUT", latencyMs: 2500 }]);
    await ui.write(KEY.enter);
    await ui.see(/✓ GET\s+\/contacts\/\S+\/segments/);
    const frame = ui.frame();
    expect(frame).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] PUT\s+\/contacts\//);
    expect(frame).not.toMatch(/✓ PUT/);
    await ui.see(/Updated Slow Write/, 10_000);
  });

  it("waiting is never silent: a 429 on the PUT shows the domain's retry line in the status line", async () => {
    const ui = app();
    await toForm(ui, SEED.user.externalId);
    await ui.write(KEY.tab);
    await ui.write("Rate Limited");
    await ui.write(KEY.ctrlS);
    await ui.see("Review the change");
    sandbox.setFaults([
      { method: "PUT", status: 429, times: 1 },
      { method: "PUT", latencyMs: 600 },
    ]);
    await ui.write(KEY.enter);
    await ui.see(/… PUT \/contacts\/\S+: 429 rate limited, retrying in [\d.]+ s \(attempt 2 of 3\)/);
    await ui.see("Updated Rate Limited");
    expect(ui.frame()).not.toContain("429 rate limited");
  });

  it("a read for the record that fails does not fail the update: the result says what could not be read", async () => {
    const ui = app();
    await toForm(ui, SEED.user.externalId);
    await ui.write(`${KEY.tab}Partly Read${KEY.ctrlS}`);
    await ui.see("Review the change");
    sandbox.setFaults([{ method: "GET", path: "/contacts/:id/segments", status: 500 }]);
    await ui.write(KEY.enter);
    await ui.see("Updated Partly Read", 15_000);
    expect(flat(ui.frame())).toMatch(/Could not read for this record \(the update itself was made\): \S*segments/);
  });

  it("control characters in Intercom data are shown as escapes, never sent to the terminal", async () => {
    const ui = app();
    await toForm(ui, "hostile");
    await ui.write(KEY.tab);
    await ui.write("Tim Safe");
    await ui.write(KEY.ctrlS);
    await ui.see("Review the change");
    expect(ui.frame()).toContain("User: Tim\\e]0;PWNED\\x07\\e[31mRed <tim@example.com>");
    expect(ui.frame()).toContain("Tim\\e]0;PWNED\\x07\\e[31mRed -> Tim Safe");
    expect(ui.raw()).not.toContain("\x1b]0;");
    expect(ui.raw()).not.toContain("\x07");
    expect(ui.raw()).not.toContain("\x1b[31m");
  });

  it("Ctrl-C at the review quits with 130 and writes nothing", async () => {
    const ui = app();
    await toForm(ui, SEED.user.externalId);
    await ui.write(`${KEY.tab}Never Sent${KEY.ctrlS}`);
    await ui.see("Review the change");
    await ui.write(`${KEY.ctrlC}y`);
    await waitFor(() => ui.exits.length > 0, "exit");
    expect(ui.exits).toEqual([130]);
    await sleep(200);
    expect(putSent()).toBe(false);
  });

  it("the user changed between review and apply: nothing is written, and the screen says why", async () => {
    const ui = app();
    await toForm(ui, SEED.user.externalId);
    await ui.write(`${KEY.tab}Late Write${KEY.ctrlS}`);
    await ui.see("Review the change");
    // Someone else changes the user while the review is on screen.
    const res = await fetch(`${sandbox.url}/contacts/${SEED.user.id}`, {
      method: "PUT",
      headers: {
        Authorization: `Bearer ${sandbox.token}`,
        "Content-Type": "application/json",
        Accept: "application/json",
      },
      body: JSON.stringify({ phone: "+1 555 0199" }),
    });
    expect(res.status).toBe(200);
    await sleep(1100); // updated_at has one-second resolution
    await fetch(`${sandbox.url}/contacts/${SEED.user.id}`, {
      method: "PUT",
      headers: {
        Authorization: `Bearer ${sandbox.token}`,
        "Content-Type": "application/json",
        Accept: "application/json",
      },
      body: JSON.stringify({ phone: "+1 555 0100" }),
    });
    await ui.write(KEY.enter);
    await ui.see("The user changed after the plan was made");
    expect((sandbox.state.getContact(SEED.user.id) as Record<string, unknown>).name).toBe("Joe Example");
  });
});

describe("small terminals", () => {
  it("60x20: the banner wraps as one paragraph and the outcome line stays on screen above the record", async () => {
    const ui = app({ size: { columns: 60, rows: 20 } });
    await toForm(ui, SEED.user.externalId);
    await ui.write(`${KEY.tab}Ada Small${KEY.ctrlS}`);
    await ui.see("Review the change");
    await ui.write(KEY.enter);
    await ui.see("Updated Ada Small");
    const lines = ui.frame().split("\n");
    expect(lines.length).toBeLessThanOrEqual(19);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(lines[0]).toMatch(/^intercom-kit · API 2\.15 · Embedded sandbox/);
    expect(lines.some((l) => l.includes("Updated Ada Small"))).toBe(true);
    expect(ui.frame()).toContain("q/Esc quit");
  });

  it("100x30: a long avatar URL is cut to the width, so the title stays on screen", async () => {
    const ui = app({ size: { columns: 100, rows: 30 } });
    await ui.see("How do you want to identify the user?");
    await ui.write(KEY.enter);
    await ui.see("What do you want to change?");
    await ui.write(`${KEY.space}${KEY.down}${KEY.down}${KEY.down}${KEY.down}${KEY.space}${KEY.enter}`);
    await ui.see("Avatar");
    const url = `https://example.com/${"very-long-path/".repeat(12)}picture.png`;
    await ui.write(SEED.user.externalId);
    // User ID, New user ID, Role, Owner, Avatar
    await ui.write(`${KEY.tab}${KEY.tab}${KEY.tab}${KEY.tab}${url}`);
    await ui.write(KEY.ctrlS);
    await ui.see("Review the change");
    await ui.write(KEY.enter);
    await ui.see("Updated Joe Example");
    const lines = ui.frame().split("\n");
    expect(lines.length).toBeLessThanOrEqual(29);
    expect(lines[0]).toMatch(/^intercom-kit · API 2\.15 · Embedded sandbox/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
  });

  it("NO_COLOR: the form draws its cursor as a character, since an inverse cell would be invisible", async () => {
    const ui = app({ noColor: true });
    await toForm(ui, "25");
    expect(ui.frame()).toMatch(/User ID\s+25▌/);
  });
});
