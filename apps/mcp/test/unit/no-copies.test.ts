import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// decisions/0007: the domain owns every rule and sentence; an app asks and shows.
const dir = join(import.meta.dirname, "..", "..", "src");
const sources = readdirSync(dir)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => [f, readFileSync(join(dir, f), "utf8")] as const);

describe("the server keeps no copy of what the domain owns", () => {
  it.each(sources)("%s", (_file, text) => {
    expect(text).not.toMatch(/intercom\.io/); // the region table
    expect(text).not.toMatch(/\\d\+\\\.\\d\+/); // a version pattern
    expect(text).not.toMatch(/from "@intercom-kit\/core"|from "openapi-fetch"/); // the domain alone
    expect(text).not.toMatch(/new RegExp\(|\/\^\[a-z/i); // no field rules of its own
    expect(text).not.toMatch(/\bconsole\./); // stdout is the protocol
  });
});
