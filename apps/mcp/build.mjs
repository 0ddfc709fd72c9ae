// Bundles the server into dist/ (one entry plus the sandbox's chunk, loaded only when it is the back end), so the
// binary needs no node_modules: the SDK, zod and the workspace packages are all inside.
import { chmod, readdir, rm, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

// Paths from this file, so running it from another directory cannot build (or delete) the wrong `dist`.
const here = fileURLToPath(new URL(".", import.meta.url));
process.chdir(here);
const outfile = "dist/cli.js";
await rm("dist", { recursive: true, force: true });
await build({
  absWorkingDir: here,
  entryPoints: { cli: "src/cli.ts" },
  outdir: "dist",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  // Bundled CommonJS dependencies (ajv and friends, through the SDK) call require(); ESM has none, so give them one.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
  },
  logLevel: "warning",
});
await chmod(outfile, 0o755);
const { size } = await stat(outfile);
let total = size;
for (const chunk of await readdir("dist/chunks")) total += (await stat(`dist/chunks/${chunk}`)).size;
console.log(`built ${outfile}: ${(size / 1024).toFixed(1)} KB entry, ${(total / 1024).toFixed(1)} KB with its chunks`);
