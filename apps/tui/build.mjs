// Bundles the CLI (dist/cli.js plus chunks it loads on demand) so the binary starts fast and needs no node_modules.
import { chmod, readdir, rm, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { inkDevtoolsStub, yogaWithoutFetch } from "./esbuild-plugins.mjs";

// Paths from this file, so running it from another directory cannot build (or delete) the wrong `dist`.
const here = fileURLToPath(new URL(".", import.meta.url));
process.chdir(here);
const outfile = "dist/cli.js";
await rm("dist", { recursive: true, force: true });
await build({
  absWorkingDir: here,
  entryPoints: { cli: "src/cli.ts" },
  outdir: "dist",
  // The terminal UI (Ink, React, yoga), the sandbox and the bulk runner are loaded only by the paths that need them,
  // so `--json` scripts and `--help` skip them.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  jsx: "automatic",
  define: { "process.env.NODE_ENV": '"production"', "process.env.DEV": "undefined" },
  // Bundled CJS dependencies call require("assert") and friends; ESM has no require, so give them one.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
  },
  plugins: [inkDevtoolsStub, yogaWithoutFetch],
  logLevel: "warning",
});
await chmod(outfile, 0o755);
const { size } = await stat(outfile);
let total = size;
for (const chunk of await readdir("dist/chunks")) total += (await stat(`dist/chunks/${chunk}`)).size;
console.log(`built ${outfile}: ${(size / 1024).toFixed(1)} KB entry, ${(total / 1024).toFixed(1)} KB with its chunks`);
