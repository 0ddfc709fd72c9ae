import { execFileSync, spawnSync } from "node:child_process";
import { CLI } from "./binary.js";

/** Fails (never skips) when tmux is missing: the terminal test is the proof that the real binary works in a PTY. */
export function requireTmux(): string {
  const found = spawnSync("sh", ["-c", "command -v tmux"], { encoding: "utf8" });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === "") {
    throw new Error(
      "tmux is required for the terminal end-to-end tests but was not found on PATH. Install it (apt-get install -y tmux, as scripts/setup-e2e.sh does); this test fails rather than skips.",
    );
  }
  return path;
}

export interface TmuxSession {
  capture(): string;
  /** Everything the pane has shown, scrolled-off lines included. */
  captureAll(): string;
  /** The pane with its colours and attributes as escape sequences (capture-pane -e). */
  captureStyled(): string;
  /** The pane's title: what an OSC 0/2 sequence in the output would change. */
  title(): string;
  keys(...keys: string[]): void;
  text(text: string): void;
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  kill(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `node dist/cli.js ARGS` in a detached session on a private tmux server (its own socket), so the secret
 * reaches the program through the server's environment, not through any command line. After the program exits
 * the pane prints `EXIT=<code>` and stays open for capture.
 */
export function startTmux(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  size = { cols: 120, rows: 50 },
): TmuxSession {
  const socket = `${name}-sock`;
  const tmux = (...argv: string[]) =>
    execFileSync("tmux", ["-L", socket, ...argv], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  tmux(
    "-f",
    "/dev/null",
    "new-session",
    "-d",
    "-s",
    name,
    "-x",
    String(size.cols),
    "-y",
    String(size.rows),
    // After the program: its exit code, and whether the terminal is back in its normal mode (icanon and echo on).
    `${quoted}; echo "EXIT=$?"; echo "TTY=$(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' ')"; sleep 120`,
  );
  // A lone Esc must reach the program at once, not after tmux's default 500 ms escape wait.
  tmux("set-option", "-s", "escape-time", "0");
  const session: TmuxSession = {
    capture: () => tmux("capture-pane", "-p", "-t", name),
    captureAll: () => tmux("capture-pane", "-p", "-S", "-", "-t", name),
    captureStyled: () => tmux("capture-pane", "-e", "-p", "-S", "-", "-t", name),
    title: () => tmux("display-message", "-p", "-t", name, "#{pane_title}").trim(),
    keys: (...keys) => {
      tmux("send-keys", "-t", name, ...keys);
    },
    text: (text) => {
      tmux("send-keys", "-t", name, "-l", text);
    },
    waitFor: async (pattern, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      let last = "";
      for (;;) {
        last = session.capture();
        if (typeof pattern === "string" ? last.includes(pattern) : pattern.test(last)) {
          // Let Ink attach the new screen's input handler before the next keystroke.
          await sleep(120);
          return last;
        }
        if (Date.now() > deadline)
          throw new Error(`Timed out waiting for ${String(pattern)} in the terminal:\n${last}`);
        await sleep(50);
      }
    },
    kill: () => {
      try {
        tmux("kill-server");
      } catch {
        // Already gone.
      }
    },
  };
  return session;
}
