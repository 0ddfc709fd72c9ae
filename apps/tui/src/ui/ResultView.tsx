import type { AppliedStep, UpdateUserOutput } from "@intercom-kit/domain";
import { Box, Text, useInput } from "ink";
import { useMemo } from "react";
import { userSections } from "../services/output-format.js";
import { Footer, SCROLL_KEYS } from "./Footer.js";
import { ScrollIndicator } from "./ScrollIndicator.js";
import { useScrollWindow } from "./use-scroll.js";

export interface ResultViewProps {
  user: UpdateUserOutput;
  applied: readonly AppliedStep[];
  /** Things the domain wants the person to know (a truncated spend, a merged contact that was followed). */
  notes?: readonly string[];
  onAgain: () => void;
  onQuit: () => void;
  /** Lines kept for the banner, headings and footer; the rest scrolls. */
  reservedRows?: number;
}

type Line = { kind: "title"; text: string } | { kind: "row"; label: string; value: string };

/** Every output field with its label, grouped, scrollable when taller than the terminal. */
export function ResultView({ user, applied, notes = [], onAgain, onQuit, reservedRows = 8 }: ResultViewProps) {
  const lines = useMemo<Line[]>(() => {
    const out: Line[] = [];
    for (const section of userSections(user)) {
      out.push({ kind: "title", text: section.title });
      for (const r of section.rows) out.push({ kind: "row", label: r.label, value: r.value });
    }
    return out;
  }, [user]);
  const labelWidth = Math.max(...lines.map((l) => (l.kind === "row" ? l.label.length : 0)));
  const scroll = useScrollWindow(lines, reservedRows + notes.length);
  useInput((input, key) => {
    if (input === "q" || key.escape) onQuit();
    else if (input === "n" || key.return) onAgain();
  });
  const { shown, offset } = scroll;
  return (
    <Box flexDirection="column">
      <Text bold color="green">
        ✓ User updated{applied.length > 0 ? `: ${applied.map((a) => a.summary).join("; ")}` : ""}
      </Text>
      {notes.map((note) => (
        <Text key={note} color="yellow">
          Note: {note}
        </Text>
      ))}
      {shown.map((line, i) =>
        line.kind === "title" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional in a scrolled window
          <Text key={`t${offset + i}`} bold underline>
            {line.text}
          </Text>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional in a scrolled window
          <Text key={`r${offset + i}`}>
            {"  "}
            <Text dimColor>{line.label.padEnd(labelWidth)}</Text>
            {"  "}
            {line.value}
          </Text>
        ),
      )}
      <ScrollIndicator scroll={scroll} />
      <Footer
        keys={[...(scroll.scrollable ? [SCROLL_KEYS] : []), ["n/Enter", "update another user"], ["q/Esc", "quit"]]}
      />
    </Box>
  );
}
