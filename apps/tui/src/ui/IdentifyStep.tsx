import type { FieldSpec, IdentifyBy } from "@intercom-kit/domain";
import { Box, Text, useInput } from "ink";
import { useState } from "react";
import { Footer } from "./Footer.js";

export interface IdentifyStepProps {
  /** The identify fields of the domain's field table, in its order. */
  fields: readonly FieldSpec[];
  selected: IdentifyBy;
  onSelect: (by: IdentifyBy) => void;
  onBack: () => void;
}

/** First screen: how to find the user (one of the table's "identify" fields). */
export function IdentifyStep({ fields, selected, onSelect, onBack }: IdentifyStepProps) {
  const [index, setIndex] = useState(() =>
    Math.max(
      0,
      fields.findIndex((f) => f.key === selected),
    ),
  );
  useInput((input, key) => {
    if (key.upArrow || (key.shift && key.tab)) setIndex((i) => (i - 1 + fields.length) % fields.length);
    else if (key.downArrow || key.tab) setIndex((i) => (i + 1) % fields.length);
    else if (key.return || input === " ") {
      const field = fields[index];
      if (field) onSelect(field.key as IdentifyBy);
    } else if (key.escape) onBack();
  });
  const current = fields[index];
  return (
    <Box flexDirection="column">
      <Text bold>How do you want to identify the user?</Text>
      <Box flexDirection="column" marginTop={1}>
        {fields.map((field, i) => (
          <Text key={field.key} color={i === index ? "cyan" : undefined}>
            {i === index ? "❯ " : "  "}
            {field.label}
          </Text>
        ))}
      </Box>
      {current ? <Text dimColor>{current.hint}</Text> : null}
      <Footer
        keys={[
          ["↑↓", "choose"],
          ["Enter", "select"],
          ["Esc", "quit"],
        ]}
      />
    </Box>
  );
}
