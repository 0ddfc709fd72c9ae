import type { Key } from "ink";

export interface LineState {
  text: string;
  /** Cursor position in [0, text.length]. */
  cursor: number;
}

/**
 * One keypress applied to a single-line text field. Pure, so the form can apply several keys that arrive in one
 * chunk (fast typing, tmux send-keys, paste) before React re-renders, without losing any.
 * Returns null when the key is not an editing key.
 */
export function editLine(state: LineState, input: string, key: Key): LineState | null {
  const { text, cursor } = state;
  if (key.leftArrow) return { text, cursor: Math.max(0, cursor - 1) };
  if (key.rightArrow) return { text, cursor: Math.min(text.length, cursor + 1) };
  if (key.home || (key.ctrl && input === "a")) return { text, cursor: 0 };
  if (key.end || (key.ctrl && input === "e")) return { text, cursor: text.length };
  if (key.ctrl && input === "u") return { text: text.slice(cursor), cursor: 0 };
  if (key.backspace || (key.delete && !key.ctrl)) {
    // Terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`: both erase to the left.
    if (cursor === 0) return state;
    return { text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1 };
  }
  if (key.ctrl || key.meta || key.escape || key.tab || key.return || key.upArrow || key.downArrow) return null;
  if (key.pageUp || key.pageDown) return null;
  if (input === "") return null;
  // Pasted newlines would end the line; keep the text on one line. Other control characters (a pasted escape
  // sequence) are never part of a value a person means to type, and would act on the terminal when echoed.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const typed = input.replace(/[\r\n]+/g, " ").replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
  if (typed === "") return null;
  return { text: text.slice(0, cursor) + typed + text.slice(cursor), cursor: cursor + typed.length };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: splitting on control characters is the point
const CONTROL = /[\x01-\x1a\x7f]/;

/** A Key with nothing pressed (tests and key splitting start from it). */
export function plainKey(): Key {
  return {
    upArrow: false,
    downArrow: false,
    leftArrow: false,
    rightArrow: false,
    pageDown: false,
    pageUp: false,
    home: false,
    end: false,
    return: false,
    escape: false,
    ctrl: false,
    shift: false,
    tab: false,
    backspace: false,
    delete: false,
    meta: false,
    super: false,
    hyper: false,
    capsLock: false,
    numLock: false,
  };
}

/**
 * Ink hands a chunk of plain bytes (fast typing, paste, `tmux send-keys`) to useInput as ONE event, so "25\tAda"
 * would arrive as text with a tab inside. This splits such a chunk into the keys a person pressed.
 */
export function splitKeys(input: string, key: Key): Array<{ input: string; key: Key }> {
  if (input.length <= 1 || !CONTROL.test(input) || key.ctrl || key.meta) return [{ input, key }];
  const events: Array<{ input: string; key: Key }> = [];
  let text = "";
  const flush = () => {
    if (text !== "") events.push({ input: text, key: plainKey() });
    text = "";
  };
  for (const ch of input) {
    if (ch === "\t") {
      flush();
      events.push({ input: "", key: { ...plainKey(), tab: true } });
    } else if (ch === "\r" || ch === "\n") {
      flush();
      events.push({ input: "", key: { ...plainKey(), return: true } });
    } else if (ch === "\x7f" || ch === "\b") {
      flush();
      events.push({ input: "", key: { ...plainKey(), backspace: true } });
    } else if (ch.charCodeAt(0) >= 1 && ch.charCodeAt(0) <= 26) {
      // Ctrl-letter, as Ink reports it on its own: the letter with ctrl set.
      flush();
      events.push({ input: String.fromCharCode(ch.charCodeAt(0) + 96), key: { ...plainKey(), ctrl: true } });
    } else text += ch;
  }
  flush();
  return events;
}
