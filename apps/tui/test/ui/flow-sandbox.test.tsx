import { createIntercomClient } from "@intercom-kit/domain";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { cleanup, render } from "ink-testing-library";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_LABEL } from "../../src/services/backend-info.js";
import { createUserAction } from "../../src/services/user-action.js";
import { App } from "../../src/ui/App.js";
import { sleep, stripAnsi, waitFor } from "../helpers.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});
afterEach(() => {
  cleanup();
});

/** The real domain action over real HTTP to a loopback sandbox: what the binary runs, minus the terminal. */
function mountReal() {
  const action = createUserAction(() => createIntercomClient({ token: sandbox.token, baseUrl: sandbox.url }), "2.15");
  const exits: number[] = [];
  const app = render(
    <App
      action={action}
      backend={{ kind: "sandbox", label: SANDBOX_LABEL, baseUrl: sandbox.url, apiVersion: "2.15" }}
      onExit={(c) => exits.push(c)}
    />,
  );
  const frame = () => stripAnsi(app.lastFrame());
  const see = (text: string | RegExp) =>
    waitFor(() => (typeof text === "string" ? frame().includes(text) : text.test(frame())), String(text), 8000, frame);
  const write = async (s: string) => {
    app.stdin.write(s);
    await sleep(40);
  };
  return { app, frame, see, write, exits };
}

describe("the Ink flow against a real sandbox", () => {
  it("updates the user by email and attaches a company, and the result matches the sandbox", async () => {
    sandbox.reset();
    const ui = mountReal();
    await ui.see("How do you want to identify the user?");
    await ui.write("\u001b[B");
    await ui.write("\u001b[B");
    await ui.see("❯ Current email");
    await ui.write("\r");
    await ui.see("Find the user");
    await ui.write(SEED.user.email);
    await ui.write("\t");
    await ui.write("Joe Renamed");
    // Name -> New email -> Phone -> Unsubscribed -> Custom attributes -> Intercom ID of company -> Company ID
    for (let i = 0; i < 6; i++) await ui.write("\t");
    await ui.write("acme-flow");
    await ui.write("\t");
    await ui.write("Acme Flow");
    await ui.write("\u0013");
    await ui.see("Review the change");
    expect(ui.frame()).toMatch(/Name\s+Joe Example\s+->\s+Joe Renamed/);
    expect(ui.frame()).toContain("POST /companies");
    await ui.write("\r");
    await ui.see("✓ User updated");
    expect(ui.frame()).toMatch(/Name\s+Joe Renamed/);
    const stored = sandbox.state.getContact(SEED.user.id) as Record<string, unknown>;
    expect(stored.name).toBe("Joe Renamed");
    expect(sandbox.state.companiesOf(SEED.user.id).map((c) => c.company_id)).toContain("acme-flow");
    // Scroll down to the companies: the new one is listed by name.
    await ui.write("\u001b[6~");
    await ui.see("Acme Flow");
    await ui.write("q");
    await waitFor(() => ui.exits.length > 0, "exit");
    expect(ui.exits).toEqual([0]);
  });

  it("an email shared by two users is an ambiguous error naming both; back keeps the input", async () => {
    sandbox.reset();
    const ui = mountReal();
    await ui.see("How do you want to identify the user?");
    await ui.write("\u001b[B");
    await ui.write("\u001b[B");
    await ui.see("❯ Current email");
    await ui.write("\r");
    await ui.see("Find the user");
    await ui.write(SEED.sharedEmail);
    await ui.write("\t");
    await ui.write("Someone");
    await ui.write("\u0013");
    await ui.see("Request id:");
    for (const id of SEED.sharedEmailContactIds) expect(ui.frame()).toContain(id);
    await ui.write("\r");
    await ui.see("Find the user");
    expect(ui.frame()).toContain(SEED.sharedEmail);
    expect(ui.frame()).toMatch(/Name\s+Someone/);
    expect(sandbox.requests().some((r) => r.method === "PUT")).toBe(false);
  });
});
