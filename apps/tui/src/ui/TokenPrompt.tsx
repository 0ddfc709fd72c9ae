import { Box, useApp } from "ink";
import { useRef, useState } from "react";
import { KeyRouter, useKeys } from "./keys.js";
import { editLine } from "./line-edit.js";
import { Text } from "./text.js";

/** The token, or how the prompt was left: Esc (cancelled) or Ctrl-C (interrupted, exit 130). */
export type TokenAnswer = { token: string } | { cancelled: "escape" | "interrupt" };

export interface TokenPromptProps {
  /** Where the token will be checked, e.g. "Intercom US (https://api.intercom.io)". */
  target: string;
  onDone: (answer: TokenAnswer) => void;
}

/**
 * Masked token entry: the token is never drawn, only one "*" per character. The root of its own Ink app. Keys go
 * through the key router, so a paste that ends in a newline submits and two Backspaces in one chunk delete two.
 */
export function TokenPrompt({ target, onDone }: TokenPromptProps) {
  const { exit } = useApp();
  const finish = (answer: TokenAnswer) => {
    onDone(answer);
    exit();
  };
  return (
    <KeyRouter onInterrupt={() => finish({ cancelled: "interrupt" })}>
      <TokenField target={target} onFinish={finish} />
    </KeyRouter>
  );
}

function TokenField({ target, onFinish }: { target: string; onFinish: (answer: TokenAnswer) => void }) {
  const value = useRef({ text: "", cursor: 0 });
  const [shown, setShown] = useState(0);
  const [empty, setEmpty] = useState(false);
  const done = useRef(false);
  useKeys((input, key) => {
    if (done.current) return;
    if (key.escape) {
      done.current = true;
      onFinish({ cancelled: "escape" });
      return;
    }
    if (key.return) {
      const token = value.current.text.trim();
      if (token === "") {
        setEmpty(true);
        return;
      }
      done.current = true;
      onFinish({ token });
      return;
    }
    const next = editLine(value.current, input, key);
    if (!next) return;
    value.current = next;
    setEmpty(false);
    setShown(next.text.length);
  });
  return (
    <Box flexDirection="column">
      <Text bold>Log in to {target}</Text>
      <Text dimColor>Paste an access token from Intercom's Developer Hub (your app › Authentication).</Text>
      <Box marginTop={1}>
        <Text>
          Access token: {"*".repeat(shown)}
          <Text inverse> </Text>
        </Text>
      </Box>
      {empty ? <Text color="red">✗ Access token must not be empty</Text> : null}
      <Box marginTop={1}>
        <Text dimColor>Enter check and save · Esc cancel · Ctrl-C quit</Text>
      </Box>
    </Box>
  );
}
