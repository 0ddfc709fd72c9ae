import { Box, Text } from "ink";

export type KeyHelp = readonly [keys: string, action: string];

/** The keys that work on the current screen. */
export function Footer({ keys }: { keys: readonly KeyHelp[] }) {
  return (
    <Box marginTop={1}>
      <Text dimColor>
        {keys.map(([k, action], index) => `${index > 0 ? "  ·  " : ""}${k} ${action}`).join("")}
        {"  ·  Ctrl-C quit"}
      </Text>
    </Box>
  );
}

/** The footer entry for a screen whose body scrolls. */
export const SCROLL_KEYS: KeyHelp = ["↑↓ PgUp/PgDn", "scroll"];
