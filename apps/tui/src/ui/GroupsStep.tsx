import { FIELD_GROUPS, type FieldGroup } from "@intercom-kit/domain";
import { useRef, useState } from "react";
import { useHoldKeys, useKeys } from "./keys.js";
import { type Line, Screen } from "./screen.js";

export interface GroupsStepProps {
  selected: ReadonlySet<FieldGroup>;
  onDone: (groups: Set<FieldGroup>) => void;
  onBack: () => void;
}

const CHOICES = FIELD_GROUPS.filter((g) => g.group !== "identify");

/** Which parts of the user to change (the domain's field groups); the form then asks only for those. */
export function GroupsStep({ selected, onDone, onBack }: GroupsStepProps) {
  const [index, setIndexState] = useState(0);
  const indexRef = useRef(0);
  const [chosen, setChosenState] = useState<Set<FieldGroup>>(() => new Set(selected));
  const chosenRef = useRef(chosen);
  const [empty, setEmpty] = useState(false);
  const hold = useHoldKeys();
  const setIndex = (i: number) => {
    indexRef.current = i;
    setIndexState(i);
  };
  const toggle = (group: FieldGroup) => {
    const next = new Set(chosenRef.current);
    if (next.has(group)) next.delete(group);
    else next.add(group);
    chosenRef.current = next;
    setChosenState(next);
    setEmpty(false);
  };
  useKeys((input, key) => {
    const n = CHOICES.length;
    if (key.upArrow || (key.shift && key.tab)) setIndex((indexRef.current - 1 + n) % n);
    else if (key.downArrow || key.tab) setIndex((indexRef.current + 1) % n);
    else if (input === " " || key.leftArrow || key.rightArrow) {
      const choice = CHOICES[indexRef.current];
      if (choice) toggle(choice.group);
    } else if (key.return) {
      if (chosenRef.current.size === 0) {
        setEmpty(true);
        return;
      }
      hold();
      onDone(chosenRef.current);
    } else if (key.escape) {
      hold();
      onBack();
    }
  });
  const body: Line[] = CHOICES.map((choice, i) => {
    const focused = i === index;
    return [
      { text: focused ? "❯ " : "  ", color: "cyan" },
      { text: chosen.has(choice.group) ? "[x] " : "[ ] ", ...(focused ? { color: "cyan" } : {}) },
      { text: choice.label, ...(focused ? { color: "cyan" } : {}) },
    ];
  });
  const hint = CHOICES[index]?.hint ?? "";
  return (
    <Screen
      title={[[{ text: "What do you want to change?", bold: true }]]}
      body={body}
      follow={index}
      status={[
        ...(empty ? [[{ text: "✗ Choose at least one (Space ticks it)", color: "red" }]] : []),
        [{ text: hint, dim: true }],
      ]}
      keys={[
        ["↑↓", "move"],
        ["Space", "tick"],
        ["Enter", "continue"],
        ["Esc", "back"],
      ]}
    />
  );
}
