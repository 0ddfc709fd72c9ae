import { Text } from "ink";
import type { ScrollWindow } from "./use-scroll.js";

/** "lines a–b of n" under a scrolled window, only when it does not all fit. */
export function ScrollIndicator({ scroll }: { scroll: ScrollWindow<unknown> }) {
  if (!scroll.scrollable) return null;
  return (
    <Text dimColor>
      lines {scroll.offset + 1}–{Math.min(scroll.total, scroll.offset + scroll.height)} of {scroll.total}
    </Text>
  );
}
