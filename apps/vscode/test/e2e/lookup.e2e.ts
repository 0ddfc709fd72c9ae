/**
 * The lookup and the choices inside a real VS Code (code-server): picking one of two users who share an email,
 * cancelling a lookup the server stalls (a latency fault; the progress says what it waits for), choosing a whole
 * group of fields, and the review of what the pre-flight found. One code-server for the whole file; the sandbox is
 * the in-host one started from the palette, so no token is needed.
 */
import { SEED } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeServer, startCodeServer, step, visibleText, widgets } from "./harness.js";

let cs: CodeServer;
let w: ReturnType<typeof widgets>;
const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;

beforeAll(async () => {
  // One second per attempt, so a stalled call is retried (and says so) within the test's patience.
  cs = await startCodeServer({ "intercomKit.timeoutSeconds": 1 });
  w = widgets(cs.page);
});
afterAll(async () => {
  await cs?.stop();
});

function test(name: string, body: () => Promise<void>) {
  it(name, async () => {
    try {
      await body();
    } catch (error) {
      cs.failed();
      throw error;
    }
  });
}

async function findBy(label: RegExp, value: string): Promise<void> {
  await w.runCommand("Intercom: Update User");
  await w.answerPick("find the user by", label, "1/");
  await w.expectStep(": ", "2/");
  await w.inputBox().fill(value);
  await cs.page.keyboard.press("Enter");
}

describe("the lookup after the identify step, in VS Code", () => {
  test("an email two users share: pick one of them, and the steps go on with that user", async () => {
    const { page, sandbox } = cs;
    await w.runCommand("Intercom: Start Sandbox");
    await w.toast("Intercom sandbox running").waitFor({ state: "visible", timeout: 15_000 });
    await findBy(/^Current email$/, SEED.sharedEmail);
    await w.expectStep("2 users have this email; pick one", "2/");
    const rows = await visibleText(w.quickInput());
    expect(rows).toContain("(Sam Shared, shared@example.com, user ID shared-1)");
    expect(rows).toContain("(Sasha Shared, shared@example.com, user ID shared-2)");
    await w.row(/Sasha Shared/).click();
    await w.expectStep("what to change for Sasha Shared <shared@example.com>", "3/");
    await page.keyboard.press("Escape");
    // The test's own sandbox saw nothing: the in-host one was used.
    expect(sandbox.requests()).toEqual([]);
  });

  test("a stalled lookup says what it waits for and why, and Cancel returns to the identify step", async () => {
    const { page } = cs;
    // The in-host sandbox cannot be given faults from here; stop it and use the test's sandbox with a token.
    await w.runCommand("Intercom: Set Access Token");
    await w.answerInput("Intercom: Set Access Token", cs.sandbox.token);
    await w.toast("The in-host sandbox was stopped").waitFor({ state: "visible", timeout: 15_000 });
    cs.sandbox.setFaults([{ path: "/contacts/*", latencyMs: 30_000 }]);
    try {
      await findBy(/^User ID$/, "25");
      const progress = w.toast(`Looking up User ID 25 on Custom server ${cs.sandbox.url}`);
      await progress.waitFor({ state: "visible", timeout: 15_000 });
      await expect
        .poll(() => visibleText(progress), { timeout: 15_000 })
        .toMatch(
          /GET \/contacts\/find_by_external_id\/25: no answer within 1 s, retrying in [\d.]+ s \(attempt 2 of 3\)/,
        );
      await progress.locator(".monaco-button", { hasText: "Cancel" }).click();
      await w.expectStep(step("userId"), "2/");
      await expect
        .poll(() => visibleText(w.message()), { timeout: 10_000 })
        .toContain("Lookup cancelled; nothing was changed");
      expect(await w.inputBox().inputValue()).toBe("25");
    } finally {
      cs.sandbox.setFaults([]);
    }
    // Enter looks the user up again, now that the server answers.
    await page.keyboard.press("Enter");
    await w.expectStep(`what to change for ${SEED.user.name}`, "3/");
    await page.keyboard.press("Escape");
  });

  test("ticking a group asks its fields; the review shows every problem found before anything is written", async () => {
    const { page, sandbox } = cs;
    sandbox.clearRequests();
    await findBy(/^User ID$/, SEED.user.externalId);
    await w.expectStep("what to change for", "3/");
    await w.row(/^Tags$/).click();
    await expect.poll(() => visibleText(w.quickInput()), { timeout: 5000 }).toContain("3 Selected"); // the group and both fields
    await page.keyboard.press("Enter");
    await w.expectStep(step("tags"), "4/6");
    expect(await w.inputBox().getAttribute("placeholder")).toMatch(/^Current: /);
    await w.inputBox().fill(`VIP; E2E ${run}`);
    await page.keyboard.press("Enter");
    await w.answerInput(step("untags"), "No Such Tag", "5/6");
    await w.expectStep(`review the change to ${SEED.user.name}`, "6/6");
    const review = await visibleText(w.quickInput());
    expect(review).toContain(`Tag E2E ${run}`);
    expect(review).toContain(`Tag E2E ${run} is new: it is created first.`);
    expect(sandbox.requests().filter((r) => r.method !== "GET" && r.path !== "/contacts/search")).toEqual([]);
    await page.keyboard.press("Enter");
    await w.toast(`tag E2E ${run} created`).waitFor({ state: "visible", timeout: 30_000 });
    expect(sandbox.state.tagsOf(SEED.user.id).map((t) => t.name)).toContain(`E2E ${run}`);
  });
});
