import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SANDBOX_LABEL } from "@intercom-kit/domain";
import { SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureBuilt, routes, startServer, tempHome } from "./harness.js";

let home: Awaited<ReturnType<typeof tempHome>>;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(() => {
  ensureBuilt();
});
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await home.remove();
});

describe("with no token anywhere: the embedded sandbox", () => {
  it("says so in its instructions and in every result, and plan -> apply works on it", async () => {
    const server = await startServer({ home: home.dir });
    cleanups.push(server.close);
    const instructions = server.client.getInstructions() ?? "";
    expect(instructions).toContain("No access token is configured, so this server talks to the embedded sandbox");
    expect(instructions).toContain("INTERCOM_ACCESS_TOKEN");

    const found = await server.call("find_user", { userId: "25" });
    expect(found.data.backend).toMatchObject({
      kind: "sandbox",
      label: SANDBOX_LABEL,
      apiVersion: "2.15",
      tokenSource: null,
    });
    expect(found.data.backend.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(found.text.split("\n")[0]).toBe(
      `Back end: ${SANDBOX_LABEL}, API 2.15. No access token is configured: nothing reaches a real Intercom workspace.`,
    );

    const planned = await server.call("plan_user_update", { userId: "25", name: "Joe Sandboxed" });
    expect(planned.data.backend.kind).toBe("sandbox");
    const applied = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(applied.data.backend.kind).toBe("sandbox");
    expect(applied.data.outcome).toBe("applied");
    expect(applied.data.user.name).toBe("Joe Sandboxed");
    const refused = await server.call("apply_user_update", { plan_id: "plan_nope" });
    expect(refused.data.backend.kind).toBe("sandbox");
    expect(refused.text).toContain("Embedded sandbox");
    expect(server.stderr()).toContain(`back end: ${SANDBOX_LABEL} at http://127.0.0.1:`);
  });

  it("the server ends with its session and leaves no process behind", async () => {
    const server = await startServer({ home: home.dir });
    const pid = server.transport.pid;
    expect(pid).not.toBeNull();
    await server.close(); // waits until the process is gone, or throws
    expect(server.stderr()).toContain("stopping (stdin closed)");
  });
});

describe("the token", () => {
  it("from the login file (with its base URL) is used when the environment has none", async () => {
    const sandbox = await startSandbox();
    cleanups.push(() => sandbox.stop());
    const dir = join(home.dir, "intercom-kit");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(join(dir, "config.json"), JSON.stringify({ token: sandbox.token, baseUrl: sandbox.url }), {
      mode: 0o600,
    });
    await chmod(join(dir, "config.json"), 0o600);
    const server = await startServer({ home: home.dir });
    cleanups.push(server.close);
    const found = await server.call("find_user", { userId: "25" });
    expect(found.data.backend).toMatchObject({ kind: "custom", baseUrl: sandbox.url, tokenSource: "the login file" });
    expect(found.data.user.id).toBe(SEED.user.id);
    expect(routes(sandbox)[0]).toBe("GET /contacts/find_by_external_id/:external_id");
  });

  it("never appears in any byte of stdout or stderr, whatever the tools answer", async () => {
    const token = "sbx_KNOWN-token-do-not-print_0123456789abcdef";
    const sandbox = await startSandbox({ token });
    cleanups.push(() => sandbox.stop());
    const stdoutFile = join(home.dir, "stdout.bin");
    const server = await startServer({ home: home.dir, sandbox, recordStdoutTo: stdoutFile, args: ["--timeout", "2"] });
    cleanups.push(server.close);
    await server.client.listTools();
    await server.call("find_user", { userId: "25" });
    await server.call("find_user", { lookupEmail: SEED.sharedEmail });
    await server.call("find_user", { userId: "nobody" });
    const planned = await server.call("plan_user_update", { userId: "25", name: "Joe Secret", tags: ["VIP"] });
    await server.call("plan_user_update", { userId: "25", email: "nope" });
    sandbox.setFaults([{ method: "GET", path: "/contacts/:id/segments", status: 503 }]);
    await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    sandbox.setFaults([{ method: "*", reset: true }]);
    await server.call("find_user", { userId: "25" });
    // A server with a wrong token: Intercom's 401 is reported without either token.
    const wrong = await startServer({
      home: home.dir,
      args: ["--base-url", sandbox.url],
      env: { INTERCOM_ACCESS_TOKEN: `${token}-wrong` },
    });
    cleanups.push(wrong.close);
    const denied = await wrong.call("find_user", { userId: "25" });
    expect(denied.data.error.kind).toBe("unauthorized");
    await wrong.close();
    await server.close();

    const stdout = await readFile(stdoutFile);
    expect(stdout.length).toBeGreaterThan(1000);
    for (const [name, bytes] of [
      ["stdout", stdout],
      ["stderr", Buffer.from(server.stderr())],
      ["stderr of the wrong-token server", Buffer.from(wrong.stderr())],
    ] as const) {
      expect(bytes.includes(token), name).toBe(false);
      expect(bytes.includes(Buffer.from(token).toString("base64")), name).toBe(false);
      expect(bytes.includes("Bearer"), name).toBe(false);
    }
  });
});

describe("plans expire", () => {
  it("a plan applied after its time is refused, and nothing is written", async () => {
    const sandbox = await startSandbox();
    cleanups.push(() => sandbox.stop());
    const server = await startServer({ home: home.dir, sandbox, args: ["--plan-ttl", "0.3"] });
    cleanups.push(server.close);
    expect(server.client.getInstructions()).toContain("expires 300 milliseconds after");
    const planned = await server.call("plan_user_update", { userId: "25", name: "Joe Too Late" });
    await new Promise((r) => setTimeout(r, 500));
    sandbox.clearRequests();
    const r = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(r.result.isError).toBe(true);
    expect(r.data.error.kind).toBe("plan_expired");
    expect(r.data.error.message).toBe(
      `Plan ${planned.data.plan_id} expired at ${planned.data.expires_at} (a plan can be applied for 300 milliseconds); nothing was written`,
    );
    expect(r.data.error.hint).toMatch(/plan_user_update again/);
    expect(sandbox.requests()).toEqual([]);
    expect(sandbox.state.getContact(SEED.user.id)?.name).toBe(SEED.user.name);
  });
});
