#!/usr/bin/env bash
# Every check there is, on a machine that has only Node 20 and npm to begin with:
# system packages and code-server for the end-to-end tests, then lint, typecheck, unit, contract, integration
# and terminal tests of every package, the library example, and the VS Code extension inside a real VS Code.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

echo "==> system packages and code-server for the end-to-end tests"
bash scripts/setup-e2e.sh

echo "==> lint and typecheck"
pnpm turbo run lint typecheck --concurrency=2 --continue --output-logs=errors-only

echo "==> tests of every package"
# Each vitest run also writes a JSON report beside its package; test-summary.mjs adds them up and fails when
# nothing ran. (The library example is a plain Node script: it ignores these arguments.)
find . -name .vitest-report.json -not -path "*/node_modules/*" -delete
pnpm turbo run test --concurrency=1 --continue --output-logs=new-only -- --reporter=default --reporter=json --outputFile=.vitest-report.json

echo "==> the extension inside a real VS Code"
pnpm --filter intercom-kit-vscode test:e2e -- --reporter=default --reporter=json --outputFile=.vitest-e2e-report.json

echo "==> the packages as people get them (pack, publint, attw, installed from the tarballs, changesets, publish dry-run)"
pnpm check:packages

node scripts/test-summary.mjs
