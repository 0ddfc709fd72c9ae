/**
 * Takes the README's screenshot (images/screenshot.png) from a real VS Code: the packaged extension in code-server,
 * driven as a person would through "Intercom: Start Sandbox" and "Intercom: Update User" up to the review, which is
 * the picture that says the most (current -> new, the calls, the notes). Not part of `test:e2e` (its name is not
 * *.e2e.ts): `node scripts/vscode-screenshot.mjs [out.png]` runs it through vitest.screenshot.config.mts, with the
 * PNG's path in INTERCOM_KIT_SCREENSHOT. It uses the e2e harness, so the two cannot drift apart.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { FIELD_GROUPS } from "@intercom-kit/domain";
import { SEED } from "@intercom-kit/sandbox";
import { expect, it } from "vitest";
import { choice, exactly, startCodeServer, step, visibleText, widgets } from "./harness.js";

const OUT = process.env.INTERCOM_KIT_SCREENSHOT;

it("the review of a change, as the README shows it", async () => {
  if (!OUT) throw new Error("INTERCOM_KIT_SCREENSHOT must name the PNG to write (scripts/vscode-screenshot.mjs does)");
  const cs = await startCodeServer(
    {
      "workbench.colorTheme": "Default Dark Modern",
      "window.commandCenter": false,
      "chat.commandCenter.enabled": false,
    },
    {
      // Tall enough for the whole review to show (the quick pick's list grows with the window); cropped below.
      viewport: { width: 1280, height: 1200 },
      deviceScaleFactor: 2,
      workspace: {
        name: "acme-support",
        files: { "users.csv": "user-id,name,unsubscribed\n25,Joseph Example,false\n", "notes.md": "# Support notes\n" },
      },
    },
  );
  try {
    const { page } = cs;
    const w = widgets(page);
    const profile = FIELD_GROUPS.find((g) => g.group === "profile");
    if (!profile) throw new Error("the domain has no profile group");

    // A newcomer's way in: the in-host sandbox, no token.
    await w.runCommand("Intercom: Start Sandbox");
    await w.toast("Intercom sandbox running").waitFor({ state: "visible", timeout: 30_000 });
    await w.runCommand("Notifications: Clear All Notifications");

    await w.runCommand("Intercom: Update User");
    await w.answerPick("find the user by", /^User ID$/, "1/");
    await w.answerInput(step("userId"), SEED.user.externalId, "2/");
    // Looked up at once; tick the group "Name, email, phone, subscription" (its fields tick with it).
    await w.expectStep(`what to change for ${SEED.user.name}`, "3/");
    await w.row(exactly(profile.label)).click();
    await expect.poll(() => visibleText(w.quickInput()), { timeout: 5000 }).toMatch(/\d+ Selected/);
    await page.keyboard.press("Enter");
    // Each step shows the current value; the subscription is already as asked, which the review notes.
    await w.expectStep(step("name"), "4/8");
    await expect
      .poll(() => w.inputBox().getAttribute("placeholder"), { timeout: 5000 })
      .toBe(`Current: ${SEED.user.name}`);
    await w.answerInput(step("name"), "Joseph Example", "4/8");
    await w.answerInput(step("email"), "joseph@example.com", "5/8");
    await w.answerInput(step("phone"), "+353 1 555 0142", "6/8");
    await w.answerPick(step("unsubscribedFromEmails"), choice("unsubscribedFromEmails", "false"), "7/8");

    await w.expectStep(`review the change to ${SEED.user.name}`, "8/8");
    const review = () => visibleText(w.quickInput());
    await expect.poll(review, { timeout: 15_000 }).toContain(`${SEED.user.name} -> Joseph Example`);
    const shown = await review();
    for (const part of ["Update the user", "Current -> new", "Calls", "Notes"]) expect(shown).toContain(part);
    expect(shown).toMatch(/PUT +\/contacts\//);
    // The whole review fits (the list is virtual: a row below its bottom would not be on the picture).
    const list = await page.locator(".quick-input-widget .quick-input-list .monaco-list").boundingBox();
    const last = await page
      .locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: "Already as asked" })
      .last()
      .boundingBox();
    expect(list && last && last.y + last.height <= list.y + list.height + 1).toBe(true);
    // Nothing else on the picture: no progress left, no hover.
    await expect
      .poll(() => page.locator(".notifications-toasts .notification-toast").count(), { timeout: 15_000 })
      .toBe(0);
    await page.mouse.move(1100, 620);
    await page.waitForTimeout(500);
    mkdirSync(dirname(OUT), { recursive: true });
    // The workbench's top left, down to just below the review: the explorer, the title and the whole widget.
    const widget = await w.quickInput().boundingBox();
    if (!widget) throw new Error("the review is not on the page");
    const clip = {
      x: 0,
      y: 0,
      width: Math.ceil(widget.x + widget.width + 48),
      height: Math.ceil(widget.y + widget.height + 40),
    };
    await page.screenshot({ path: OUT, clip });
    console.log(`wrote ${OUT}`);
  } catch (error) {
    cs.failed();
    throw error;
  } finally {
    await cs.stop();
  }
});
