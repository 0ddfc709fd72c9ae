import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The end-to-end tests start servers as child processes; keep files from competing for 2 cores.
    fileParallelism: false,
  },
});
