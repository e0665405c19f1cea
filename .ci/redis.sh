# shellcheck shell=bash
# Sourced by .ci/run: a throwaway redis-server on a unix socket under /tmp for the cluster suite (issue 14).
#
# Exports TISWATCH_TEST_REDIS_URL (unix:///tmp/tiswatch-redis.XXXXXX/redis.sock) when the server is up.
# Idempotent: installs Debian's redis-server only when it is missing, reuses a given URL. The server
# listens on no TCP port at all (`port 0`): requests in Redis are pickled, so it must stay private.
# Outside CI a failure prints why and returns 0 (the redis tests then skip); under CI=true it returns 1,
# so `.ci/run` (set -e) fails: a cluster suite that cannot run is a failure there, not a skip.

_tiswatch_redis_log() { echo "ci/redis: $*" >&2; }

_tiswatch_redis_install() {
  command -v apt-get >/dev/null 2>&1 || { _tiswatch_redis_log "no apt-get on this machine"; return 1; }
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || { _tiswatch_redis_log "not root and no sudo"; return 1; }
    sudo="sudo -n"
  fi
  _tiswatch_redis_log "installing Debian's redis-server"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q redis-server >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q >/dev/null 2>&1 \
         && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q redis-server >/dev/null 2>&1; }
}

# Stop the server and remove its folder. SIGTERM returns before redis-server has exited, and it writes
# its log on the way out: removing the folder at once raced with that ("Directory not empty") and, under
# `set -e` in the EXIT trap, turned a green run red. Wait for the process to go, and never fail here.
_tiswatch_redis_stop() {
  local base="$1" pid tries=0
  pid="$(cat "$base/redis.pid" 2>/dev/null || true)"
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 100 ]; do
      tries=$((tries + 1))
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$base" 2>/dev/null || rm -rf "$base" 2>/dev/null || _tiswatch_redis_log "could not remove $base"
  return 0
}

_tiswatch_redis_start() {
  local server base
  server="$(command -v redis-server || true)"
  if [ -z "$server" ]; then
    _tiswatch_redis_install && server="$(command -v redis-server || true)"
  fi
  [ -n "$server" ] || { _tiswatch_redis_log "redis-server not found"; return 1; }

  base="$(mktemp -d /tmp/tiswatch-redis.XXXXXX)" || return 1
  # No TCP listener, no persistence: a private, throwaway server for the tests.
  "$server" --port 0 --unixsocket "$base/redis.sock" --unixsocketperm 700 --save "" --appendonly no \
    --dir "$base" --daemonize yes --pidfile "$base/redis.pid" --logfile "$base/redis.log" \
    || { _tiswatch_redis_log "redis-server did not start (see $base/redis.log)"; return 1; }
  local tries=0
  until [ -S "$base/redis.sock" ]; do
    tries=$((tries + 1))
    [ "$tries" -gt 50 ] && { _tiswatch_redis_log "no socket after 5 s (see $base/redis.log)"; return 1; }
    sleep 0.1
  done

  TISWATCH_REDIS_BASE="$base"
  export TISWATCH_TEST_REDIS_URL="unix://$base/redis.sock"
  # Stop the server when the CI script ends, after whatever EXIT trap was set before (PostgreSQL's).
  local previous="" existing
  existing="$(trap -p EXIT)"
  # `trap -p` prints `trap -- 'COMMAND' EXIT`, quoted for the shell: let the shell unquote it.
  if [ -n "$existing" ]; then eval "set -- $existing"; previous="$3"; fi
  # shellcheck disable=SC2064
  trap "${previous:+$previous; }_tiswatch_redis_stop '$base'" EXIT
  _tiswatch_redis_log "server up: TISWATCH_TEST_REDIS_URL=$TISWATCH_TEST_REDIS_URL"
}

if [ -n "${TISWATCH_TEST_REDIS_URL:-}" ]; then
  _tiswatch_redis_log "using the given TISWATCH_TEST_REDIS_URL"
elif ! _tiswatch_redis_start; then
  if [ "${CI:-}" = "true" ]; then
    _tiswatch_redis_log "Redis unavailable under CI=true: failing"
    false
  else
    _tiswatch_redis_log "Redis unavailable; redis tests will be skipped"
    true
  fi
fi
