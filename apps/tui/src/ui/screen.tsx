import { Box } from "ink";
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";
import { useKeys } from "./keys.js";
import { Text } from "./text.js";
import { useTerminalSize } from "./use-terminal-size.js";
import { type Segment, wrapSegments } from "./wrap-segments.js";

/** One logical line: styled runs, cut into terminal rows by the screen. */
export type Line = Segment[];

export type KeyHelp = readonly [keys: string, action: string];

export interface ScreenSettings {
  /** The banner's lines, on top of every screen. */
  banner: Line[];
  /** NO_COLOR is set: no colours are drawn, so the form's cursor must be a character, not an inverse cell. */
  noColor: boolean;
}

export const ScreenContext = createContext<ScreenSettings>({ banner: [], noColor: false });

export interface ScreenProps {
  /** Lines under the banner that never scroll away (the screen's title, the user). */
  title?: Line[];
  /** The part that scrolls when it does not fit. */
  body?: Line[];
  /** Lines above the key help (what the screen is waiting for). */
  status?: Line[];
  keys: readonly KeyHelp[];
  /** A body line that must stay in view (the form's focused field); arrows then belong to the screen, not scrolling. */
  follow?: number;
}

const SCROLL_HELP: KeyHelp = ["↑↓ PgUp/PgDn", "scroll"];

/**
 * Every screen's frame, cut into rows of the terminal's width: the banner, the title, the body (scrolled to fit the
 * terminal's height, so the title and the keys stay on screen however long the values are), the status, the keys.
 */
export function Screen({ title = [], body = [], status = [], keys, follow }: ScreenProps) {
  const { rows: height, columns } = useTerminalSize();
  const { banner } = useContext(ScreenContext);
  const width = Math.max(20, columns);
  const cut = (lines: Line[], indent?: number) => lines.flatMap((l) => wrapSegments(l, width, indent));
  const bodyRows: Segment[][] = [];
  const firstRowOf: number[] = [];
  for (const line of body) {
    firstRowOf.push(bodyRows.length);
    bodyRows.push(...wrapSegments(line, width));
  }
  // The banner wraps as a paragraph (no hanging indent), never into ragged columns.
  const bannerRows = cut(banner, 0);
  const fixed = bannerRows.length + 1 + cut(title).length + cut(status).length;
  const footFor = (scrollable: boolean) =>
    cut([keyLine(scrollable && follow === undefined ? [SCROLL_HELP, ...keys] : keys)]);
  // One row is left free: Ink redraws a frame as tall as the terminal by clearing the whole screen.
  let room = height - 1 - fixed - footFor(false).length;
  const scrollable = bodyRows.length > room;
  if (scrollable) room = height - 1 - fixed - footFor(true).length - 1;
  const windowHeight = Math.max(3, room);
  const max = Math.max(0, bodyRows.length - windowHeight);

  const [offset, setOffset] = useState(0);
  const offsetRef = useRef(0);
  let shown = Math.min(offset, max);
  if (follow !== undefined && firstRowOf[follow] !== undefined) {
    const row = firstRowOf[follow] as number;
    const last = (firstRowOf[follow + 1] ?? bodyRows.length) - 1;
    if (row < shown) shown = row;
    else if (last >= shown + windowHeight) shown = Math.min(max, last - windowHeight + 1);
  }
  offsetRef.current = shown;
  useEffect(() => {
    if (offset !== offsetRef.current) setOffset(offsetRef.current);
  });
  useKeys(
    (_input, key) => {
      const page = Math.max(1, windowHeight - 1);
      let next: number | null = null;
      if (key.downArrow) next = offsetRef.current + 1;
      else if (key.upArrow) next = offsetRef.current - 1;
      else if (key.pageDown) next = offsetRef.current + page;
      else if (key.pageUp) next = offsetRef.current - page;
      else if (key.home) next = 0;
      else if (key.end) next = max;
      if (next === null) return;
      offsetRef.current = Math.min(max, Math.max(0, next));
      setOffset(offsetRef.current);
    },
    follow === undefined && scrollable,
  );

  const window = bodyRows.slice(shown, shown + windowHeight);
  const indicator: Line[] = scrollable
    ? [
        [
          {
            text: `lines ${shown + 1}–${Math.min(bodyRows.length, shown + windowHeight)} of ${bodyRows.length}`,
            dim: true,
          },
        ],
      ]
    : [];
  return (
    <Box flexDirection="column">
      <Rows rows={bannerRows} />
      <Text> </Text>
      <Rows rows={cut(title)} />
      <Rows rows={window} />
      <Rows rows={cut(indicator)} />
      <Rows rows={cut(status)} />
      <Rows rows={footFor(scrollable)} />
    </Box>
  );
}

function keyLine(keys: readonly KeyHelp[]): Line {
  const text = [...keys, ["Ctrl-C", "quit"] as const].map(([k, action]) => `${k} ${action}`).join("  ·  ");
  return [{ text, dim: true }];
}

function Rows({ rows }: { rows: Segment[][] }): ReactNode {
  return rows.map((segments, index) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional within a frame
    <Row key={index} segments={segments} />
  ));
}

/** One terminal row, never wider than the terminal, so the frame's height is exact. */
export function Row({ segments }: { segments: readonly Segment[] }) {
  if (segments.length === 0 || segments.every((s) => s.text === "")) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {segments.map((segment, index) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: runs are positional within a row
          key={index}
          {...(segment.color ? { color: segment.color } : {})}
          bold={segment.bold ?? false}
          dimColor={segment.dim ?? false}
          underline={segment.underline ?? false}
          inverse={segment.inverse ?? false}
        >
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** The spinner's current frame (the "dots" frames), as text a line can hold. */
export function useSpinner(active = true): string {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), 80);
    return () => clearInterval(timer);
  }, [active]);
  return FRAMES[frame] as string;
}
