import type { Key } from "ink";
import { describe, expect, it } from "vitest";
import { editLine, plainKey, splitKeys } from "../../src/ui/line-edit.js";

const none: Key = plainKey();
const k = (over: Partial<Key>): Key => ({ ...none, ...over });

describe("editLine", () => {
  it.each([
    ["types at the cursor", { text: "ac", cursor: 1 }, "b", none, { text: "abc", cursor: 2 }],
    ["backspace erases left", { text: "abc", cursor: 3 }, "", k({ backspace: true }), { text: "ab", cursor: 2 }],
    [
      "DEL (reported as delete) also erases left",
      { text: "abc", cursor: 3 },
      "",
      k({ delete: true }),
      { text: "ab", cursor: 2 },
    ],
    ["backspace at 0 does nothing", { text: "abc", cursor: 0 }, "", k({ backspace: true }), { text: "abc", cursor: 0 }],
    ["left/right move", { text: "abc", cursor: 1 }, "", k({ rightArrow: true }), { text: "abc", cursor: 2 }],
    ["ctrl-a goes home", { text: "abc", cursor: 2 }, "a", k({ ctrl: true }), { text: "abc", cursor: 0 }],
    ["ctrl-u clears before the cursor", { text: "abcd", cursor: 2 }, "u", k({ ctrl: true }), { text: "cd", cursor: 0 }],
    ["paste keeps one line", { text: "", cursor: 0 }, "a\nb", none, { text: "a b", cursor: 3 }],
  ])("%s", (_n, state, input, key, want) => {
    expect(editLine(state, input, key)).toEqual(want);
  });

  it("ignores navigation keys so the form can use them", () => {
    for (const key of [k({ tab: true }), k({ return: true }), k({ upArrow: true }), k({ escape: true })]) {
      expect(editLine({ text: "x", cursor: 1 }, "", key)).toBeNull();
    }
  });
});

describe("splitKeys", () => {
  it("splits a chunk of fast typing into text, Tab, Enter, Backspace and Ctrl keys", () => {
    const events = splitKeys("25\tAda\x7f\r\x13", none);
    expect(events.map((e) => [e.input, e.key.tab, e.key.return, e.key.backspace, e.key.ctrl])).toEqual([
      ["25", false, false, false, false],
      ["", true, false, false, false],
      ["Ada", false, false, false, false],
      ["", false, false, true, false],
      ["", false, true, false, false],
      ["s", false, false, false, true],
    ]);
  });

  it("leaves single keys and plain text alone", () => {
    expect(splitKeys("abc", none)).toEqual([{ input: "abc", key: none }]);
    const tab = k({ tab: true });
    expect(splitKeys("\t", tab)).toEqual([{ input: "\t", key: tab }]);
  });
});
