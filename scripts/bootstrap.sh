#!/usr/bin/env bash
# Installs the project's toolchain (Node.js 24 and pnpm) from the npm registry
# into .tools/, so nothing global is required. Idempotent; prints the PATH line.
set -euo pipefail

NODE_VERSION=24.21.0
PNPM_VERSION=10.34.9

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
bin="$tools/node_modules/.bin"

installed_version() { "$bin/$1" --version 2>/dev/null || true; }

if [[ "$(installed_version node)" != "v$NODE_VERSION" || "$(installed_version pnpm)" != "$PNPM_VERSION" ]]; then
  mkdir -p "$tools"
  echo "bootstrap: installing node@$NODE_VERSION and pnpm@$PNPM_VERSION into .tools/" >&2
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
    "node@$NODE_VERSION" "pnpm@$PNPM_VERSION" >&2
fi

echo "export PATH=\"$bin:\$PATH\""
