import {
  callLine,
  changeLine,
  escapeControl,
  orderCalls,
  type PreparedUpdate,
  planSummary,
  whoIs,
} from "@intercom-kit/domain";
import { useHoldKeys, useKeys } from "./keys.js";
import { type Line, Screen } from "./screen.js";

export interface ReviewStepProps {
  plan: PreparedUpdate;
  onConfirm: () => void;
  onBack: () => void;
}

/** Nothing is written until the person has seen each change (current -> new), the calls and the notes, and said yes. */
export function ReviewStep({ plan, onConfirm, onBack }: ReviewStepProps) {
  const hold = useHoldKeys();
  useKeys((input, key) => {
    if (key.escape || input === "n" || input === "N") {
      hold();
      onBack();
    } else if (key.return || input === "y" || input === "Y") {
      hold();
      onConfirm();
    }
  });
  const who = plan.current ? whoIs(plan.current) : `Intercom ID ${escapeControl(plan.contactId)}`;
  const title: Line[] = [
    [{ text: "Review the change", bold: true }],
    [{ text: `User: ${who}` }],
    ...(plan.unchanged ? [[{ text: "Nothing differs: nothing will be written.", color: "yellow" }]] : []),
  ];
  return (
    <Screen
      title={title}
      body={reviewLines(plan)}
      keys={[
        ["Enter/y", plan.unchanged ? "continue" : "apply"],
        ["Esc/n", "back to the form"],
      ]}
    />
  );
}

/** The changes, the calls still to make and the plan's notes, as lines cut to the terminal by the screen. */
export function reviewLines(plan: PreparedUpdate): Line[] {
  const changes = plan.changes.map(changeLine);
  const width = Math.max(5, ...changes.map((c) => c.label.length));
  const lines: Line[] = [[{ text: "Changes (current -> new)", bold: true }]];
  if (changes.length === 0) lines.push([{ text: "  (no field changes)", dim: true }]);
  for (const c of changes) {
    lines.push(
      c.changed
        ? [
            { text: `  ${c.label.padEnd(width)}  ` },
            { text: c.current, color: "red" },
            { text: " -> " },
            { text: c.next, color: "green" },
          ]
        : [{ text: `  ${c.label.padEnd(width)}  ${c.text}`, dim: true }],
    );
  }
  lines.push([]);
  lines.push([{ text: `Calls to make (${planSummary(plan)} in all, lookup included)`, bold: true }]);
  orderCalls(plan.calls).forEach((call, index) => {
    lines.push([{ text: `  ${index + 1}. ${callLine(call)}` }]);
  });
  for (const note of plan.notes) lines.push([{ text: `Note: ${escapeControl(note)}`, color: "yellow" }]);
  return lines;
}
