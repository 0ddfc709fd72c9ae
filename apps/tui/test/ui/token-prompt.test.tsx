/** The masked token prompt takes keys the way a terminal delivers them: in chunks. */
import { afterEach, describe, expect, it } from "vitest";
import { type TokenAnswer, TokenPrompt } from "../../src/ui/TokenPrompt.js";
import { waitFor } from "../helpers.js";
import { KEY, type Mounted, mount } from "./harness.js";

let ui: Mounted | null = null;
afterEach(() => {
  ui?.unmount();
  ui = null;
});

function prompt() {
  const answers: TokenAnswer[] = [];
  ui = mount(() => <TokenPrompt target="Intercom US (https://api.intercom.io)" onDone={(a) => answers.push(a)} />);
  return { ui, answers };
}

describe("TokenPrompt", () => {
  it("never draws the token: one * per character", async () => {
    const { ui } = prompt();
    await ui.see("Access token:");
    await ui.write("secret-123");
    await ui.see("Access token: **********");
    expect(ui.raw()).not.toContain("secret");
  });

  it("two Backspaces in one chunk delete two characters", async () => {
    const { ui, answers } = prompt();
    await ui.see("Access token:");
    await ui.write("abcd");
    await ui.see("Access token: ****");
    await ui.write(`${KEY.backspace}${KEY.backspace}`);
    await ui.see(/Access token: \*\* ?$/m);
    await ui.write(KEY.enter);
    await waitFor(() => answers.length > 0, "answer");
    expect(answers).toEqual([{ token: "ab" }]);
  });

  it("a pasted token ending in a newline submits it", async () => {
    const { ui, answers } = prompt();
    await ui.see("Access token:");
    await ui.write("pasted-token-value\n");
    await waitFor(() => answers.length > 0, "answer");
    expect(answers).toEqual([{ token: "pasted-token-value" }]);
  });

  it("Esc cancels; Ctrl-C interrupts (the CLI exits 130)", async () => {
    const first = prompt();
    await first.ui.see("Access token:");
    await first.ui.write(KEY.esc);
    await waitFor(() => first.answers.length > 0, "answer");
    expect(first.answers).toEqual([{ cancelled: "escape" }]);
    first.ui.unmount();
    const second = prompt();
    await second.ui.see("Access token:");
    await second.ui.write(`abc${KEY.ctrlC}`);
    await waitFor(() => second.answers.length > 0, "answer");
    expect(second.answers).toEqual([{ cancelled: "interrupt" }]);
  });
});
