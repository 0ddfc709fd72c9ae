/** A run of text with one style, so a line can be cut into terminal rows without losing its colours. */
export interface Segment {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
  underline?: boolean;
  /** The form's cursor. */
  inverse?: boolean;
}

// Wide characters (CJK, full-width forms, most emoji) take two columns.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u;

const widthOf = (char: string): number => (WIDE.test(char) ? 2 : 1);

/** Terminal columns a text takes. */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += widthOf(char);
  return width;
}

/**
 * Cuts a line into rows of at most `columns` terminal columns, at spaces where it can, so a scrolled window can count
 * rows exactly instead of letting the terminal wrap them. Rows after the first start with `indent` spaces.
 */
export function wrapSegments(segments: readonly Segment[], columns: number, indent = 4): Segment[][] {
  const width = Math.max(8, columns);
  const hang = Math.min(indent, Math.floor(width / 2));
  const rows: Segment[][] = [];
  let row: Segment[] = [];
  let used = 0;
  const append = (style: Segment, text: string) => {
    const last = row.at(-1);
    if (
      last &&
      last.color === style.color &&
      last.bold === style.bold &&
      last.dim === style.dim &&
      last.underline === style.underline &&
      last.inverse === style.inverse
    )
      last.text += text;
    else row.push({ ...style, text });
  };
  const newRow = () => {
    rows.push(row);
    row = hang > 0 ? [{ text: " ".repeat(hang) }] : [];
    used = hang;
  };
  for (const segment of segments) {
    // Words and the spaces between them; a word only moves to the next row as a whole.
    for (const token of segment.text.match(/ +|[^ ]+/g) ?? []) {
      const chars = Array.from(token);
      const tokenWidth = chars.reduce((sum, c) => sum + widthOf(c), 0);
      if (used + tokenWidth <= width) {
        append(segment, token);
        used += tokenWidth;
        continue;
      }
      if (token.startsWith(" ")) {
        // Spaces at a break are dropped rather than starting the next row.
        newRow();
        continue;
      }
      if (used > hang && tokenWidth <= width - hang) newRow();
      for (const char of chars) {
        const w = widthOf(char);
        if (used + w > width) newRow();
        append(segment, char);
        used += w;
      }
    }
  }
  rows.push(row);
  return rows;
}
