import { readdirSync } from "node:fs";
import { join } from "node:path";
import { findRepoRoot, loadOpenApiFile } from "@intercom-kit/spec-check";
import { describe, expect, it } from "vitest";
import {
  API_VERSIONS,
  checkApiVersion,
  createIntercomClient,
  DEFAULT_API_VERSION,
  isRegion,
  PROVEN_API_VERSIONS,
  REGION_BASE_URLS,
  REGIONS,
} from "../src/index.js";

const root = findRepoRoot();
if (!root) throw new Error("versions test must run inside the intercom-kit repo (no pnpm-workspace.yaml found)");

function fragments() {
  const dir = join(root as string, "specs");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map(
      (f) =>
        loadOpenApiFile(join(dir, f)) as { info: { version: string }; servers: { url: string }[] } & {
          components: { schemas: { intercom_version: { enum: string[] } } };
        },
    );
}

describe("API versions", () => {
  it("are every 2.x version up to 2.16, and Preview", () => {
    expect(API_VERSIONS).toEqual([...Array.from({ length: 17 }, (_, i) => `2.${i}`), "Preview"]);
    expect(Object.isFrozen(API_VERSIONS)).toBe(true);
  });

  it("the proven ones are exactly the versions of the fragments in specs/, and the default is one of them", () => {
    expect([...PROVEN_API_VERSIONS]).toEqual(["2.15", "2.16"]);
    expect(
      fragments()
        .map((f) => f.info.version)
        .sort(),
    ).toEqual([...PROVEN_API_VERSIONS]);
    expect(PROVEN_API_VERSIONS).toContain(DEFAULT_API_VERSION);
    expect(DEFAULT_API_VERSION).toBe("2.15");
  });

  it("every numbered version we accept is a value of the official Intercom-Version enum", () => {
    const newest = fragments().find((f) => f.info.version === "2.16");
    const official = newest?.components.schemas.intercom_version.enum ?? [];
    for (const v of API_VERSIONS.filter((v) => v !== "Preview")) expect(official, v).toContain(v);
  });

  it.each([
    ["2.15", "2.15"],
    ["  2.16\n", "2.16"],
    ["2.0", "2.0"],
    ["Preview", "Preview"],
    ["preview", "Preview"],
    [" PREVIEW ", "Preview"],
  ])("accepts %j as %s", (text, version) => {
    expect(checkApiVersion(text)).toEqual({ ok: true, version });
  });

  it.each([
    ["", /is empty; use one of 2\.0, 2\.1,.* 2\.16, Preview$/],
    ["   ", /is empty/],
    ["2.17", /must be one of 2\.0, .*, 2\.16, Preview; got "2\.17"$/],
    ["1.4", /got "1\.4" \(1\.x is the legacy Users API, which intercom-kit does not use\)$/],
    ["Unstable", /\("Unstable" is now called "Preview"\)$/],
    ["2.15.0", /got "2\.15\.0"/],
    ["v2.15", /got "v2\.15"/],
    [42 as unknown as string, /must be one of 2\.0/],
  ])("refuses %j naming the accepted values", (text, message) => {
    const checked = checkApiVersion(text);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toMatch(message);
  });

  it("does not echo a long value (it may be a secret pasted into the wrong field)", () => {
    const secret = "dG9rOjEyMzQ1Njc4OTA6YWJjZGVmZ2hpams=";
    const checked = checkApiVersion(secret);
    expect(checked).toEqual({ ok: false, message: expect.stringContaining("got a value of 36 characters") });
    if (!checked.ok) expect(checked.message).not.toContain(secret.slice(0, 8));
    let thrown: unknown;
    try {
      createIntercomClient({ token: secret, version: secret });
    } catch (error) {
      thrown = error;
    }
    expect(String(thrown)).toMatch(/options\.version/);
    expect(String(thrown)).not.toContain(secret);
  });

  it("the client sends the checked, trimmed version", () => {
    expect(createIntercomClient({ token: "tok_versions_1234", version: " 2.16 " }).version).toBe("2.16");
    expect(createIntercomClient({ token: "tok_versions_1234", version: "preview" }).version).toBe("Preview");
    expect(createIntercomClient({ token: "tok_versions_1234" }).version).toBe(DEFAULT_API_VERSION);
  });
});

describe("regions", () => {
  it("one table: ids, labels and hosts, the same as REGION_BASE_URLS and the fragments' servers", () => {
    expect(REGIONS.map((r) => r.id)).toEqual(["us", "eu", "au"]);
    expect(REGIONS.map((r) => r.label)).toEqual(["United States", "Europe", "Australia"]);
    expect(Object.fromEntries(REGIONS.map((r) => [r.id, r.baseUrl]))).toEqual(REGION_BASE_URLS);
    for (const f of fragments()) expect(f.servers.map((s) => s.url)).toEqual(REGIONS.map((r) => r.baseUrl));
    expect(Object.isFrozen(REGIONS)).toBe(true);
    expect(Object.isFrozen(REGIONS[0])).toBe(true);
    expect(Object.isFrozen(REGION_BASE_URLS)).toBe(true);
  });

  it.each([
    ["us", true],
    ["eu", true],
    ["au", true],
    ["US", false],
    [" eu", false],
    ["mars", false],
    ["toString", false],
    ["__proto__", false],
    ["hasOwnProperty", false],
    [undefined, false],
    [null, false],
    [1, false],
  ])("isRegion(%j) is %s", (x, want) => {
    expect(isRegion(x)).toBe(want);
  });
});
