/**
 * The domain owns every rule and sentence (docs/decisions/0007): this fails when the extension grows its own version
 * pattern, region list, error formatter or attribute parser again.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as domain from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..", "src");
const sources = readdirSync(SRC)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => ({ file: f, text: readFileSync(join(SRC, f), "utf8") }));

/** Lines of code (comments dropped) matching `pattern`, as "file: line". */
function offending(pattern: RegExp): string[] {
  const out: string[] = [];
  for (const { file, text } of sources) {
    for (const line of text.split("\n")) {
      const code = line
        .replace(/\/\/.*$/, "")
        .replace(/^\s*\*.*$/, "")
        .replace(/\/\*.*?\*\//g, "");
      if (pattern.test(code)) out.push(`${file}: ${line.trim()}`);
    }
  }
  return out;
}

/** Names of functions and constants the extension defines. */
const defined = sources.flatMap(({ file, text }) =>
  [...text.matchAll(/(?:function|const|let)\s+([A-Za-z_$][\w$]*)/g)].map((m) => ({ file, name: m[1] as string })),
);

describe("the extension asks and shows; the domain decides and words", () => {
  it("defines no API version pattern (checkApiVersion is the one rule)", () => {
    expect(offending(/\\d\+?\\?\.\\d|Unstable|["']2\.1[0-9]["']|["']Preview["']/)).toEqual([]);
  });

  it("defines no region list or regional host (REGIONS via chooseBackend is the one table)", () => {
    expect(offending(/["'](us|eu|au)["']\s*[,\]]|api\.(eu\.|au\.)?intercom\.io/)).toEqual([]);
  });

  it("defines no error formatter of its own, nor any other text helper the domain exports", () => {
    const helpers = new Set(
      Object.keys(domain).filter((name) =>
        /error|Error|Line|Lines|Summary|whoIs|plural|escape|format|Text|Document|Sections/.test(name),
      ),
    );
    helpers.add("errorDetails"); // the extension's old copy
    helpers.add("requestLine");
    expect(defined.filter((d) => helpers.has(d.name)).map((d) => `${d.file}: ${d.name}`)).toEqual([]);
    // An error is put into words by the domain: no message-and-hint gluing here.
    expect(offending(/\.hint\.trim\(\)|\.message\.trim\(\)/)).toEqual([]);
  });

  it("defines no attribute parser (parseAttributeText reads what is typed, through validation)", () => {
    expect(defined.filter((d) => /attribute/i.test(d.name) && /parse|from|split/i.test(d.name))).toEqual([]);
    // Splitting on separators (the old `,(?=name=)` split) or reading JSON objects typed in a box.
    expect(offending(/split\(\s*\/[^/]*[,;][^/]*\/|JSON\.parse\(/)).toEqual([]);
  });

  it("the helpers it relies on exist in the domain (the names above are not made up)", () => {
    for (const name of [
      "checkApiVersion",
      "REGIONS",
      "chooseBackend",
      "errorMessage",
      "formatError",
      "parseAttributeText",
      "changeLine",
      "describeRequestEvent",
      "currentFieldText",
      "fieldApplies",
    ]) {
      expect(domain).toHaveProperty(name);
    }
  });
});
