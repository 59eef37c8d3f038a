#!/usr/bin/env bash
# The whole test suite, from a fresh clone with nothing but Node >= 20 (`npm test`, `.ci/run`):
#   install (pinned pnpm, node_modules, PostgreSQL, Chromium, Node 22) -> build -> typecheck ->
#   lint -> format check -> every package's tests -> the official conformance suite.
# Every step runs even when an earlier one failed (except install), so one run shows everything.
# The last line is "N passed, N failed": each package's build/typecheck/lint task, the format
# check, each test, and each scored conformance check count once. Exit 1 on any failure.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT" || exit 1

CONCURRENCY="${PLUGBOARD_CONCURRENCY:-$(nproc 2>/dev/null || echo 2)}"
TOTAL_PASSED=0
TOTAL_FAILED=0
STEP_LINES=()
SKIPPED=()
TEST_FILTERS=()
STARTED=$SECONDS
trap 'stop_postgres' EXIT
trap 'exit 130' INT TERM

STEP_STARTED=$SECONDS
step() { # heading
  heading "$1"
  STEP_STARTED=$SECONDS
}

record() { # step passed failed [note]
  local took=$((SECONDS - STEP_STARTED))
  TOTAL_PASSED=$((TOTAL_PASSED + $2))
  TOTAL_FAILED=$((TOTAL_FAILED + $3))
  STEP_LINES+=("$(printf '%-12s %5s passed, %3s failed  %3dm%02ds%s' "$1" "$2" "$3" $((took / 60)) $((took % 60)) "${4:+  ($4)}")")
}

finish() {
  stop_postgres
  heading "Summary ($(((SECONDS - STARTED) / 60)) min $(((SECONDS - STARTED) % 60)) s)"
  printf '  %s\n' "${STEP_LINES[@]}"
  if [ "${#SKIPPED[@]}" -gt 0 ]; then
    printf '%sSKIPPED:%s\n' "$C_YELLOW" "$C_RESET"
    printf '  %s\n' "${SKIPPED[@]}"
  fi
  echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
  [ "$TOTAL_FAILED" -eq 0 ]
}

# Runs `turbo run <task>` and records it; counts come from turbo's run summary, compared with
# its plan (a dry run) so that tasks skipped after a failed dependency count as failures.
turbo_step() { # task tasks|tests turbo-args...
  local task="$1" mode="$2" work summary counts code passed failed
  shift 2
  work="$(mktemp -d)"
  pnpm exec turbo run "$task" "$@" --dry=json --env-mode=loose >"$work/plan.json" 2>/dev/null
  touch "$work/marker"
  pnpm exec turbo run "$task" "$@" --summarize --env-mode=loose --concurrency="$CONCURRENCY" \
    --ui=stream --output-logs=full --log-order=grouped --no-update-notifier
  code=$?
  summary="$(find "$ROOT/.turbo/runs" -name '*.json' -newer "$work/marker" -print 2>/dev/null | sort | tail -n 1)"
  echo
  echo "$task:"
  if [ -z "$summary" ]; then
    fail "  turbo left no run summary (exit $code)"
    counts='0 1'
  else
    counts="$(node "$ROOT/scripts/lib/tally.mjs" "$summary" "$work/plan.json" "$task" "$mode")" || counts='0 1'
  fi
  rm -rf "$work"
  read -r passed failed <<<"$counts"
  if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  record "$task" "$passed" "$failed"
}

step 'Install'
if ! ensure_pnpm || ! ensure_node_modules; then
  fail 'Installing the workspace failed; nothing else can run.'
  record install 0 1
  finish
  exit 1
fi

# A system package that is missing: skip the suites that need it (and count a failure when
# installing it was possible but failed).
need() { # ensure-function server-package what apt-package
  "$1"
  case $? in
    0) return 0 ;;
    2) record "$2" 0 1 'install failed' ;;
  esac
  SKIPPED+=("@plugboard/server-$2 tests: $3 is missing (apt-get install -y $4)")
  TEST_FILTERS+=("--filter=!@plugboard/server-$2")
}
need ensure_postgres_package postgres PostgreSQL postgresql
ensure_hypopg || true
ensure_pgbouncer || true
ensure_nginx_and_redis || true
need ensure_chromium puppeteer Chromium chromium
CONFORMANCE_READY=1
if ! ensure_node22 || ! ensure_conformance_cli; then CONFORMANCE_READY=''; fi
record install 1 0

step 'Build'
turbo_step build tasks --continue=dependencies-successful

step 'Typecheck'
turbo_step typecheck tasks --continue=dependencies-successful

step 'Lint'
turbo_step lint tasks --continue=dependencies-successful

step 'Format'
if pnpm exec prettier --check . --log-level=warn; then
  ok 'All files are formatted.'
  record format 1 0
else
  fail 'Run `pnpm format` to fix the files listed above.'
  record format 0 1
fi

step 'Tests'
if [ "${#TEST_FILTERS[@]}" -gt 0 ]; then
  loud "Some test suites are skipped (see the summary)."
fi
if [ -n "$(postgres_bindir)" ] && ! start_postgres; then
  SKIPPED+=('@plugboard/server-postgres tests: the throwaway PostgreSQL did not start')
  TEST_FILTERS+=('--filter=!@plugboard/server-postgres')
  record postgres 0 1 'could not start PostgreSQL'
fi
if [ "${#TEST_FILTERS[@]}" -gt 0 ]; then
  # Everything but the excluded packages: a filter list of only exclusions selects the rest.
  turbo_step test tests --only --force --continue=always "${TEST_FILTERS[@]}"
else
  turbo_step test tests --only --force --continue=always
fi
stop_postgres

step 'Conformance'
if [ -z "$CONFORMANCE_READY" ]; then
  SKIPPED+=('conformance suite: Node 22 or the suite could not be installed')
  record conformance 0 1 'not installed'
else
  output="$(mktemp)"
  bash "$ROOT/scripts/conformance.sh" 2>&1 | tee "$output"
  code=${PIPESTATUS[0]}
  last="$(tail -n 1 "$output")"
  rm -f "$output"
  if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed="${BASH_REMATCH[1]}" failed="${BASH_REMATCH[2]}"
  else
    passed=0 failed=1
  fi
  if [ "$code" -eq 3 ]; then
    SKIPPED+=('conformance suite: shared/conformance-fixture is not built')
    record conformance 0 0 'skipped: fixture not built'
  else
    if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
    record conformance "$passed" "$failed"
  fi
fi

finish
