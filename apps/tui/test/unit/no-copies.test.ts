/**
 * The domain owns every rule (docs/decisions/0007): the app defines no version pattern, no region list, no error
 * formatter and no attribute parser. This scans the app's source for each, and first proves the scan finds them.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** What a copy of a domain rule looks like in source text. */
const COPIES: Array<[what: string, pattern: RegExp]> = [
  ["a version pattern", /\\d[+*]?\\\.\\d|\\d\+\\\.|\[0-9\][+*]?\\\./],
  ["a version literal (use DEFAULT_API_VERSION / API_VERSIONS)", /["'`](?:1|2)\.\d{1,2}["'`]/],
  ["a region list", /["'`](?:us|eu|au)["'`]\s*[,|]\s*["'`](?:us|eu|au)["'`]/],
  ["a region literal (use REGIONS)", /["'`](?:us|eu|au)["'`]/],
  ["an error formatter", /\b(?:function|const|let)\s+(?:format\w*Error\w*|\w*[eE]rrorText|describe\w*Error)\b/],
  ["an attribute parser", /\b(?:function|const|let)\s+(?:split|parse|read)\w*Attr\w*\b/i],
  [
    "a change or plan formatter",
    /\b(?:function|const|let)\s+(?:format(?:Change|Plan|Call)\w*|orderCalls|userSections)\b/,
  ],
];

function copiesIn(text: string): string[] {
  return COPIES.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);
}

describe("the app keeps no copy of a domain rule", () => {
  it("the scan finds each kind of copy (so an empty result below means something)", () => {
    const planted = [
      String.raw`const ok = /^\d+\.\d+$/.test(version);`,
      'const fallback = "2.15";',
      'export const REGIONS = ["us", "eu", "au"];',
      'if (region === "eu") {}',
      "export function formatErrorText(error) {}",
      "function splitAttributeText(text) {}",
      "export function formatPlanText(plan) {}",
    ];
    for (const line of planted) expect(copiesIn(line), line).not.toEqual([]);
  });

  it.each(sources(SRC).map((path) => [relative(SRC, path), path]))("%s", (_name, path) => {
    expect(copiesIn(readFileSync(path, "utf8"))).toEqual([]);
  });
});
