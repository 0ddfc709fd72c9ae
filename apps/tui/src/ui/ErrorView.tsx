import type { UpdateUserError } from "@intercom-kit/domain";
import { Box, Text, useInput } from "ink";
import { Footer } from "./Footer.js";

export interface ErrorViewProps {
  error: UpdateUserError;
  onBack: () => void;
  onQuit: () => void;
}

/** The message, what to do about it, and Intercom's request id; the input is kept for going back. */
export function ErrorView({ error, onBack, onQuit }: ErrorViewProps) {
  useInput((input, key) => {
    if (key.escape || key.return) onBack();
    else if (input === "q") onQuit();
  });
  return (
    <Box flexDirection="column">
      <Text bold color="red">
        ✗ {error.message}
      </Text>
      {(error.fieldErrors ?? []).map((e) => (
        <Text key={`${e.field}:${e.message}`} color="red">
          {"  "}
          {e.label}: {e.message}
        </Text>
      ))}
      {error.matches && error.matches.length > 0 ? <Text>Matching users: {error.matches.join(", ")}</Text> : null}
      {error.existingContactId ? <Text>Existing user with that email: {error.existingContactId}</Text> : null}
      {error.applied && error.applied.length > 0 ? (
        <Text color="yellow">Applied before the failure: {error.applied.map((a) => a.summary).join("; ")}</Text>
      ) : null}
      {error.notApplied && error.notApplied.length > 0 ? (
        <Text color="yellow">Not applied: {error.notApplied.join(", ")}</Text>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        <Text>
          <Text bold>Hint: </Text>
          {error.hint}
        </Text>
        <Text dimColor>
          Kind: {error.kind}
          {error.status ? ` · HTTP ${error.status}` : ""} · Request id: {error.requestId ?? "none"}
        </Text>
      </Box>
      <Footer
        keys={[
          ["Enter/Esc", "back to the form (your input is kept)"],
          ["q", "quit"],
        ]}
      />
    </Box>
  );
}
