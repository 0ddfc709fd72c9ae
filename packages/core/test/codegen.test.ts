import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { findRepoRoot } from "@intercom-kit/spec-check";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import { beforeAll, describe, expect, it } from "vitest";

const root = findRepoRoot();
if (!root) throw new Error("codegen test must run inside the intercom-kit repo (no pnpm-workspace.yaml found)");
/** Every fragment and the file its types are generated into; the `codegen` script must produce exactly these. */
const PAIRS = [
  { spec: "intercom-update-user.yaml", generated: "intercom.ts" },
  { spec: "intercom-update-user-2.16.yaml", generated: "intercom-2.16.ts" },
].map((p) => ({
  ...p,
  specFile: join(root, "specs", p.spec),
  generatedFile: join(root, "packages", "core", "src", "generated", p.generated),
}));

/**
 * What `openapi-typescript <spec> -o <file>` (our `codegen` script, no redocly.yaml, no flags) writes: the banner,
 * then the printed AST. Kept in step with openapi-typescript 7.13's bin/cli.js `generateSchema`.
 */
async function regenerate(specFile: string): Promise<string> {
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

const regenerated = new Map<string, string>();
const committed = new Map<string, string>();

beforeAll(async () => {
  for (const pair of PAIRS) {
    regenerated.set(pair.spec, await regenerate(pair.specFile));
    committed.set(pair.spec, readFileSync(pair.generatedFile, "utf8"));
  }
});

describe("the codegen script", () => {
  it("generates exactly the pairs checked here", () => {
    const script: string = JSON.parse(readFileSync(join(root, "packages", "core", "package.json"), "utf8")).scripts
      .codegen;
    const runs = script.split("&&").map((part) => part.trim());
    expect(runs).toEqual(PAIRS.map((p) => `openapi-typescript ../../specs/${p.spec} -o src/generated/${p.generated}`));
  });
});

describe.each(PAIRS)("packages/core/src/generated/$generated", ({ spec, specFile }) => {
  it("is exactly what `pnpm --filter @intercom-kit/core codegen` writes from specs/ (run it and commit if this fails)", () => {
    const mine = committed.get(spec) as string;
    const theirs = regenerated.get(spec) as string;
    expect(isStale(mine, theirs)).toBeUndefined();
    expect(normalise(mine)).toBe(normalise(theirs));
  });

  it("the check notices a changed, added or removed line", () => {
    const mine = committed.get(spec) as string;
    const theirs = regenerated.get(spec) as string;
    const ownerLine = /owner_id\?: (number|string) \| null/.exec(mine)?.[0] as string;
    expect(ownerLine).toBeDefined();
    const flipped = ownerLine.includes("number") ? "owner_id?: boolean | null" : "owner_id?: number | null";
    expect(isStale(mine.replace(ownerLine, flipped), theirs)).toContain(flipped);
    expect(isStale(`${mine}\nexport type Extra = 1;\n`, theirs)).toBeDefined();
    expect(isStale(mine.replace(/^.*enabled_push_messaging.*$/m, ""), theirs)).toBeDefined();
    expect(isStale(mine.replace(/\n/g, "\r\n"), theirs)).toBeUndefined();
  });

  it("regenerates from the fragment, not from a stale copy (a spec change shows up)", async () => {
    const mine = committed.get(spec) as string;
    const theirs = regenerated.get(spec) as string;
    expect(theirs).toContain('"/contacts/find_by_external_id/{external_id}"');
    expect(theirs).toContain('"/contacts/{contact_id}/archive"');
    expect(theirs.startsWith(COMMENT_HEADER)).toBe(true);
    // The AST path must react to the document: regenerate from an edited in-memory copy.
    const original = readFileSync(specFile, "utf8");
    const text = original.replace(
      "owner_id:\n          type: ",
      "owner_id:\n          type: boolean\n          x-was: ",
    );
    expect(text).not.toBe(original);
    const edited = `${COMMENT_HEADER}${astToString(await openapiTS(text, { silent: true }))}`;
    expect(isStale(mine, edited)).toBeDefined();
  });
});

it("the 2.15 and 2.16 types differ where the versions do", () => {
  const v15 = committed.get("intercom-update-user.yaml") as string;
  const v16 = committed.get("intercom-update-user-2.16.yaml") as string;
  expect(v15).toMatch(/owner_id\?: number \| null/);
  expect(v15).not.toMatch(/owner_id\?: string \| null/);
  expect(v16).toMatch(/owner_id\?: string \| null/);
  expect(v16).not.toMatch(/owner_id\?: number \| null/);
  expect(v15).not.toContain("email_verified");
  expect(v16).toContain("email_verified?: boolean | null");
});
