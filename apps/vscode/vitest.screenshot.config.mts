import { defineConfig } from "vitest/config";

// The README's screenshot (scripts/vscode-screenshot.mjs): test/e2e/screenshot.ts alone, with the e2e harness.
export default defineConfig({
  test: {
    include: ["test/e2e/screenshot.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
