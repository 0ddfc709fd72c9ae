#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs on a fresh Debian machine, idempotently and quietly:
#   - Debian packages: chromium (the browser Playwright drives), libkrb5-dev (code-server's kerberos module needs
#     gssapi.h), ripgrep (seeds @vscode/ripgrep's download cache), tmux, g++/make/python3 (native modules),
#     zsh and fish (the shell-completion test checks that `intercom-kit completion zsh|fish` parses: `zsh -n`, `fish -n`);
#   - code-server@4.100.3 (the last release on Node 20) from npm, in a cache folder outside the repository,
#     so the everyday `pnpm install` stays fast.
# Prints the code-server binary path on its last line. See docs/decisions/0003-vscode-e2e-code-server.md.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
RIPGREP_CACHE_VERSION=1.15.11
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/intercom-kit"
CS_DIR="${CODE_SERVER_DIR:-$CACHE_ROOT/code-server-$CODE_SERVER_VERSION}"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
LOG="$(mktemp -t setup-e2e.XXXXXX.log)"
trap 'rm -f "$LOG"' EXIT

say() { printf 'setup-e2e: %s\n' "$*" >&2; }
fail() {
  say "error: $*"
  if [ -s "$LOG" ]; then
    say "last lines of the log:"
    tail -n 40 "$LOG" >&2
  fi
  exit 1
}

# --- 1. Debian packages (each checked by what the test actually uses) ---------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/include/gssapi.h ] || [ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
command -v fish >/dev/null 2>&1 || missing+=(fish)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo -n)
  else
    fail "missing Debian packages (${missing[*]}); run this script as root, or install sudo, or run: apt-get install -y ${missing[*]}"
  fi
  command -v apt-get >/dev/null 2>&1 || fail "missing packages (${missing[*]}) and no apt-get; install them by hand"
  say "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq >>"$LOG" 2>&1 || fail "apt-get update failed"
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1 ||
    fail "apt-get install ${missing[*]} failed"
fi

# --- 2. Seed @vscode/ripgrep's cache so its postinstall does not try GitHub --------------------------------------
RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RIPGREP_CACHE_VERSION"
RG_TARBALL="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_TARBALL" ]; then
  mkdir -p "$RG_CACHE"
  RG_PATH="$(command -v rg)"
  tar -czf "$RG_TARBALL.tmp" -C "$(dirname "$RG_PATH")" rg && mv "$RG_TARBALL.tmp" "$RG_TARBALL"
fi

# --- 3. code-server, outside the repository ------------------------------------------------------------------------
cs_works() {
  [ -x "$CS_BIN" ] && [ -f "$CS_DIR/.installed" ] && "$CS_BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "
}

if ! cs_works; then
  say "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (about a minute)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  printf '{ "name": "intercom-kit-code-server", "private": true }\n' >"$CS_DIR/package.json"
  (
    cd "$CS_DIR"
    # Run as a plain npm install even when called from a pnpm script: pnpm's npm_* variables (its user agent above
    # all) make code-server's postinstall fail to recognise the package manager.
    while IFS= read -r var; do unset "$var"; done < <(env | grep -o '^npm_[A-Za-z0-9_]*' || true)
    export npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false npm_config_audit=false \
      npm_config_update_notifier=false npm_config_loglevel=error
    # Native modules (argon2, kerberos...) are compiled here. node-gyp would download Node's headers, which this
    # network cannot; point it at the headers installed with Node unless npm is already set up for that.
    if [ -z "${npm_config_nodedir:-}" ] && [ -z "$(npm config get nodedir 2>/dev/null | grep -v '^undefined$')" ]; then
      node_prefix="$(dirname "$(dirname "$(command -v node)")")"
      if [ -f "$node_prefix/include/node/node.h" ]; then export npm_config_nodedir="$node_prefix"; fi
    fi
    npm install --no-save --no-package-lock "code-server@$CODE_SERVER_VERSION"
  ) >>"$LOG" 2>&1 || fail "npm install code-server@$CODE_SERVER_VERSION failed"
  touch "$CS_DIR/.installed"
  cs_works || fail "code-server was installed but '$CS_BIN --version' does not report $CODE_SERVER_VERSION"
fi

echo "$CS_BIN"
