// Bundles the CLI into one ESM file (dist/cli.js) so the binary starts fast and needs no node_modules.
import { existsSync } from "node:fs";
import { chmod, readdir, readFile, rm, stat } from "node:fs/promises";
import { build } from "esbuild";

/** Ink imports ./devtools.js (which needs react-devtools-core) only when DEV is set; an empty module keeps it out. */
const inkDevtoolsStub = {
  name: "ink-devtools-stub",
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      /[\\/]ink[\\/]build[\\/]/.test(args.importer)
        ? { path: "ink-devtools", namespace: "ink-devtools-stub" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "ink-devtools-stub" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

/**
 * yoga-layout (Ink's layout engine) loads its inlined WebAssembly with `fetch("data:...")` whenever fetch exists.
 * On Node that makes the first frame wait for Node's HTTP stack (undici) to load and decode a data URL (~40-60 ms);
 * its own fallback decodes the same base64 synchronously. Take the fallback.
 */
const yogaWithoutFetch = {
  name: "yoga-without-fetch",
  setup(b) {
    b.onLoad({ filter: /yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const patched = source.replaceAll('"function"!=typeof fetch', "true");
      if (patched === source) throw new Error("yoga-without-fetch: the loader changed; revisit this plugin");
      return { contents: patched, loader: "js" };
    });
  },
};

/** The bulk runner is written separately; until src/bulk/command.ts exists, `--from` says it is not available. */
const optionalBulk = {
  name: "optional-bulk",
  setup(b) {
    b.onResolve({ filter: /[\\/]bulk[\\/]command\.js$/ }, (_args) =>
      existsSync(new URL("./src/bulk/command.ts", import.meta.url))
        ? undefined
        : { path: "bulk-command", namespace: "optional-bulk" },
    );
    b.onLoad({ filter: /.*/, namespace: "optional-bulk" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

const outfile = "dist/cli.js";
await rm("dist", { recursive: true, force: true });
await build({
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
  plugins: [inkDevtoolsStub, optionalBulk, yogaWithoutFetch],
  logLevel: "warning",
});
await chmod(outfile, 0o755);
const { size } = await stat(outfile);
let total = size;
for (const chunk of await readdir("dist/chunks")) total += (await stat(`dist/chunks/${chunk}`)).size;
console.log(`built ${outfile}: ${(size / 1024).toFixed(1)} KB entry, ${(total / 1024).toFixed(1)} KB with its chunks`);
