import { spawn } from "node:child_process";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FIELDS } from "@intercom-kit/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_DIR, CLI, ensureBuilt, tempHome } from "./harness.js";

// The MCP Inspector's CLI mode (@modelcontextprotocol/inspector-cli) against the built server, offline: the server
// runs on its embedded sandbox (no token), as a newcomer's first run would.
const INSPECTOR = join(APP_DIR, "node_modules", ".bin", "mcp-inspector-cli");
let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;
let work: string;
let config: string;

beforeAll(async () => {
  ensureBuilt();
  home = await tempHome();
  // `intercom-kit-mcp` on PATH, as an installed package puts it, so the one-line client configuration runs as written.
  const bin = join(home.dir, "bin");
  await mkdir(bin);
  await symlink(CLI, join(bin, "intercom-kit-mcp"));
  config = join(home.dir, "mcp.json");
  await writeFile(config, '{"mcpServers": {"intercom-kit": {"command": "intercom-kit-mcp"}}}\n');
  // inspector-cli 1.0.3 checks for "../package.json" from the working directory, then imports its own from there.
  work = join(home.dir, "work");
  await mkdir(work);
  await writeFile(join(home.dir, "package.json"), "{}\n");
  env = { PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: home.dir, XDG_CONFIG_HOME: home.dir };
});
afterAll(async () => {
  await home?.remove();
});

function inspect(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(INSPECTOR, ["--cli", ...args], { cwd: work, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`mcp-inspector-cli ${args.join(" ")} did not finish\n${stderr}`));
    }, 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("mcp-inspector-cli against the built server", () => {
  it("--method tools/list lists the three tools with schemas from FIELDS", async () => {
    const r = await inspect([process.execPath, CLI, "--method", "tools/list"]);
    expect(r.code, r.stderr).toBe(0);
    const { tools } = JSON.parse(r.stdout);
    expect(tools.map((t: { name: string }) => t.name)).toEqual(["find_user", "plan_user_update", "apply_user_update"]);
    const plan = tools.find((t: { name: string }) => t.name === "plan_user_update");
    for (const f of FIELDS) expect(plan.inputSchema.properties[f.key].description).toContain(f.label);
    for (const t of tools) {
      expect(t.outputSchema.type).toBe("object");
      expect(typeof t.annotations.readOnlyHint).toBe("boolean");
    }
  });

  it("--method tools/call --tool-name find_user --tool-arg userId=25, started from the one-line client configuration", async () => {
    const r = await inspect([
      "--config",
      config,
      "--server",
      "intercom-kit",
      "--method",
      "tools/call",
      "--tool-name",
      "find_user",
      "--tool-arg",
      "userId=25",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent.ok).toBe(true);
    expect(result.structuredContent.user).toMatchObject({
      user_id: "25",
      name: "Joe Example",
      email: "joe@example.com",
    });
    expect(result.structuredContent.backend.kind).toBe("sandbox");
    expect(result.content[0].text).toContain("Found Joe Example <joe@example.com>.");
  });

  it("a refusal is a tool result (isError), not a protocol error", async () => {
    const r = await inspect([
      process.execPath,
      CLI,
      "--method",
      "tools/call",
      "--tool-name",
      "apply_user_update",
      "--tool-arg",
      "plan_id=plan_unknown",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.isError).toBe(true);
    expect(result.structuredContent.error.kind).toBe("plan_unknown");
    expect(result.content[0].text).not.toMatch(/\n\s+at /); // no stack
  });
});
