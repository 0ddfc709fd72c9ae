import { createInterface } from "node:readline/promises";

export type Answer = "yes" | "no" | "interrupted";

/**
 * y/N on the terminal (the question goes to stderr so stdout stays clean). Anything but y/yes is no. The terminal stays
 * in its normal (cooked) mode, so Ctrl-C is the shell's SIGINT: when `signal` fires the question is withdrawn at once
 * and the answer is "interrupted", so a key typed after Ctrl-C can never be taken as the answer.
 */
export async function confirmOnTerminal(
  question: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  signal?: AbortSignal,
): Promise<Answer> {
  if (signal?.aborted) return "interrupted";
  const rl = createInterface({ input, output, terminal: false });
  try {
    const answer = await rl.question(question, signal ? { signal } : {});
    return /^y(es)?$/i.test(answer.trim()) ? "yes" : "no";
  } catch {
    return signal?.aborted ? "interrupted" : "no";
  } finally {
    rl.close();
    // Stop reading: nothing typed from here on is anybody's answer.
    input.pause();
  }
}
