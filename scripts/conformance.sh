#!/usr/bin/env bash
# The official MCP conformance suite against the built conformance fixture (Streamable HTTP).
# Needs a Node >= 22 binary and @modelcontextprotocol/conformance; both are fetched into .cache/
# when missing. Build first (`pnpm build`); without a built fixture this skips, loudly, exit 3.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [ ! -f "$ROOT/shared/conformance-fixture/dist/main.js" ]; then
  exec node "$ROOT/scripts/lib/conformance.mjs"
fi
if ! ensure_node22 || ! ensure_conformance_cli; then
  loud 'CONFORMANCE NOT RUN: the suite or a Node 22 binary could not be installed.'
  echo '0 passed, 1 failed'
  exit 1
fi
exec node "$ROOT/scripts/lib/conformance.mjs"
