/**
 * The embedded sandbox, bundled on its own (dist/sandbox.js) and loaded only when "Intercom: Start Sandbox" runs,
 * so the extension's own bundle does not carry an HTTP server most people never start.
 */
export { SEED, startSandbox } from "@intercom-kit/sandbox";
