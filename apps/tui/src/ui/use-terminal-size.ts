import { useStdout } from "ink";
import { useEffect, useState } from "react";

export interface TerminalSize {
  rows: number;
  columns: number;
}

/** The terminal's size (24×80 when unknown), updated when the terminal is resized. */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    if (!stdout) return;
    const onResize = () =>
      setSize((before) => {
        const now = sizeOf(stdout);
        return now.rows === before.rows && now.columns === before.columns ? before : now;
      });
    onResize();
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [stdout]);
  return size;
}

function sizeOf(stdout: NodeJS.WriteStream | undefined): TerminalSize {
  return {
    rows: stdout?.rows && stdout.rows > 0 ? stdout.rows : 24,
    columns: stdout?.columns && stdout.columns > 0 ? stdout.columns : 80,
  };
}
