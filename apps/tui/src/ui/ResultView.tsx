import { escapeControl, outcomeLine, type UpdateUserResult, userSections } from "@intercom-kit/domain";
import { useHoldKeys, useKeys } from "./keys.js";
import { type Line, Screen } from "./screen.js";

export interface ResultViewProps {
  result: Extract<UpdateUserResult, { ok: true }>;
  onAgain: () => void;
  onQuit: () => void;
}

/** What happened (the domain's outcome line), the notes, and every output field with its label, scrolled to fit. */
export function ResultView({ result, onAgain, onQuit }: ResultViewProps) {
  const hold = useHoldKeys();
  useKeys((input, key) => {
    if (input === "q" || key.escape) onQuit();
    else if (input === "n" || key.return) {
      hold();
      onAgain();
    }
  });
  const unchanged = result.outcome === "unchanged";
  const title: Line[] = [
    [{ text: `${unchanged ? "= " : "✓ "}${outcomeLine(result)}`, bold: true, color: unchanged ? "yellow" : "green" }],
    ...result.notes.map((note): Line => [{ text: `Note: ${escapeControl(note)}`, color: "yellow" }]),
    ...(result.user.incomplete?.length
      ? [
          [
            {
              text: `Could not read for this record (the update itself was made): ${escapeControl(result.user.incomplete.join(", "))}`,
              color: "yellow",
            },
          ] as Line,
        ]
      : []),
  ];
  return (
    <Screen
      title={title}
      body={recordLines(result)}
      keys={[
        ["n/Enter", "update another user"],
        ["q/Esc", "quit"],
      ]}
    />
  );
}

function recordLines(result: Extract<UpdateUserResult, { ok: true }>): Line[] {
  const sections = userSections(result.user);
  const width = Math.max(...sections.flatMap((s) => s.rows.map((r) => r.label.length)), 0);
  const lines: Line[] = [];
  for (const section of sections) {
    lines.push([{ text: section.title, bold: true, underline: true }]);
    for (const r of section.rows) lines.push([{ text: `  ${r.label.padEnd(width)}  `, dim: true }, { text: r.value }]);
  }
  return lines;
}
