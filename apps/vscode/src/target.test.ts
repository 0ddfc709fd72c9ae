import { type Sandbox, startSandbox } from "@intercom-kit/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { chooseCredentials, type RunningSandbox, releaseSandbox, type SandboxSlot, useSandbox } from "./target.js";

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

describe("chooseCredentials", () => {
  it("uses the running sandbox, without reading the stored token", async () => {
    const slot: SandboxSlot = { current: fake("http://127.0.0.1:1") };
    let reads = 0;
    const credentials = await chooseCredentials(slot, async () => {
      reads += 1;
      return STORED;
    });
    expect(credentials).toEqual({
      token: "token-of-http://127.0.0.1:1",
      baseUrl: "http://127.0.0.1:1",
      label: "the sandbox",
    });
    expect(reads).toBe(0);
  });

  it("uses the stored token and no baseUrl (so the settings decide) when no sandbox runs", async () => {
    const credentials = await chooseCredentials({}, async () => STORED);
    expect(credentials).toEqual({ token: STORED });
    expect(credentials).not.toHaveProperty("baseUrl");
  });

  it("is undefined with neither a sandbox nor a token", async () => {
    expect(await chooseCredentials({}, async () => undefined)).toBeUndefined();
    expect(await chooseCredentials({}, async () => "")).toBeUndefined();
  });

  it("switches back to the stored token once the sandbox is released", async () => {
    const sandbox = fake("http://127.0.0.1:2");
    const slot: SandboxSlot = { current: sandbox };
    expect((await chooseCredentials(slot, async () => STORED))?.baseUrl).toBe(sandbox.url);
    expect(await releaseSandbox(slot)).toBe(true);
    expect(sandbox.stops).toBe(1);
    expect(await chooseCredentials(slot, async () => STORED)).toEqual({ token: STORED });
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
    expect(await chooseCredentials(slot, async () => STORED)).toEqual({ token: STORED });
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
    expect((await chooseCredentials(slot, async () => STORED))?.baseUrl).toBe(second.sandbox.url);
  });
});
