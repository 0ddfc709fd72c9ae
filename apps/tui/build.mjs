// Bundles the CLI (dist/cli.js plus chunks it loads on demand) so the binary starts fast and needs no node_modules.
// The terminal UI (Ink, React, yoga), the sandbox and the bulk runner are loaded only by the paths that need them,
// so `--json` scripts and `--help` skip them.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { bundleNodeCli } from "../../scripts/bundle-node-cli.mjs";
import { inkDevtoolsStub, yogaWithoutFetch } from "./esbuild-plugins.mjs";

await bundleNodeCli(build, fileURLToPath(new URL(".", import.meta.url)), {
  jsx: "automatic",
  define: { "process.env.NODE_ENV": '"production"', "process.env.DEV": "undefined" },
  plugins: [inkDevtoolsStub, yogaWithoutFetch],
});
