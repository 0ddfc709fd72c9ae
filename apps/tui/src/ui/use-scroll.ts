import { useInput, useStdout } from "ink";
import { useEffect, useState } from "react";

/** Scroll position over `total` lines in a window of `height`, driven by ↑↓, PgUp/PgDn, Home/End (and j/k). */
export function useScroll(total: number, height: number, isActive = true): number {
  const [offset, setOffset] = useState(0);
  const max = Math.max(0, total - height);
  useInput(
    (input, key) => {
      const page = Math.max(1, height - 1);
      let next: number | null = null;
      if (key.downArrow || input === "j") next = offset + 1;
      else if (key.upArrow || input === "k") next = offset - 1;
      else if (key.pageDown || input === " ") next = offset + page;
      else if (key.pageUp) next = offset - page;
      else if (key.home || input === "g") next = 0;
      else if (key.end || input === "G") next = max;
      if (next !== null) setOffset(Math.min(max, Math.max(0, next)));
    },
    { isActive },
  );
  return Math.min(offset, max);
}

export interface TerminalSize {
  rows: number;
  columns: number;
}

/** The terminal's size (24×80 when unknown), updated when the terminal is resized. */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    if (!stdout) return;
    const onResize = () =>
      setSize((before) => {
        const now = sizeOf(stdout);
        return now.rows === before.rows && now.columns === before.columns ? before : now;
      });
    onResize();
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [stdout]);
  return size;
}

function sizeOf(stdout: NodeJS.WriteStream | undefined): TerminalSize {
  return {
    rows: stdout?.rows && stdout.rows > 0 ? stdout.rows : 24,
    columns: stdout?.columns && stdout.columns > 0 ? stdout.columns : 80,
  };
}

/** The window of lines to draw, given the lines that can scroll and the rows they may use. */
export interface ScrollWindow<T> {
  shown: T[];
  offset: number;
  height: number;
  total: number;
  scrollable: boolean;
}

/**
 * Fits `lines` into what is left of the terminal after `reservedRows` (banner, headings, indicator, footer): at least
 * `minHeight` rows, scrolled with the keys of useScroll.
 */
export function useScrollWindow<T>(
  lines: readonly T[],
  reservedRows: number,
  { minHeight = 5, isActive = true }: { minHeight?: number; isActive?: boolean } = {},
): ScrollWindow<T> {
  const { rows } = useTerminalSize();
  const height = Math.max(minHeight, rows - reservedRows);
  const offset = useScroll(lines.length, height, isActive);
  return {
    shown: lines.slice(offset, offset + height),
    offset,
    height,
    total: lines.length,
    scrollable: lines.length > height,
  };
}
