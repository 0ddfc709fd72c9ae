import { Box, Text, useApp, useInput } from "ink";
import TextInput from "ink-text-input";
import { useState } from "react";
import { Footer } from "./Footer.js";

export interface TokenPromptProps {
  /** Where the token will be checked, e.g. "Intercom US (https://api.intercom.io)". */
  target: string;
  onDone: (token: string | null) => void;
}

/** Masked token entry: the token is never drawn, only one "*" per character. The root of its own Ink app. */
export function TokenPrompt({ target, onDone }: TokenPromptProps) {
  const { exit } = useApp();
  const [value, setValue] = useState("");
  const [empty, setEmpty] = useState(false);
  const finish = (token: string | null) => {
    onDone(token);
    exit();
  };
  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === "c")) finish(null);
  });
  return (
    <Box flexDirection="column">
      <Text bold>Log in to {target}</Text>
      <Text dimColor>Paste an access token from Intercom's Developer Hub (your app › Authentication).</Text>
      <Box marginTop={1}>
        <Text>Access token: </Text>
        <TextInput
          value={value}
          mask="*"
          onChange={(v) => {
            setEmpty(false);
            setValue(v);
          }}
          onSubmit={(v) => {
            if (v.trim() === "") setEmpty(true);
            else finish(v.trim());
          }}
        />
      </Box>
      {empty ? <Text color="red">✗ Access token must not be empty</Text> : null}
      <Footer
        keys={[
          ["Enter", "check and save"],
          ["Esc", "cancel"],
        ]}
      />
    </Box>
  );
}
