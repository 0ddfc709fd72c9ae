/** Control characters from Intercom data never reach the terminal: every UI string goes through the domain's escaping. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { Row } from "../../src/ui/screen.js";
import { Text } from "../../src/ui/text.js";

const UI = fileURLToPath(new URL("../../src/ui/", import.meta.url));
const HOSTILE = "Tim\x1b]0;PWNED\x07\x1b[31mRed\u202e";

describe("the UI's text", () => {
  it("shows control characters as escapes: no title change, no colour, no reordering", () => {
    for (const element of [
      <Text key="t">{HOSTILE}</Text>,
      <Row key="r" segments={[{ text: HOSTILE, color: "cyan" }]} />,
    ]) {
      const { lastFrame, unmount } = render(element);
      const frame = lastFrame() ?? "";
      expect(frame).toContain("Tim\\e]0;PWNED\\x07\\e[31mRed\\u202e");
      expect(frame).not.toContain("\x1b]");
      expect(frame).not.toContain("\x07");
      expect(frame).not.toContain("\u202e");
      unmount();
    }
  });

  it("every component takes Text from ./text.js, never Ink's own", () => {
    for (const name of readdirSync(UI).filter((n) => /\.tsx?$/.test(n) && n !== "text.tsx")) {
      const source = readFileSync(join(UI, name), "utf8");
      const fromInk = /import\s*{([^}]*)}\s*from\s*"ink"/.exec(source)?.[1] ?? "";
      expect(
        fromInk.split(",").map((s) => s.trim()),
        name,
      ).not.toContain("Text");
    }
  });
});
