// Bundles the extension (with the workspace packages it uses) into minified CommonJS for VS Code:
// dist/extension.js (loaded on activation) and dist/sandbox.js (loaded only by "Intercom: Start Sandbox").
import { statSync } from "node:fs";
import { build } from "esbuild";

const GOAL_KB = 50;
// A hard ceiling that catches an accidental dependency (the goal above is reported, not enforced: see README).
const CEILING_KB = 150;

/** Keeps `require("./sandbox.js")` as a run-time require of the sibling bundle. */
const sandboxBesideUs = {
  name: "sandbox-beside-us",
  setup(b) {
    b.onResolve({ filter: /^\.\/sandbox\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

const common = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  external: ["vscode"],
  minify: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
};

await Promise.all([
  build({ ...common, entryPoints: ["src/extension.ts"], outfile: "dist/extension.js", plugins: [sandboxBesideUs] }),
  build({ ...common, entryPoints: ["src/sandbox-entry.ts"], outfile: "dist/sandbox.js" }),
]);

let failed = false;
for (const [file, limit] of [
  ["dist/extension.js", CEILING_KB],
  ["dist/sandbox.js", CEILING_KB],
]) {
  const kb = statSync(file).size / 1024;
  const note =
    file === "dist/extension.js" ? (kb <= GOAL_KB ? ` (goal ${GOAL_KB} KB: met)` : ` (goal ${GOAL_KB} KB: over)`) : "";
  console.log(`${file}: ${kb.toFixed(1)} KB${note}`);
  if (kb > limit) {
    console.error(`${file} is over the ${limit} KB ceiling`);
    failed = true;
  }
}
if (failed) process.exit(1);
