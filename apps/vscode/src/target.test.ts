import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { connect, type RunningSandbox, releaseSandbox, type SandboxSlot, useSandbox } from "./target.js";

const STORED = "stored-token-for-tests";

/** A stand-in sandbox that records stop() calls (for ordering; the real server is used below). */
function fake(url: string): RunningSandbox & { stops: number } {
  const sandbox = {
    url,
    token: `token-of-${url}`,
    stops: 0,
    stop: async () => {
      sandbox.stops += 1;
    },
  };
  return sandbox;
}

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/me`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

describe("connect: the domain's chooseBackend with VS Code's token source", () => {
  const settings = { region: "us", apiVersion: "2.15", baseUrl: "", timeoutSeconds: 20 };
  const counting = (token: string | undefined) => {
    const reads = { n: 0 };
    return {
      reads,
      readToken: async () => {
        reads.n++;
        return token;
      },
    };
  };

  it("uses the running sandbox, without reading the stored token, whatever the region and base URL say", async () => {
    const { reads, readToken } = counting(STORED);
    const slot: SandboxSlot = { current: fake("http://127.0.0.1:1") };
    const c = await connect({
      settings: { ...settings, region: "eu", baseUrl: "https://proxy.example" },
      slot,
      readToken,
    });
    if (!c.ok) throw new Error(JSON.stringify(c));
    expect(c.backend.info).toMatchObject({ kind: "sandbox", baseUrl: "http://127.0.0.1:1", tokenSource: null });
    expect(c.backend.createClient().baseUrl).toBe("http://127.0.0.1:1");
    expect(reads.n).toBe(0);
    await c.backend.close(); // the command does not own the in-host sandbox
    expect((slot.current as ReturnType<typeof fake>).stops).toBe(0);
  });

  it("uses the stored token with the region setting when no sandbox runs", async () => {
    const { readToken } = counting(STORED);
    const c = await connect({ settings: { ...settings, region: "eu" }, slot: {}, readToken });
    if (!c.ok) throw new Error(JSON.stringify(c));
    expect(c.backend.info).toEqual({
      kind: "intercom",
      label: "Intercom EU (https://api.eu.intercom.io)",
      baseUrl: "https://api.eu.intercom.io",
      apiVersion: "2.15",
      tokenSource: "VS Code's secret storage",
    });
  });

  it("no sandbox and no token is not an error: the person is offered to set one or start the sandbox", async () => {
    for (const token of [undefined, "", "  "]) {
      expect(await connect({ settings, slot: {}, readToken: async () => token })).toEqual({
        ok: false,
        reason: "no-token",
      });
    }
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      "an API version",
      { apiVersion: "2.17" },
      /^the intercomKit\.apiVersion setting: The Intercom API version must be one of 2\.0, .*got "2\.17"/,
    ],
    ["a legacy version", { apiVersion: "1.4" }, /1\.x is the legacy Users API/],
    ["a region", { region: "mars" }, /^the intercomKit\.region setting must be one of us, eu, au, not "mars"/],
    ["a base URL", { baseUrl: "http://example.com" }, /^the intercomKit\.baseUrl setting: .*http/],
    [
      "a timeout",
      { timeoutSeconds: 0 },
      /^the intercomKit\.timeoutSeconds setting must be a positive number of seconds/,
    ],
    ["a timeout that is text", { timeoutSeconds: "soon" }, /^the intercomKit\.timeoutSeconds setting/],
  ])("a bad %s setting is the domain's error naming the setting, before any token is read", async (_n, bad, want) => {
    const { reads, readToken } = counting(STORED);
    const c = await connect({ settings: { ...settings, ...bad }, slot: {}, readToken });
    if (c.ok || c.reason !== "error") throw new Error(JSON.stringify(c));
    expect(c.error.kind).toBe("invalid_input");
    expect(c.error.message).toMatch(want);
    if (!("baseUrl" in bad)) expect(reads.n).toBe(0);
  });

  it("a token with a space is refused naming VS Code's command, never echoing it", async () => {
    const c = await connect({ settings, slot: {}, readToken: async () => "abc def" });
    if (c.ok || c.reason !== "error") throw new Error(JSON.stringify(c));
    expect(c.error.kind).toBe("unauthorized");
    expect(`${c.error.message} ${c.error.hint}`).toContain("run Intercom: Set Access Token");
    expect(`${c.error.message} ${c.error.hint}`).not.toContain("abc def");
  });
});

describe("useSandbox / releaseSandbox", () => {
  it("starts once and reuses the running sandbox", async () => {
    const slot: SandboxSlot = {};
    let starts = 0;
    const start = async () => fake(`http://127.0.0.1:${++starts}`);
    const first = await useSandbox(slot, start);
    const second = await useSandbox(slot, start);
    expect(first.started).toBe(true);
    expect(second).toEqual({ sandbox: first.sandbox, started: false });
    expect(starts).toBe(1);
  });

  it("two calls during one start share it; only the first reports started", async () => {
    const slot: SandboxSlot = {};
    let starts = 0;
    const start = async () => {
      starts += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return fake("http://127.0.0.1:3");
    };
    const [a, b] = await Promise.all([useSandbox(slot, start), useSandbox(slot, start)]);
    expect(starts).toBe(1);
    expect(a.sandbox).toBe(b.sandbox);
    expect([a.started, b.started]).toEqual([true, false]);
    expect(slot.starting).toBeUndefined();
  });

  it("release is false with nothing running, and stops nothing twice", async () => {
    const sandbox = fake("http://127.0.0.1:4");
    const slot: SandboxSlot = { current: sandbox };
    expect(await releaseSandbox(slot)).toBe(true);
    expect(await releaseSandbox(slot)).toBe(false);
    expect(sandbox.stops).toBe(1);
    expect(await releaseSandbox({})).toBe(false);
  });

  it("a release during a start waits for it and stops that sandbox, leaving no stale selection", async () => {
    const slot: SandboxSlot = {};
    const sandbox = fake("http://127.0.0.1:5");
    const starting = useSandbox(slot, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return sandbox;
    });
    expect(await releaseSandbox(slot)).toBe(true);
    await starting;
    expect(sandbox.stops).toBe(1);
    expect(slot.current).toBeUndefined();
    const c = await connect({ settings: {}, slot, readToken: async () => STORED });
    expect(c.ok && c.backend.info.kind).toBe("intercom");
  });

  it("a failed start leaves the slot empty, and the next call starts again", async () => {
    const slot: SandboxSlot = {};
    await expect(useSandbox(slot, () => Promise.reject(new Error("port in use")))).rejects.toThrow("port in use");
    expect(slot).toEqual({ current: undefined, starting: undefined });
    const again = await useSandbox(slot, async () => fake("http://127.0.0.1:6"));
    expect(again.started).toBe(true);
  });
});

describe("with the real sandbox", () => {
  const started: Sandbox[] = [];
  afterEach(async () => {
    for (const s of started.splice(0)) await s.stop().catch(() => undefined);
  });

  it("release really stops the server, and a later start serves again on a new server", async () => {
    const slot: SandboxSlot<Sandbox> = {};
    const start = async () => {
      const s = await startSandbox();
      started.push(s);
      return s;
    };
    const first = (await useSandbox(slot, start)).sandbox;
    expect(await reachable(first.url)).toBe(true);
    expect(await releaseSandbox(slot)).toBe(true);
    expect(await reachable(first.url)).toBe(false);
    const second = await useSandbox(slot, start);
    expect(second.started).toBe(true);
    expect(second.sandbox).not.toBe(first);
    expect(await reachable(second.sandbox.url)).toBe(true);
    const c = await connect({ settings: {}, slot, readToken: async () => STORED });
    expect(c.ok && c.backend.createClient().baseUrl).toBe(second.sandbox.url);
  });

  it("the timeoutSeconds setting is the client's per-attempt timeout", async () => {
    const sandbox = await startSandbox({ latencyMs: 2000 });
    started.push(sandbox);
    const c = await connect({
      settings: { timeoutSeconds: 0.2 },
      slot: { current: sandbox },
      readToken: async () => undefined,
    });
    if (!c.ok) throw new Error(JSON.stringify(c));
    const lines: string[] = [];
    const client = c.backend.createClient({
      maxRetries: 0,
      onEvent: (e) => lines.push(`${e.outcome} ${e.status} ${Math.round(e.durationMs / 100)}`),
    });
    const result = await client.getContact(SEED.user.id);
    expect(result.ok).toBe(false);
    expect(lines).toEqual(["failed null 2"]); // gave up after ~0.2 s, not the 2 s the server takes
    expect(!result.ok && result.error.kind).toBe("timeout");
  });
});
