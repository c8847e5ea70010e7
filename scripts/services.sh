#!/usr/bin/env bash
# Throwaway PostgreSQL (data under /tmp) and Redis (under var/services) servers for the tests, on loopback.
#   scripts/services.sh postgres   -> prints a DATABASE_URL, or nothing if PostgreSQL is absent
#                                     (`make test` fails then under CI=true)
#   scripts/services.sh redis      -> prints a redis:// URL, or nothing if Redis is absent
#   scripts/services.sh stop
# With CI=true, missing Debian packages are installed first.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="$PWD/var/services"
mkdir -p "$DIR"
PG_PORT=${TEST_PG_PORT:-54329}
REDIS_PORT=${TEST_REDIS_PORT:-63790}

apt_install() {
  [ "${CI:-}" = "true" ] || return 0
  command -v apt-get >/dev/null || return 0
  [ -f "$DIR/.apt-updated" ] || { apt-get update -qq >&2 && touch "$DIR/.apt-updated"; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# PG_BIN names the folder of initdb and pg_ctl; else Debian's newest, which is not on PATH.
pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then [ ! -x "$PG_BIN/initdb" ] || echo "$PG_BIN"; return 0; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}
pg_data() { echo "/tmp/legalreview-pg-$(echo "$PWD" | cksum | cut -d' ' -f1)"; }

postgres() {
  [ -n "$(pg_bin)" ] || apt_install postgresql
  local bin; bin=$(pg_bin)
  [ -n "$bin" ] || { echo "services: PostgreSQL is not installed" >&2; return 0; }
  # Under /tmp, not the checkout: the postgres user must reach it even when the checkout
  # lives in a folder only root may enter.
  local data; data="$(pg_data)"
  local as=""
  if [ "$(id -u)" = "0" ]; then as="runuser -u postgres --"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"; [ -z "$as" ] || chown postgres "$data"
    $as "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! $as "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    $as "$bin/pg_ctl" -D "$data" -o "-p $PG_PORT -k $data -c listen_addresses=127.0.0.1 -c fsync=off" \
      -l "$data/server.log" -w start >/dev/null
  fi
  echo "postgres://postgres@127.0.0.1:$PG_PORT/legalreview"
}

redis() {
  command -v redis-server >/dev/null || apt_install redis-server
  command -v redis-server >/dev/null || { echo "services: Redis is not installed" >&2; return 0; }
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save "" \
      --dir "$DIR" --logfile "$DIR/redis.log" >/dev/null
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  echo "redis://127.0.0.1:$REDIS_PORT/0"
}

stop() {
  local bin; bin=$(pg_bin)
  if [ -n "$bin" ] && [ -f "$(pg_data)/PG_VERSION" ]; then
    local as=""; [ "$(id -u)" = "0" ] && as="runuser -u postgres --"
    $as "$bin/pg_ctl" -D "$(pg_data)" -m fast stop >/dev/null 2>&1 || true
  fi
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}

"$@"
