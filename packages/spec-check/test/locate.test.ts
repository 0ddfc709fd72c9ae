import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findRepoRoot, loadOfficialDescription, locateOfficialDir, officialDescriptionPath } from "../src/locate.js";

const empty = mkdtempSync(join(tmpdir(), "spec-check-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe("locating the official descriptions", () => {
  it("finds them next to the repo root by default", () => {
    const root = findRepoRoot();
    expect(root).toBeDefined();
    expect(locateOfficialDir({ env: {} })).toBe(join(root as string, "..", "shared", "reference", "intercom-openapi"));
    expect(officialDescriptionPath("2.15", { env: {} })).toMatch(/intercom-api-2\.15\.yaml$/);
  });

  it("throws (never skips) when they are missing", () => {
    expect(() => locateOfficialDir({ env: {}, cwd: empty })).toThrow(/official OpenAPI descriptions were not found/);
    expect(() => locateOfficialDir({ env: { INTERCOM_OPENAPI_DIR: join(empty, "nope") } })).toThrow(
      /INTERCOM_OPENAPI_DIR/,
    );
    writeFileSync(join(empty, "pnpm-workspace.yaml"), "packages: []\n");
    expect(() => locateOfficialDir({ env: {}, cwd: empty })).toThrow(/shared\/reference\/intercom-openapi/);
    expect(() => officialDescriptionPath("2.15", { dir: empty })).toThrow(/2\.15 is missing/);
    // @ts-expect-error only 2.15 and 2.16 are kept
    expect(() => officialDescriptionPath("2.7")).toThrow(/version must be one of/);
  });

  it("honours INTERCOM_OPENAPI_DIR and loads the document", () => {
    const dir = locateOfficialDir({ env: {} });
    const doc = loadOfficialDescription("2.15", { env: { INTERCOM_OPENAPI_DIR: dir }, cwd: empty });
    expect(doc.openapi).toBe("3.0.1");
    expect((doc.info as { version: string }).version).toBe("2.15");
  });
});
