/**
 * Update User inside a real VS Code (code-server), as a person uses it: the token, a name change in five Enter
 * presses (the user is looked up right after the identify step and the current name is shown), the result tab named
 * after the user, Show Last Result, and an unknown user sending the person back to the identify step with every
 * answer kept. One code-server for the whole file.
 */
import { SEED } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allLogs, type CodeServer, field, startCodeServer, step, visibleText, widgets } from "./harness.js";

let cs: CodeServer;
let w: ReturnType<typeof widgets>;
const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;

beforeAll(async () => {
  cs = await startCodeServer();
  w = widgets(cs.page);
});
afterAll(async () => {
  await cs?.stop();
});

/** Marks the file failed (its user data and log are kept) when `body` throws. */
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

describe("Intercom Kit inside VS Code (code-server)", () => {
  const name = `E2E User ${run}`;

  test("Set Access Token keeps the token in secret storage and offers to check it: the server accepts it", async () => {
    const { page } = cs;
    await w.runCommand("Intercom: Set Access Token");
    await w.answerInput("Intercom: Set Access Token", cs.sandbox.token);
    const saved = w.toast("Intercom access token saved");
    await saved.waitFor({ state: "visible", timeout: 15_000 });
    await saved.locator(".monaco-button", { hasText: "Check Token" }).click();
    await w
      .toast(`Custom server ${cs.sandbox.url} accepted the access token.`)
      .waitFor({ state: "visible", timeout: 15_000 });
    expect(cs.sandbox.requests().map((r) => `${r.method} ${r.path}`)).toEqual(["POST /contacts/search"]);
    const settings = (await import("node:fs")).readFileSync(`${cs.userData}/User/settings.json`, "utf8");
    expect(settings).not.toContain(cs.sandbox.token);
    await page.keyboard.press("Escape");
  });

  test("a name change takes five Enter presses: find by, the ID, what to change, the name, the review", async () => {
    const { page, sandbox } = cs;
    sandbox.clearRequests();
    let enters = 0;
    const enter = async () => {
      enters += 1;
      await page.keyboard.press("Enter");
    };
    await w.runCommand("Intercom: Update User");
    await w.expectStep("find the user by", "1/4");
    await enter(); // User ID is the first choice
    await w.expectStep(step("userId"), "2/4");
    await w.inputBox().fill(SEED.user.externalId);
    await enter();
    // Looked up at once: the next step already names the user.
    await w.expectStep(`what to change for ${SEED.user.name} <${SEED.user.email}>`, "3/4");
    expect(sandbox.requests().some((r) => r.path === `/contacts/find_by_external_id/${SEED.user.externalId}`)).toBe(
      true,
    );
    await page.keyboard.press("ArrowDown"); // the group "Name, email, phone, subscription"
    await page.keyboard.press("ArrowDown"); // its first field, Name
    await page.keyboard.press("Space");
    await expect.poll(() => visibleText(w.quickInput()), { timeout: 5000 }).toContain("1 Selected");
    await enter();
    await w.expectStep(step("name"), "4/5");
    await expect
      .poll(() => w.inputBox().getAttribute("placeholder"), { timeout: 5000 })
      .toBe(`Current: ${SEED.user.name}`);
    await w.inputBox().fill(name);
    await enter();
    await w.expectStep(`review the change to ${SEED.user.name}`, "5/5");
    await expect.poll(() => visibleText(w.quickInput()), { timeout: 10_000 }).toContain(`${SEED.user.name} -> ${name}`);
    expect(sandbox.requests().filter((r) => r.method === "PUT")).toEqual([]); // the review wrote nothing
    await enter(); // "Update the user" is the first row
    expect(enters).toBe(5);

    await w.toast(`Updated ${name}`).waitFor({ state: "visible", timeout: 30_000 });
    expect(sandbox.state.findByExternalId(SEED.user.externalId)).toMatchObject({ name });
    // The result: a JSON document whose tab is named after the user.
    await page
      .locator(".tabs-container .tab", { hasText: `${name} (intercom user).json` })
      .waitFor({ state: "visible", timeout: 15_000 });
    await expect.poll(w.editorText, { timeout: 10_000 }).toContain(`"name": "${name}"`);
  });

  test("Show Last Result opens the last result again after its tab was closed", async () => {
    const { page } = cs;
    const tab = page.locator(".tabs-container .tab", { hasText: `${name} (intercom user).json` });
    await tab.locator(".codicon-close").click();
    await tab.waitFor({ state: "detached", timeout: 10_000 });
    await w.runCommand("Intercom: Show Last Result");
    await tab.waitFor({ state: "visible", timeout: 15_000 });
    await expect.poll(w.editorText, { timeout: 10_000 }).toContain(`"user_id": "${SEED.user.externalId}"`);
  });

  test("an unknown user: back at the identify step, the error shown there, every answer kept; nothing written", async () => {
    const { page, sandbox } = cs;
    sandbox.clearRequests();
    const unknown = `no-such-user-${run}`;
    await w.runCommand("Intercom: Update User");
    await w.expectStep("find the user by");
    await page.keyboard.press("Enter");
    await w.answerInput(step("userId"), unknown, "2/");
    await expect
      .poll(() => visibleText(w.message()), { timeout: 15_000 })
      .toContain(`No user has user ID ${unknown}. Check the value, or identify the user another way`);
    await w.expectStep(step("userId"), "2/");
    expect(await w.inputBox().inputValue()).toBe(unknown);
    expect(await visibleText(w.message())).toContain("Restore from archive");
    expect(await visibleText(w.message())).not.toMatch(/--[a-z]/);
    // Back and forth: the identify choice and the text are still there.
    await page.locator(".quick-input-widget .codicon-quick-input-back").first().click();
    await w.expectStep("find the user by", "1/");
    await page.keyboard.press("Enter");
    await w.expectStep(step("userId"), "2/");
    await expect.poll(() => w.inputBox().inputValue(), { timeout: 5000 }).toBe(unknown);
    // Fixed, it goes on; what was chosen to change last time is chosen again.
    await w.inputBox().fill(SEED.plainUser.externalId);
    await page.keyboard.press("Enter");
    await w.expectStep("what to change for", "3/");
    await expect.poll(() => visibleText(w.quickInput()), { timeout: 5000 }).toContain("1 Selected");
    await page.keyboard.press("Escape");
    expect(sandbox.requests().filter((r) => r.method !== "GET" && r.path !== "/contacts/search")).toEqual([]);
    expect(allLogs(cs.userData)).toMatch(new RegExp(`GET /contacts/find_by_external_id/${unknown} → 404`));
    expect(allLogs(cs.userData)).not.toContain(sandbox.token);
    expect(field("userId").label).toBe("User ID");
  });
});
