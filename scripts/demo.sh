#!/usr/bin/env bash
# The project's main job (`npm run demo`): real MCP sessions with every server that needs no
# credentials, printed as a transcript. From a fresh clone it installs the pinned pnpm and the
# workspace, builds the demo and the servers it shows, then runs demo/dist/main.js.
# Arguments are passed to the demo: --only filesystem,git,postgres,browser,protocol  --verbose
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT" || exit 1

SHOWN=(
  @plugboard/demo
  @plugboard/server-filesystem
  @plugboard/server-git
  @plugboard/server-postgres
  @plugboard/server-puppeteer
  @plugboard/conformance-fixture
)

say 'Preparing the demo (install and build; the first run takes a minute)...'
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { ensure_pnpm && ensure_node_modules; } >"$log" 2>&1; then
  cat "$log" >&2
  fail 'Installing the workspace failed (output above).'
  exit 1
fi
filters=()
for package in "${SHOWN[@]}"; do filters+=("--filter=$package"); done
# A server that does not build is skipped by the demo; the demo itself must build.
pnpm exec turbo run build "${filters[@]}" --continue=always --output-logs=errors-only \
  --ui=stream --no-update-notifier >"$log" 2>&1
if [ ! -f "$ROOT/demo/dist/main.js" ]; then
  cat "$log" >&2
  fail 'The demo did not build (output above).'
  exit 1
fi
failed_builds="$(grep -oE '@plugboard/[a-z-]+#build' "$log" | sort -u | sed 's/#build//' | tr '\n' ' ')"
if [ -n "$failed_builds" ]; then
  say "Note: these packages did not build and are left out or shown from an older build: $failed_builds"
  say "      (run \`pnpm build\` to see why)"
fi

exec node "$ROOT/demo/dist/main.js" "$@"
