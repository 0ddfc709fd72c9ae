import { callLine, describeRequestEvent, orderCalls, type PlannedCall, type StepEvent } from "@intercom-kit/domain";
import { useCallback, useEffect, useState } from "react";
import type { UserAction } from "../services/user-action.js";
import type { Line } from "./screen.js";
import type { Segment } from "./wrap-segments.js";

export type StepState = "pending" | StepEvent["state"];

export interface StepRow {
  step: string;
  /** What the row says: the planned call (method, path, purpose), or the label of a step that was not planned. */
  text: string;
  state: StepState;
}

/** The planned calls as rows that have not started, in the order they can run. */
export function pendingRows(calls: readonly PlannedCall[]): StepRow[] {
  return orderCalls([...calls]).map((c) => ({ step: c.id, text: callLine(c), state: "pending" }));
}

/** One row per call, each with its own state from `onStep`: a pending write is not ticked while a read spins. */
export function applyStepEvent(rows: readonly StepRow[], event: StepEvent): StepRow[] {
  const at = rows.findIndex((r) => r.step === event.step);
  if (at < 0) {
    // A call that was not planned: a re-check before the writes goes first, a read-back after them.
    const row: StepRow = { step: event.step, text: event.label, state: event.state };
    return event.phase === "lookup" ? [row, ...rows] : [...rows, row];
  }
  return rows.map((r, i) => (i === at ? { ...r, state: event.state } : r));
}

const ICONS: Record<StepState, Segment> = {
  pending: { text: "○ ", dim: true },
  started: { text: "", color: "cyan" },
  done: { text: "✓ ", color: "green" },
  failed: { text: "✗ ", color: "red" },
  skipped: { text: "– ", dim: true },
};

export function stepLines(rows: readonly StepRow[], spinner: string): Line[] {
  return rows.map((r) => [
    { text: "  " },
    r.state === "started" ? { text: `${spinner} `, color: "cyan" } : ICONS[r.state],
    r.state === "pending" || r.state === "skipped" ? { text: r.text, dim: true } : { text: r.text },
  ]);
}

/** Rows for a run of calls and the `onStep` that moves them. */
export function useStepRows(initial: () => StepRow[]): [StepRow[], (event: StepEvent) => void] {
  const [rows, setRows] = useState(initial);
  const onStep = useCallback((event: StepEvent) => setRows((r) => applyStepEvent(r, event)), []);
  return [rows, onStep];
}

/**
 * The latest reason a call is waiting (a retry, a rate-limit pause), from the client's events through the domain's
 * `describeRequestEvent`; cleared once that call gets its answer. Waiting is never silent.
 */
export function useWaitLine(action: UserAction): Line[] {
  const [wait, setWait] = useState<{ key: string; text: string } | null>(null);
  useEffect(
    () =>
      action.onRequestEvent((event) => {
        const key = `${event.method} ${event.path}`;
        const text = describeRequestEvent(event);
        if (text) setWait({ key, text });
        else setWait((w) => (w && w.key === key ? null : w));
      }),
    [action],
  );
  return wait
    ? [
        [
          { text: "… ", color: "yellow" },
          { text: wait.text, color: "yellow" },
        ],
      ]
    : [];
}
