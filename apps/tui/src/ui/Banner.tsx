import { Box, Text } from "ink";
import type { BackendInfo } from "../services/backend-info.js";

/** Always on screen: which back end receives the writes. */
export function Banner({ backend }: { backend: BackendInfo }) {
  const sandbox = backend.kind === "sandbox";
  return (
    <Box>
      <Text bold color="cyan">
        intercom-kit
      </Text>
      <Text> · update a user · </Text>
      <Text bold color={sandbox ? "green" : "yellow"}>
        {backend.label}
      </Text>
      <Text dimColor> · API {backend.apiVersion}</Text>
    </Box>
  );
}
