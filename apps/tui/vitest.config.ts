import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}"],
    // Ink renders only the final frame when CI is set; the component tests read intermediate frames.
    env: { CI: "false", CONTINUOUS_INTEGRATION: "false", FORCE_COLOR: "0" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The end-to-end tests drive tmux sessions and child processes; keep files from competing for 2 cores.
    fileParallelism: false,
  },
});
