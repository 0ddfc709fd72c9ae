// esbuild plugins shared by build.mjs and bench/tui-startup.mjs (so the bench's Ink floor is bundled the same way).
import { readFile } from "node:fs/promises";

/** Ink imports ./devtools.js (which needs react-devtools-core) only when DEV is set; an empty module keeps it out. */
export const inkDevtoolsStub = {
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
export const yogaWithoutFetch = {
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
