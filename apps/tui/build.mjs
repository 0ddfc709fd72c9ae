// Bundles the CLI into one ESM file (dist/cli.js) so the binary starts fast and needs no node_modules.
import { existsSync } from "node:fs";
import { chmod, mkdir, stat } from "node:fs/promises";
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

await mkdir("dist", { recursive: true });
const outfile = "dist/cli.js";
await build({
  entryPoints: ["src/cli.ts"],
  outfile,
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
  plugins: [inkDevtoolsStub, optionalBulk],
  logLevel: "warning",
});
await chmod(outfile, 0o755);
const { size } = await stat(outfile);
console.log(`built ${outfile}: ${(size / 1024).toFixed(1)} KB`);
