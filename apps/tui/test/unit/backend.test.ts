import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseBackend, type EmbeddedSandbox, selectBackend } from "../../src/services/backend.js";
import { configLocation, writeConfig } from "../../src/services/token-store.js";

let home: string;
let started: number;
const fakeSandbox = async (): Promise<EmbeddedSandbox> => {
  started += 1;
  return { url: "http://127.0.0.1:9", token: "sandbox-token", close: async () => {} };
};

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "ik-backend-"));
  started = 0;
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const deps = (env: NodeJS.ProcessEnv = {}) => ({
  env,
  config: configLocation({ XDG_CONFIG_HOME: home }),
  startSandbox: fakeSandbox,
});

describe("back end selection", () => {
  it("no token anywhere -> the embedded sandbox, labelled as such", async () => {
    const r = await selectBackend({}, deps());
    expect(r.ok && r.backend.info).toMatchObject({ kind: "sandbox", label: "Sandbox (changes stay on this machine)" });
    expect(started).toBe(1);
  });

  it("INTERCOM_ACCESS_TOKEN -> Intercom US by default; --region picks the region", async () => {
    const us = await selectBackend({}, deps({ INTERCOM_ACCESS_TOKEN: "tok" }));
    expect(us.ok && us.backend.info).toMatchObject({ kind: "intercom", baseUrl: "https://api.intercom.io" });
    const eu = await selectBackend({ region: "eu" }, deps({ INTERCOM_ACCESS_TOKEN: "tok" }));
    expect(eu.ok && eu.backend.info.label).toBe("Intercom EU (https://api.eu.intercom.io)");
    expect(started).toBe(0);
  });

  it("the config file's token (and its region) when the environment has none", async () => {
    await writeConfig(configLocation({ XDG_CONFIG_HOME: home }), { token: "stored", region: "au" });
    const r = await selectBackend({}, deps());
    expect(r.ok && r.backend.info.baseUrl).toBe("https://api.au.intercom.io");
  });

  it("--sandbox wins over a configured token", async () => {
    const r = await selectBackend({ sandbox: true }, deps({ INTERCOM_ACCESS_TOKEN: "tok" }));
    expect(r.ok && r.backend.info.kind).toBe("sandbox");
  });

  it("--base-url: loopback http is fine, other http is refused naming the reason", async () => {
    const ok = await selectBackend({ baseUrl: "http://127.0.0.1:4010/" }, deps({ INTERCOM_ACCESS_TOKEN: "tok" }));
    expect(ok.ok && ok.backend.info).toMatchObject({ kind: "custom", baseUrl: "http://127.0.0.1:4010" });
    const bad = await selectBackend({ baseUrl: "http://example.com" }, deps({ INTERCOM_ACCESS_TOKEN: "tok" }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ kind: "invalid_input", message: expect.stringMatching(/http:/) });
  });

  it("--base-url without any token is an auth error, not a silent switch to the sandbox", async () => {
    const r = await selectBackend({ baseUrl: "https://api.intercom.io" }, deps());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe("unauthorized");
    expect(started).toBe(0);
  });

  it("refuses --sandbox with --base-url, and bad --region / --api-version values", async () => {
    for (const request of [{ sandbox: true, baseUrl: "https://x.io" }, { region: "mars" }, { apiVersion: "two" }]) {
      const r = await selectBackend(request, deps({ INTERCOM_ACCESS_TOKEN: "tok" }));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.kind).toBe("invalid_input");
    }
  });

  it("never exposes the token on the backend object", async () => {
    const r = await selectBackend({}, deps({ INTERCOM_ACCESS_TOKEN: "tok-SECRET-123" }));
    expect(JSON.stringify(r)).not.toContain("tok-SECRET-123");
    expect(r.ok && JSON.stringify(r.backend.createClient())).not.toContain("tok-SECRET-123");
  });

  it("choosing starts nothing: the sandbox starts only when asked, so the UI can draw first", async () => {
    const chosen = await chooseBackend({}, deps());
    expect(chosen.ok && chosen.choice.info).toMatchObject({ kind: "sandbox", baseUrl: "" });
    expect(started).toBe(0);
    const r = chosen.ok ? await chosen.choice.start() : null;
    expect(r?.ok && r.backend.info.baseUrl).toBe("http://127.0.0.1:9");
    expect(started).toBe(1);
  });
});
