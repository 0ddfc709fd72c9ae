import type {
  FieldChange,
  LookupResult,
  UpdatePlan,
  UpdateUserError,
  UpdateUserInput,
  UpdateUserOutput,
} from "@intercom-kit/domain";
import { Box, Text, useInput } from "ink";
import { useEffect, useMemo, useState } from "react";
import { formatCall, orderCalls } from "../services/output-format.js";
import { Footer } from "./Footer.js";
import { Spinner } from "./Spinner.js";

export interface ReviewStepProps {
  input: UpdateUserInput;
  lookup: (input: UpdateUserInput, options?: { signal?: AbortSignal }) => Promise<LookupResult>;
  plan: (input: UpdateUserInput) => UpdatePlan;
  describe: (current: UpdateUserOutput | null, input: UpdateUserInput) => FieldChange[];
  onConfirm: () => void;
  onBack: () => void;
  onError: (error: UpdateUserError) => void;
}

type State = { status: "loading" } | { status: "ready"; user: UpdateUserOutput; changes: FieldChange[] };

/** Nothing is written until the person has seen the diff and the calls, and confirmed. */
export function ReviewStep({ input, lookup, plan, describe, onConfirm, onBack, onError }: ReviewStepProps) {
  const [state, setState] = useState<State>({ status: "loading" });
  const thePlan = useMemo(() => plan(input), [plan, input]);

  useEffect(() => {
    const controller = new AbortController();
    lookup(input, { signal: controller.signal }).then(
      (result) => {
        if (controller.signal.aborted) return;
        if (result.ok) setState({ status: "ready", user: result.user, changes: describe(result.user, input) });
        else onError(result.error);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        onError({
          kind: "intercom_error",
          message: `Looking the user up failed: ${error instanceof Error ? error.message : String(error)}`,
          hint: "Try again; if it keeps failing, report it with the request id",
          requestId: null,
        });
      },
    );
    return () => controller.abort();
  }, [lookup, describe, input, onError]);

  useInput((text, key) => {
    if (key.escape || text === "n") onBack();
    else if (state.status === "ready" && (key.return || text === "y")) onConfirm();
  });

  if (state.status === "loading") {
    return (
      <Box flexDirection="column">
        <Text>
          <Spinner /> Looking the user up to show what will change…
        </Text>
        <Footer keys={[["Esc", "back"]]} />
      </Box>
    );
  }

  const { user, changes } = state;
  const width = Math.max(5, ...changes.map((c) => c.label.length));
  const currentWidth = Math.max(7, ...changes.map((c) => (c.current ?? "–").length));
  const calls = orderCalls(thePlan.calls);
  return (
    <Box flexDirection="column">
      <Text bold>Review the change</Text>
      <Text>
        User: {user.name ?? "(no name)"} {user.email ? `<${user.email}>` : ""} · ID {user.id}
        {user.user_id ? ` · User ID ${user.user_id}` : ""}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>
          {"  "}
          {"Field".padEnd(width)}
          {"  "}
          {"Current".padEnd(currentWidth)}
          {"    "}New
        </Text>
        {changes.length === 0 ? <Text dimColor> (no field changes)</Text> : null}
        {changes.map((c) => (
          <Text key={c.key}>
            {"  "}
            {c.label.padEnd(width)}
            {"  "}
            <Text color="red">{(c.current ?? "–").padEnd(currentWidth)}</Text>
            {" -> "}
            <Text color="green">{c.next}</Text>
            {c.current === c.next ? <Text dimColor> (same)</Text> : null}
          </Text>
        ))}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>
          Calls ({calls.length}, {thePlan.roundTrips} round trips on the critical path)
        </Text>
        {calls.map((call, index) => (
          <Text key={call.id}>
            {"  "}
            {index + 1}. {formatCall(call)}
          </Text>
        ))}
      </Box>
      {thePlan.notes.map((note) => (
        <Text key={note} color="yellow">
          Note: {note}
        </Text>
      ))}
      <Footer
        keys={[
          ["Enter/y", "apply"],
          ["Esc/n", "back to the form"],
        ]}
      />
    </Box>
  );
}
