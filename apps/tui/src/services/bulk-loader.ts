import type { RunBulkCommand } from "../bulk-options.js";

/**
 * Loads the bulk runner lazily (only `--from` pays for it). Returns null when this build has none: the build
 * script substitutes an empty module while apps/tui/src/bulk/command.ts does not exist.
 */
export async function loadBulkCommand(): Promise<RunBulkCommand | null> {
  try {
    const mod: { runBulkCommand?: unknown } = await import("../bulk/command.js");
    return typeof mod.runBulkCommand === "function" ? (mod.runBulkCommand as RunBulkCommand) : null;
  } catch {
    return null;
  }
}
