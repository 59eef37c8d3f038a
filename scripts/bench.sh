#!/usr/bin/env bash
# `pnpm bench`: compile the benchmark harness (bench/) and run it; arguments pass through
# (`pnpm bench --quick`, `pnpm bench --help`); `pnpm bench faults` runs the fault harness instead
# (bench/src/faults), `pnpm bench hosted` the hosted load run with a kill (bench/src/hosted),
# `pnpm bench startup --against DIR` the start-up of this checkout's servers against another
# checkout's builds (bench/src/startup). The servers it measures come from `pnpm build`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsc ]; then
  echo "bench: dependencies are missing; run: pnpm install && pnpm build" >&2
  exit 1
fi
node_modules/.bin/tsc -p bench/tsconfig.json
if [ "${1:-}" = "faults" ]; then
  shift
  exec node bench/dist/src/faults/main.js "$@"
fi
if [ "${1:-}" = "hosted" ]; then
  shift
  exec node bench/dist/src/hosted/main.js "$@"
fi
if [ "${1:-}" = "startup" ]; then
  shift
  exec node bench/dist/src/startup/main.js "$@"
fi
exec node bench/dist/src/main.js "$@"
