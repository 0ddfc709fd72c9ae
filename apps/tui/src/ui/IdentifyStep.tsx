import type { FieldSpec, IdentifyBy } from "@intercom-kit/domain";
import { useRef, useState } from "react";
import { useHoldKeys, useKeys } from "./keys.js";
import { type Line, Screen } from "./screen.js";

export interface IdentifyStepProps {
  /** The identify fields of the domain's field table, in its order. */
  fields: readonly FieldSpec[];
  selected: IdentifyBy;
  onSelect: (by: IdentifyBy) => void;
  onBack: () => void;
}

/** First screen: how to find the user (one of the table's "identify" fields). */
export function IdentifyStep({ fields, selected, onSelect, onBack }: IdentifyStepProps) {
  const [index, setIndexState] = useState(() =>
    Math.max(
      0,
      fields.findIndex((f) => f.key === selected),
    ),
  );
  // Keys of one chunk (`Down Enter`) arrive before a re-render: the ref sees each key's effect.
  const indexRef = useRef(index);
  const setIndex = (i: number) => {
    indexRef.current = i;
    setIndexState(i);
  };
  const hold = useHoldKeys();
  useKeys((input, key) => {
    const n = fields.length;
    if (key.upArrow || (key.shift && key.tab)) setIndex((indexRef.current - 1 + n) % n);
    else if (key.downArrow || key.tab) setIndex((indexRef.current + 1) % n);
    else if (key.return || input === " ") {
      const field = fields[indexRef.current];
      if (!field) return;
      hold();
      onSelect(field.key as IdentifyBy);
    } else if (key.escape) onBack();
  });
  const current = fields[index];
  const body: Line[] = fields.map((field, i) => [
    { text: i === index ? "❯ " : "  ", color: "cyan" },
    i === index ? { text: field.label, color: "cyan" } : { text: field.label },
  ]);
  return (
    <Screen
      title={[[{ text: "How do you want to identify the user?", bold: true }]]}
      body={body}
      follow={index}
      status={current ? [[{ text: current.hint, dim: true }]] : []}
      keys={[
        ["↑↓", "choose"],
        ["Enter", "select"],
        ["Esc", "quit"],
      ]}
    />
  );
}
