# Shared by scripts/test.sh, scripts/demo.sh and scripts/conformance.sh: logging, and installing
# what the project needs when it is missing (pinned pnpm, node_modules, PostgreSQL, Chromium, a
# Node 22 binary for the conformance suite). Source it; it defines functions and a few variables
# and has no other effect.
#
# Everything that is downloaded goes through ordinary clients (npm, pnpm, apt-get) and lands either
# in the system (as root) or in the git-ignored .cache/ directory of the checkout.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.cache"
export PUPPETEER_SKIP_DOWNLOAD=1
export DEBIAN_FRONTEND=noninteractive
# Quieter npm: no audit, no funding notes, no update check. `npm test --silent` exports
# npm_config_loglevel=silent, which pnpm would obey too and hide why an install failed.
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
unset npm_config_loglevel

# Colour only on a terminal. Output going to a file or a pipe gets NO_COLOR for every tool the
# scripts run: Vitest's colour library colours whenever TERM is not "dumb", terminal or not.
if [ -t 1 ] && [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
  C_BOLD=$'\e[1m' C_RED=$'\e[31m' C_GREEN=$'\e[32m' C_YELLOW=$'\e[33m' C_RESET=$'\e[0m'
else
  C_BOLD='' C_RED='' C_GREEN='' C_YELLOW='' C_RESET=''
  export NO_COLOR=1
  unset FORCE_COLOR
fi

say() { printf '%s\n' "$*"; }
heading() { printf '\n%s==> %s%s\n' "$C_BOLD" "$*" "$C_RESET"; }
ok() { printf '%s%s%s\n' "$C_GREEN" "$*" "$C_RESET"; }
fail() { printf '%s%s%s\n' "$C_RED" "$*" "$C_RESET" >&2; }

# A message nobody can miss: used whenever something is skipped.
loud() {
  printf '\n%s' "$C_YELLOW" >&2
  printf '!!! %s\n' "$@" >&2
  printf '%s\n' "$C_RESET" >&2
}

is_root() { [ "$(id -u)" = 0 ]; }

# The pnpm version pinned by package.json "packageManager" (pnpm@X.Y.Z).
pinned_pnpm_version() {
  node -e 'const pm = require(process.argv[1]).packageManager ?? ""; const m = /^pnpm@([^+]+)/.exec(pm); if (!m) process.exit(1); console.log(m[1]);' "$ROOT/package.json"
}

# Puts the pinned pnpm on PATH. Corepack is not used (it fails on some machines); as root the
# version is installed globally with npm, otherwise into .cache/pnpm.
ensure_pnpm() {
  local want have
  want="$(pinned_pnpm_version)" || { fail 'package.json has no "packageManager": "pnpm@..." entry'; return 1; }
  have="$(COREPACK_ENABLE_DOWNLOAD_PROMPT=0 pnpm --version 2>/dev/null || true)"
  if [ "$have" = "$want" ]; then return 0; fi
  if [ -x "$CACHE/pnpm/node_modules/.bin/pnpm" ] &&
    [ "$("$CACHE/pnpm/node_modules/.bin/pnpm" --version 2>/dev/null)" = "$want" ]; then
    export PATH="$CACHE/pnpm/node_modules/.bin:$PATH"
    return 0
  fi
  say "pnpm $want is not on PATH (found: ${have:-none}); installing it"
  if is_root; then
    npm install -g --force --loglevel=error "pnpm@$want" || return 1
    hash -r
  else
    mkdir -p "$CACHE/pnpm"
    npm install --prefix "$CACHE/pnpm" --no-save --loglevel=error "pnpm@$want" || return 1
    export PATH="$CACHE/pnpm/node_modules/.bin:$PATH"
  fi
  [ "$(pnpm --version 2>/dev/null)" = "$want" ] || { fail "pnpm $want did not install"; return 1; }
}

# node_modules exactly as the lockfile says.
ensure_node_modules() {
  (cd "$ROOT" && pnpm install --frozen-lockfile --prefer-offline --reporter=append-only)
}

APT_UPDATED=''
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    apt-get update -qq || return 1
    APT_UPDATED=1
  fi
  apt-get install -y -qq --no-install-recommends "$@"
}

# Path of the PostgreSQL server binaries directory, newest major first; empty when missing.
postgres_bindir() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bin" ] && dirname "$bin"
}

# Returns 0 when PostgreSQL is installed (installing it as root when missing), 1 when it is missing
# and this is not root (the suites that need it are skipped), 2 when installing it failed.
ensure_postgres_package() {
  [ -n "$(postgres_bindir)" ] && return 0
  if ! is_root; then
    loud 'PostgreSQL is not installed, and this is not root.' \
      'Install it with:  sudo apt-get install -y postgresql' \
      'Skipping the suites that need a PostgreSQL server.'
    return 1
  fi
  say 'PostgreSQL is missing; installing the Debian package postgresql'
  apt_install postgresql >/dev/null || { loud 'apt-get install postgresql failed.'; return 2; }
  [ -n "$(postgres_bindir)" ] || return 2
}

# hypopg lets the postgres server's explain_query test hypothetical indexes. Optional: without it
# that test checks the "not installed" message instead, so a failed install is only reported.
ensure_hypopg() {
  local bindir major
  bindir="$(postgres_bindir)"
  [ -n "$bindir" ] || return 1
  major="$(basename "$(dirname "$bindir")")"
  [ -f "/usr/share/postgresql/$major/extension/hypopg.control" ] && return 0
  is_root || return 1
  say "Installing the Debian package postgresql-$major-hypopg"
  apt_install "postgresql-$major-hypopg" >/dev/null || loud "apt-get install postgresql-$major-hypopg failed; hypothetical-index tests will check the fallback."
}

# PgBouncer sits in front of the test cluster for the postgres server's pooler tests (session and
# transaction mode). Optional: without it those tests are skipped with the reason printed.
ensure_pgbouncer() {
  [ -x /usr/sbin/pgbouncer ] && return 0
  is_root || return 1
  say 'Installing the Debian package pgbouncer'
  apt_install pgbouncer >/dev/null || loud 'apt-get install pgbouncer failed; the pooler tests will be skipped.'
}

# nginx (and redis-server) stand in front of and behind three instances of one server for the
# hosted-mode tests (round robin, one shared store). Optional: without them those tests are skipped.
ensure_nginx_and_redis() {
  [ -x /usr/sbin/nginx ] && [ -x /usr/bin/redis-server ] && return 0
  is_root || return 1
  say 'Installing the Debian packages nginx and redis-server'
  apt_install nginx redis-server >/dev/null ||
    loud 'apt-get install nginx redis-server failed; the several-instances tests will be skipped.'
}

# Returns 0 when /usr/bin/chromium exists (installing it as root when missing); 1 and 2 as above.
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    if ! is_root; then
      loud 'Chromium is not installed, and this is not root.' \
        'Install it with:  sudo apt-get install -y chromium' \
        'Skipping the suites that need a browser.'
      return 1
    fi
    say 'Chromium is missing; installing the Debian package chromium'
    apt_install chromium >/dev/null || { loud 'apt-get install chromium failed.'; return 2; }
  fi
  export PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium
}

# Exports NODE22: a Node >= 22 binary (the system one when new enough, else the npm package
# node-linux-<arch>@22 in .cache/node22).
ensure_node22() {
  local major arch pkg
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -ge 22 ]; then
    NODE22="$(command -v node)"
    export NODE22
    return 0
  fi
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) loud "No Node 22 package for $(uname -m); install Node >= 22 to run the conformance suite."; return 1 ;;
  esac
  pkg="node-linux-$arch"
  NODE22="$CACHE/node22/node_modules/$pkg/bin/node"
  if [ ! -x "$NODE22" ]; then
    say "Node $(node --version) is too old for the conformance suite; fetching $pkg@22 into .cache/node22"
    mkdir -p "$CACHE/node22"
    npm install --prefix "$CACHE/node22" --no-save --loglevel=error "$pkg@22" >/dev/null || {
      loud "npm install $pkg@22 failed."
      return 1
    }
  fi
  "$NODE22" --version >/dev/null 2>&1 || { loud "$NODE22 does not run."; return 1; }
  export NODE22
}

CONFORMANCE_VERSION=0.2.0-alpha.12
# Exports CONFORMANCE_CLI: the pinned @modelcontextprotocol/conformance, installed into .cache.
ensure_conformance_cli() {
  local dir="$CACHE/conformance-$CONFORMANCE_VERSION"
  CONFORMANCE_CLI="$dir/node_modules/@modelcontextprotocol/conformance/dist/index.js"
  if [ ! -f "$CONFORMANCE_CLI" ]; then
    say "Fetching @modelcontextprotocol/conformance@$CONFORMANCE_VERSION into .cache"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --loglevel=error \
      "@modelcontextprotocol/conformance@$CONFORMANCE_VERSION" >/dev/null || {
      loud "npm install @modelcontextprotocol/conformance@$CONFORMANCE_VERSION failed."
      return 1
    }
  fi
  export CONFORMANCE_CLI
}

PG_DIR=''
PG_BIN=''
# Starts a throwaway PostgreSQL cluster (trust auth, loopback, socket in its own temp dir) and
# exports TEST_DATABASE_URL. As root the server runs as the postgres user, as it refuses root.
start_postgres() {
  local as=() port
  PG_BIN="$(postgres_bindir)" || return 1
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/plugboard-pg.XXXXXX")"
  chmod 755 "$PG_DIR"
  if is_root; then
    id postgres >/dev/null 2>&1 || { loud 'There is no postgres user to run PostgreSQL as.'; return 1; }
    chown postgres "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
  "${as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 || {
    fail "initdb failed:"
    cat "$PG_DIR/initdb.log" >&2
    return 1
  }
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c max_prepared_transactions=8 -c shared_preload_libraries=pg_stat_statements" \
    start >/dev/null || {
    fail "PostgreSQL did not start:"
    cat "$PG_DIR/server.log" >&2
    return 1
  }
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port (TEST_DATABASE_URL)"
}

stop_postgres() {
  [ -n "$PG_DIR" ] || return 0
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    if is_root; then
      runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
    else
      "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
    fi
  fi
  rm -rf "$PG_DIR"
  PG_DIR=''
}
