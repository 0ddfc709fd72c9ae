import type { PreparedUpdate, UpdateUserError, UpdateUserInput } from "@intercom-kit/domain";
import { useEffect } from "react";
import type { UserAction } from "../services/user-action.js";
import { useHoldKeys, useKeys } from "./keys.js";
import { stepLines, useStepRows, useWaitLine } from "./progress.js";
import { Screen, useSpinner } from "./screen.js";

export interface CheckingStepProps {
  action: UserAction;
  input: UpdateUserInput;
  /** Create custom attributes the workspace does not have yet. */
  createAttributes: boolean;
  onReady: (plan: PreparedUpdate) => void;
  onError: (error: UpdateUserError) => void;
  onBack: () => void;
}

/** The lookup and the pre-flight (reads only), each call with its own state, and why anything waits. */
export function CheckingStep({ action, input, createAttributes, onReady, onError, onBack }: CheckingStepProps) {
  const spinner = useSpinner();
  const [rows, onStep] = useStepRows(() => []);
  const wait = useWaitLine(action);
  const hold = useHoldKeys();
  useEffect(() => {
    const controller = new AbortController();
    action
      // A review shows current values and refuses to apply over a change made meanwhile: read the user even by
      // Intercom ID (readCurrent).
      .prepare(input, {
        signal: controller.signal,
        onStep,
        readCurrent: true,
        ...(createAttributes ? { createMissingAttributes: true } : {}),
      })
      .then(
        (result) => {
          if (controller.signal.aborted) return;
          if (result.ok) onReady(result.plan);
          else onError(result.error);
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          onError({
            kind: "intercom_error",
            message: `Looking the user up failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
            hint: "Try again; if it keeps failing, report it",
            requestId: null,
          });
        },
      );
    return () => controller.abort();
  }, [action, input, createAttributes, onStep, onReady, onError]);
  useKeys((_input, key) => {
    if (key.escape) {
      hold();
      onBack();
    }
  });
  return (
    <Screen
      title={[
        [
          { text: `${spinner} `, color: "cyan" },
          { text: "Looking the user up and checking every value; nothing is written yet", bold: true },
        ],
      ]}
      body={stepLines(rows, spinner)}
      status={wait}
      keys={[["Esc", "cancel"]]}
    />
  );
}
