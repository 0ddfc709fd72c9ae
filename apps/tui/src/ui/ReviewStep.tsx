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
import { Footer, SCROLL_KEYS } from "./Footer.js";
import { ScrollIndicator } from "./ScrollIndicator.js";
import { Spinner } from "./Spinner.js";
import { useScrollWindow, useTerminalSize } from "./use-scroll.js";
import { type Segment, wrapSegments } from "./wrap-segments.js";

export interface ReviewStepProps {
  input: UpdateUserInput;
  lookup: (input: UpdateUserInput, options?: { signal?: AbortSignal }) => Promise<LookupResult>;
  plan: (input: UpdateUserInput) => UpdatePlan;
  describe: (current: UpdateUserOutput | null, input: UpdateUserInput) => FieldChange[];
  onConfirm: () => void;
  onBack: () => void;
  onError: (error: UpdateUserError) => void;
  /** Rows kept for the banner, title, user line, indicator and footer; the diff, calls and notes scroll in the rest. */
  reservedRows?: number;
}

type State = { status: "loading" } | { status: "ready"; user: UpdateUserOutput; changes: FieldChange[] };

interface Line {
  key: string;
  segments: Segment[];
}

/** Nothing is written until the person has seen the diff and the calls, and confirmed. */
export function ReviewStep({
  input,
  lookup,
  plan,
  describe,
  onConfirm,
  onBack,
  onError,
  reservedRows = 9,
}: ReviewStepProps) {
  const [state, setState] = useState<State>({ status: "loading" });
  const thePlan = useMemo(() => plan(input), [plan, input]);
  const { columns } = useTerminalSize();
  // Cut into rows here rather than letting the terminal wrap, so the window never runs past the screen.
  const rows = useMemo(
    () =>
      state.status === "ready"
        ? reviewLines(state.changes, thePlan).flatMap((line) =>
            wrapSegments(line.segments, columns).map((segments, i) => ({ key: `${line.key}#${i}`, segments })),
          )
        : [],
    [state, thePlan, columns],
  );
  const scroll = useScrollWindow(rows, reservedRows, { isActive: state.status === "ready" });

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

  const { user } = state;
  return (
    <Box flexDirection="column">
      <Text bold>Review the change</Text>
      <Text>
        User: {user.name ?? "(no name)"} {user.email ? `<${user.email}>` : ""} · ID {user.id}
        {user.user_id ? ` · User ID ${user.user_id}` : ""}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {scroll.shown.map((row) => (
          <RowView key={row.key} segments={row.segments} />
        ))}
      </Box>
      <ScrollIndicator scroll={scroll} />
      <Footer
        keys={[...(scroll.scrollable ? [SCROLL_KEYS] : []), ["Enter/y", "apply"], ["Esc/n", "back to the form"]]}
      />
    </Box>
  );
}

/** The diff, the calls and the plan's notes, each line as styled runs so it can be cut into terminal rows. */
function reviewLines(changes: FieldChange[], thePlan: UpdatePlan): Line[] {
  const width = Math.max(5, ...changes.map((c) => c.label.length));
  const currentWidth = Math.max(7, ...changes.map((c) => (c.current ?? "–").length));
  const calls = orderCalls(thePlan.calls);
  const lines: Line[] = [
    {
      key: "head",
      segments: [{ text: `  ${"Field".padEnd(width)}  ${"Current".padEnd(currentWidth)}    New`, bold: true }],
    },
  ];
  if (changes.length === 0) lines.push({ key: "none", segments: [{ text: "  (no field changes)", dim: true }] });
  changes.forEach((c, index) => {
    // Several changes share a key (one per custom attribute), so the position makes it unique.
    lines.push({
      key: `change:${index}:${c.label}`,
      segments: [
        { text: `  ${c.label.padEnd(width)}  ` },
        { text: (c.current ?? "–").padEnd(currentWidth), color: "red" },
        { text: " -> " },
        { text: c.next, color: "green" },
        ...(c.current === c.next ? [{ text: " (same)", dim: true }] : []),
      ],
    });
  });
  lines.push({ key: "gap", segments: [] });
  lines.push({
    key: "calls",
    segments: [{ text: `Calls (${calls.length}, ${thePlan.roundTrips} round trips on the critical path)`, bold: true }],
  });
  calls.forEach((call, index) => {
    lines.push({ key: `call:${call.id}`, segments: [{ text: `  ${index + 1}. ${formatCall(call)}` }] });
  });
  thePlan.notes.forEach((note, index) => {
    lines.push({ key: `note:${index}`, segments: [{ text: `Note: ${note}`, color: "yellow" }] });
  });
  return lines;
}

/** One terminal row: never wider than the terminal, so the scrolled window's height is exact. */
function RowView({ segments }: { segments: readonly Segment[] }) {
  if (segments.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {segments.map((segment, index) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: runs are positional within a row
          key={index}
          {...(segment.color ? { color: segment.color } : {})}
          bold={segment.bold ?? false}
          dimColor={segment.dim ?? false}
        >
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}
