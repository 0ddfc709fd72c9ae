import { useInput } from "ink";
import { useState } from "react";

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
