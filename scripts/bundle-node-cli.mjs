// One way to bundle a Node CLI of this repo (the terminal app, the agent server): ESM with chunks loaded on demand,
// minified, a shebang and a `require` for bundled CommonJS, executable, and its size printed. Each app passes its
// own esbuild `build` (esbuild is the app's devDependency) and what differs (plugins, JSX).
import { chmod, readdir, rm, stat } from "node:fs/promises";

/**
 * Builds `src/cli.ts` of the app in `here` into `dist/cli.js` plus `dist/chunks/`, after removing the old `dist`.
 * Paths are taken from `here`, so running the build from another directory cannot build (or delete) the wrong one.
 */
export async function bundleNodeCli(build, here, extra = {}) {
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
    // Bundled CommonJS dependencies call require("assert") and friends; ESM has no require, so give them one.
    banner: {
      js: '#!/usr/bin/env node\nimport { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
    },
    logLevel: "warning",
    ...extra,
  });
  await chmod(outfile, 0o755);
  const { size } = await stat(outfile);
  let total = size;
  for (const chunk of await readdir("dist/chunks").catch(() => [])) total += (await stat(`dist/chunks/${chunk}`)).size;
  console.log(`built ${outfile}: ${(size / 1024).toFixed(1)} KB entry, ${(total / 1024).toFixed(1)} KB with its chunks`);
}
