#!/usr/bin/env bash
# `npm run tarballs`: every server packed the way npm will serve it once it is published, for
# trying the servers before they are on the registry (`npx -y --package=<file.tgz> mcp-server-<x>`).
# Builds the servers, then runs `pnpm pack` in each one, which replaces the `catalog:` and
# `workspace:` references of package.json with real versions (`npm pack` would leave them in).
# Usage: scripts/pack.sh [--no-build] [destination]   (default destination: dist/)
# Prints one tarball path per line on stdout; progress and errors go to stderr.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT" || exit 1

build=1
if [ "${1:-}" = '--no-build' ]; then
  build=''
  shift
fi
dest="${1:-$ROOT/dist}"
mkdir -p "$dest" && dest="$(cd "$dest" && pwd)" || exit 1

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! ensure_pnpm >"$log" 2>&1 || { [ ! -d "$ROOT/node_modules" ] && ! ensure_node_modules >"$log" 2>&1; }; then
  cat "$log" >&2
  fail 'Installing the workspace failed (output above).'
  exit 1
fi
if [ -n "$build" ]; then
  say 'Building the servers...' >&2
  if ! pnpm exec turbo run build --filter='./servers/*' --output-logs=errors-only --ui=stream \
    --no-update-notifier >"$log" 2>&1; then
    cat "$log" >&2
    fail 'A server did not build (output above).'
    exit 1
  fi
fi

for dir in "$ROOT"/servers/*/; do
  [ -f "$dir/package.json" ] || continue
  tarball="$(node -e 'const p = require(process.argv[1]); console.log(`${p.name.replace("@", "").replace("/", "-")}-${p.version}.tgz`);' "$dir/package.json")"
  if ! (cd "$dir" && pnpm pack --pack-destination "$dest" >"$log" 2>&1); then
    cat "$log" >&2
    fail "pnpm pack failed in ${dir#"$ROOT"/}"
    exit 1
  fi
  [ -f "$dest/$tarball" ] || { fail "pnpm pack wrote no $tarball"; exit 1; }
  echo "$dest/$tarball"
done
