import { describe, expect, it } from "vitest";
import { wrapSegments } from "../../src/ui/wrap-segments.js";

const text = (rows: ReturnType<typeof wrapSegments>) => rows.map((r) => r.map((s) => s.text).join(""));

describe("wrapSegments", () => {
  it("keeps a line that fits as one row, with its styles", () => {
    const rows = wrapSegments([{ text: "a " }, { text: "red", color: "red" }], 20);
    expect(rows).toEqual([[{ text: "a " }, { text: "red", color: "red" }]]);
  });

  it("breaks at spaces, indents the next rows, and never exceeds the width", () => {
    const rows = text(wrapSegments([{ text: "one two three four five six seven" }], 12));
    expect(rows).toEqual(["one two ", "    three ", "    four ", "    five six", "    seven"]);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(12);
  });

  it("cuts a word longer than a row, and counts wide characters as two columns", () => {
    expect(text(wrapSegments([{ text: "x".repeat(25) }], 10))).toEqual([
      "xxxxxxxxxx",
      "    xxxxxx",
      "    xxxxxx",
      "    xxx",
    ]);
    expect(text(wrapSegments([{ text: "日本語のテキスト" }], 10))).toEqual(["日本語のテ", "    キスト"]);
  });
});
