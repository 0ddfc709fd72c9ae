import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { findRepoRoot } from "@intercom-kit/spec-check";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import { beforeAll, describe, expect, it } from "vitest";

const root = findRepoRoot();
if (!root) throw new Error("codegen test must run inside the intercom-kit repo (no pnpm-workspace.yaml found)");
const specFile = join(root, "specs", "intercom-update-user.yaml");
const generatedFile = join(root, "packages", "core", "src", "generated", "intercom.ts");

/**
 * What `openapi-typescript <spec> -o <file>` (our `codegen` script, no redocly.yaml, no flags) writes: the banner,
 * then the printed AST. Kept in step with openapi-typescript 7.13's bin/cli.js `generateSchema`.
 */
async function regenerate(): Promise<string> {
  const ast = await openapiTS(pathToFileURL(specFile), { silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

/** The only normalisation: line endings (a Windows checkout must not fail the check). */
function normalise(source: string): string {
  return source.replace(/\r\n/g, "\n");
}

/** Where two sources first differ, for a readable failure. */
function firstDifference(a: string, b: string): string | undefined {
  const left = a.split("\n");
  const right = b.split("\n");
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] !== right[i])
      return `line ${i + 1}: committed ${JSON.stringify(left[i])} vs regenerated ${JSON.stringify(right[i])}`;
  }
  return undefined;
}

function isStale(committed: string, regenerated: string): string | undefined {
  return firstDifference(normalise(committed), normalise(regenerated));
}

let regenerated: string;
let committed: string;

beforeAll(async () => {
  regenerated = await regenerate();
  committed = readFileSync(generatedFile, "utf8");
});

describe("packages/core/src/generated/intercom.ts", () => {
  it("is exactly what `pnpm --filter @intercom-kit/core codegen` writes from specs/ (run it and commit if this fails)", () => {
    expect(isStale(committed, regenerated)).toBeUndefined();
    expect(normalise(committed)).toBe(normalise(regenerated));
  });

  it("the check notices a changed, added or removed line", () => {
    expect(isStale(committed.replace("owner_id?: number | null", "owner_id?: string | null"), regenerated)).toMatch(
      /owner_id\?: string \| null/,
    );
    expect(isStale(`${committed}\nexport type Extra = 1;\n`, regenerated)).toBeDefined();
    expect(isStale(committed.replace(/^.*enabled_push_messaging.*$/m, ""), regenerated)).toBeDefined();
    expect(isStale(committed.replace(/\n/g, "\r\n"), regenerated)).toBeUndefined();
  });

  it("regenerates from the fragment, not from a stale copy (a spec change shows up)", async () => {
    expect(regenerated).toContain('"/contacts/find_by_external_id/{external_id}"');
    expect(regenerated.startsWith(COMMENT_HEADER)).toBe(true);
    // The AST path must react to the document: regenerate from an edited in-memory copy.
    const text = readFileSync(specFile, "utf8").replace(
      "owner_id:\n          type: integer",
      "owner_id:\n          type: string",
    );
    expect(text).not.toBe(readFileSync(specFile, "utf8"));
    const edited = `${COMMENT_HEADER}${astToString(await openapiTS(text, { silent: true }))}`;
    expect(isStale(committed, edited)).toBeDefined();
  });
});
