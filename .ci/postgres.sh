# shellcheck shell=bash
# Sourced by .ci/run: a throwaway PostgreSQL cluster on a unix socket under /tmp for the history suite.
#
# Exports TISWATCH_TEST_PG_URL (postgresql://tiswatch@/postgres?host=<socket dir>) when the cluster is up.
# Everything here is best effort: any failure prints why and returns 0, and the postgres-marked tests
# then skip. It must never `exit` (that would end the sourcing CI script) nor leave `set -e` tripping.

_tiswatch_pg_log() { echo "ci/postgres: $*" >&2; }

_tiswatch_pg_bindir() {
  # Debian keeps the server binaries out of PATH, one folder per major version; take the newest.
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return 0
  fi
  return 1
}

_tiswatch_pg_install() {
  command -v apt-get >/dev/null 2>&1 || { _tiswatch_pg_log "no apt-get on this machine"; return 1; }
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || { _tiswatch_pg_log "not root and no sudo"; return 1; }
    sudo="sudo -n"
  fi
  _tiswatch_pg_log "installing Debian's postgresql"
  # An install from a stale package list fails on a fresh image: update once and retry.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postgresql >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q >/dev/null 2>&1 \
         && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postgresql >/dev/null 2>&1; }
}

_tiswatch_pg_start() {
  local bindir run_as="" base
  bindir="$(_tiswatch_pg_bindir)" || { _tiswatch_pg_install && bindir="$(_tiswatch_pg_bindir)"; } \
    || { _tiswatch_pg_log "PostgreSQL server binaries not found"; return 1; }

  base="$(mktemp -d /tmp/tiswatch-pg.XXXXXX)" || return 1
  # The server refuses to run as root: run it as the `postgres` user the Debian package created.
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { _tiswatch_pg_log "running as root and no postgres user"; return 1; }
    chown postgres "$base" || return 1
    run_as="runuser -u postgres --"
  fi
  $run_as "$bindir/initdb" -D "$base/data" -U tiswatch -A trust -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 \
    || { _tiswatch_pg_log "initdb failed (see $base/initdb.log)"; return 1; }
  # Unix socket only (listen_addresses=''): nothing listens on the network.
  $run_as "$bindir/pg_ctl" -D "$base/data" -l "$base/server.log" -w -t 60 \
    -o "-k $base -c listen_addresses= -c fsync=off -c max_connections=50" start >/dev/null 2>&1 \
    || { _tiswatch_pg_log "server did not start (see $base/server.log)"; return 1; }

  TISWATCH_PG_BASE="$base"
  TISWATCH_PG_STOP="$run_as $bindir/pg_ctl -D $base/data -m fast stop"
  export TISWATCH_TEST_PG_URL="postgresql://tiswatch@/postgres?host=$base"
  # Stop the throwaway cluster when the CI script ends.
  # Clean-up never fails: under `set -e` a failing EXIT trap would turn a green run red.
  trap 'eval "$TISWATCH_PG_STOP" >/dev/null 2>&1 || true; rm -rf "$TISWATCH_PG_BASE" 2>/dev/null || true' EXIT
  _tiswatch_pg_log "cluster up: TISWATCH_TEST_PG_URL=$TISWATCH_TEST_PG_URL"
}

if [ -n "${TISWATCH_TEST_PG_URL:-}" ]; then
  _tiswatch_pg_log "using the given TISWATCH_TEST_PG_URL"
else
  _tiswatch_pg_start || _tiswatch_pg_log "PostgreSQL unavailable; postgres tests will be skipped"
fi
true
