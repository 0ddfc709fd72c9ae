import { Box, Text } from "ink";
import Spinner from "ink-spinner";
import { Footer } from "./Footer.js";

export interface RunningStepProps {
  /** The step in progress, as onStep named it. */
  current: string | null;
  done: readonly string[];
}

export function RunningStep({ current, done }: RunningStepProps) {
  return (
    <Box flexDirection="column">
      <Text bold>Updating the user</Text>
      {done.map((label) => (
        <Text key={label} color="green">
          {"  ✓ "}
          {label}
        </Text>
      ))}
      <Text>
        {"  "}
        <Text color="cyan">
          <Spinner type="dots" />
        </Text>{" "}
        {current ?? "Starting…"}
      </Text>
      <Footer keys={[]} />
    </Box>
  );
}
