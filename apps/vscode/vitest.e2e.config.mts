import { defineConfig } from "vitest/config";

// The real-VS Code test: one file, run alone (it starts code-server and Chromium), with generous timeouts.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
