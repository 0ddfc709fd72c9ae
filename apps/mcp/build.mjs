// Bundles the server into dist/ (one entry plus the sandbox's chunk, loaded only when it is the back end), so the
// binary needs no node_modules: the SDK, zod and the workspace packages are all inside.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { bundleNodeCli } from "../../scripts/bundle-node-cli.mjs";

await bundleNodeCli(build, fileURLToPath(new URL(".", import.meta.url)));
