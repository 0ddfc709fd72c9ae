/** The terminal's back-end wiring: its token sources and flags, handed to the domain's one back-end choice. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  chooseBackend,
  configLocation,
  type EmbeddedSandbox,
  SANDBOX_LABEL,
  selectBackend,
  writeConfig,
} from "@intercom-kit/domain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backendRequest, cliBackendDeps } from "../../src/services/backend.js";

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

const deps = (env: NodeJS.ProcessEnv = {}) =>
  cliBackendDeps(env, configLocation({ XDG_CONFIG_HOME: home }), fakeSandbox);

describe("back end selection (terminal sources and flags)", () => {
  it("no token anywhere -> the embedded sandbox, with the domain's label (its changes are gone when it stops)", async () => {
    const r = await selectBackend(backendRequest({}), deps());
    expect(r.ok && r.backend.info).toMatchObject({ kind: "sandbox", label: SANDBOX_LABEL });
    expect(SANDBOX_LABEL).not.toContain("stay on this machine");
    expect(started).toBe(1);
  });

  it("INTERCOM_ACCESS_TOKEN first, then the login file (with the region saved beside it)", async () => {
    await writeConfig(configLocation({ XDG_CONFIG_HOME: home }), { token: "stored", region: "au" });
    const fromFile = await selectBackend(backendRequest({}), deps());
    expect(fromFile.ok && fromFile.backend.info).toMatchObject({
      baseUrl: "https://api.au.intercom.io",
      tokenSource: "the login file",
    });
    const fromEnv = await selectBackend(backendRequest({}), deps({ INTERCOM_ACCESS_TOKEN: "tok" }));
    expect(fromEnv.ok && fromEnv.backend.info.tokenSource).toBe("INTERCOM_ACCESS_TOKEN");
  });

  it("a token with a space is an authentication error (exit 4) naming where it came from, never echoing it", async () => {
    const r = await chooseBackend(backendRequest({}), deps({ INTERCOM_ACCESS_TOKEN: "abc def-SECRET" }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe("unauthorized");
    expect(r.error.message).toContain("INTERCOM_ACCESS_TOKEN");
    expect(JSON.stringify(r.error)).not.toContain("SECRET");
  });

  it.each([
    ["--api-version Preview is accepted", { apiVersion: "Preview" }, true],
    ["--api-version 2.16 is accepted", { apiVersion: "2.16" }, true],
    ["--api-version 1.4 is refused (the legacy API)", { apiVersion: "1.4" }, false],
    ["--api-version 2.17 is refused", { apiVersion: "2.17" }, false],
    ["--region mars is refused", { region: "mars" }, false],
    ["--timeout 30 is accepted", { timeout: "30" }, true],
    ["--timeout soon is refused naming --timeout", { timeout: "soon" }, false],
    ["--timeout 0 is refused", { timeout: "0" }, false],
  ])("%s", async (_name, flags, ok) => {
    const r = await chooseBackend(backendRequest(flags), deps({ INTERCOM_ACCESS_TOKEN: "tok" }));
    expect(r.ok).toBe(ok);
    if (!r.ok) {
      expect(r.error.kind).toBe("invalid_input");
      const flag = Object.keys(flags)[0] === "apiVersion" ? "--api-version" : `--${Object.keys(flags)[0]}`;
      expect(r.error.message).toContain(flag);
    }
  });

  it("--timeout is seconds for the person and milliseconds for the client", () => {
    expect(backendRequest({ timeout: "2.5" }).timeoutMs).toBe(2500);
    expect(backendRequest({ timeout: "" }).timeoutMs).toBeNaN();
    expect(backendRequest({}).timeoutMs).toBeUndefined();
  });

  it("--base-url without any token is an auth error, not a silent switch to the sandbox", async () => {
    const r = await selectBackend(backendRequest({ baseUrl: "https://api.intercom.io" }), deps());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe("unauthorized");
    expect(started).toBe(0);
  });
});
