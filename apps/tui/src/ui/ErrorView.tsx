import { errorDetailLines, escapeControl, type UpdateUserError } from "@intercom-kit/domain";
import { useHoldKeys, useKeys } from "./keys.js";
import { type KeyHelp, type Line, Screen } from "./screen.js";

export interface ErrorViewProps {
  error: UpdateUserError;
  onBack: () => void;
  onQuit: () => void;
  /** Offered when creating the missing custom attributes would fix the problems (the domain says which ones). */
  onCreateAttributes?: () => void;
}

/** The domain's message and details, what to do about it, and Intercom's request id when it sent one. */
export function ErrorView({ error, onBack, onQuit, onCreateAttributes }: ErrorViewProps) {
  const hold = useHoldKeys();
  useKeys((input, key) => {
    if (key.escape || key.return) {
      hold();
      onBack();
    } else if (input === "q") onQuit();
    else if (input === "c" && onCreateAttributes) {
      hold();
      onCreateAttributes();
    }
  });
  const facts = [
    `Kind: ${error.kind}`,
    ...(error.status ? [`HTTP ${error.status}`] : []),
    ...(error.requestId ? [`Request ID: ${escapeControl(error.requestId)}`] : []),
  ].join(" · ");
  const body: Line[] = [
    ...errorDetailLines(error).map((l): Line => [{ text: `  ${l}`, color: "red" }]),
    [],
    [{ text: "Hint: ", bold: true }, { text: escapeControl(error.hint) }],
    [{ text: facts, dim: true }],
  ];
  const keys: KeyHelp[] = [
    ["Enter/Esc", "back to the form (your input is kept)"],
    ...(onCreateAttributes ? ([["c", "create the missing attributes and check again"]] as const) : []),
    ["q", "quit"],
  ];
  return (
    <Screen
      title={[[{ text: `✗ ${escapeControl(error.message)}`, bold: true, color: "red" }]]}
      body={body}
      keys={keys}
    />
  );
}
