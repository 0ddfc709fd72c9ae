import { Box, Text } from "ink";
import { Footer } from "./Footer.js";
import { Spinner } from "./Spinner.js";

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
        <Spinner /> {current ?? "Starting…"}
      </Text>
      <Footer keys={[]} />
    </Box>
  );
}
