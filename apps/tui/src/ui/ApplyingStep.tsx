import { escapeControl, type PreparedUpdate, type UpdateUserResult, whoIs } from "@intercom-kit/domain";
import { useEffect } from "react";
import type { UserAction } from "../services/user-action.js";
import { pendingRows, stepLines, useStepRows, useWaitLine } from "./progress.js";
import { Screen, useSpinner } from "./screen.js";

export interface ApplyingStepProps {
  action: UserAction;
  plan: PreparedUpdate;
  onDone: (result: UpdateUserResult) => void;
}

/**
 * Applies exactly the reviewed plan (refusing if the user changed meanwhile), showing every call with its own state:
 * pending, running, done or failed. Ctrl-C (the App) unmounts this, which aborts the calls.
 */
export function ApplyingStep({ action, plan, onDone }: ApplyingStepProps) {
  const spinner = useSpinner();
  const [rows, onStep] = useStepRows(() => pendingRows(plan.calls));
  const wait = useWaitLine(action);
  useEffect(() => {
    const controller = new AbortController();
    action.apply(plan, { signal: controller.signal, onStep, refuseIfChanged: true }).then(
      (result) => {
        if (!controller.signal.aborted) onDone(result);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        onDone({
          ok: false,
          error: {
            kind: "unknown",
            message: `The update failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
            hint: "Look the user up before retrying; running the same update again is safe",
            requestId: null,
          },
        });
      },
    );
    return () => controller.abort();
  }, [action, plan, onStep, onDone]);
  const who = plan.current ? whoIs(plan.current) : `Intercom ID ${escapeControl(plan.contactId)}`;
  return (
    <Screen
      title={[
        [
          { text: `${spinner} `, color: "cyan" },
          { text: `Updating ${who}`, bold: true },
        ],
      ]}
      body={stepLines(rows, spinner)}
      status={wait}
      keys={[]}
    />
  );
}
