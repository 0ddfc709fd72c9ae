import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { USAGE } from "../../src/args.js";
import { TOOL_NAMES } from "../../src/server.js";

const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");

describe("README stays in step with the server", () => {
  it("opens with the one-line client configuration", () => {
    const first = readme.split("```json\n")[1]?.split("```")[0] ?? "";
    expect(JSON.parse(first)).toEqual({ mcpServers: { "intercom-kit": { command: "intercom-kit-mcp" } } });
  });

  it.each([...USAGE.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1] as string))("documents %s", (flag) => {
    expect(readme).toContain(`\`${flag}`);
  });

  it.each(TOOL_NAMES)("documents %s in the tool table", (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, "m"));
  });
});
