#!/usr/bin/env bash
# Throwaway PostgreSQL and OpenSearch (data under /tmp) and Redis (under var/services) servers
# for the tests, on loopback.
#   scripts/services.sh postgres   -> prints a DATABASE_URL, or nothing if PostgreSQL is absent
#                                     (`make test` fails then under CI=true)
#   scripts/services.sh redis      -> prints a redis:// URL, or nothing if Redis is absent
#   scripts/services.sh opensearch -> prints an http:// URL, or nothing if no node could start
#                                     (its tests fail then under CI=true)
#   scripts/services.sh stop
# With CI=true, missing Debian packages are installed first.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="$PWD/var/services"
mkdir -p "$DIR"
PG_PORT=${TEST_PG_PORT:-54329}
REDIS_PORT=${TEST_REDIS_PORT:-63790}
OPENSEARCH_PORT=${TEST_OPENSEARCH_PORT:-19200}

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

# OpenSearch 2.19 from Maven Central, run by scripts/opensearch (a node without the
# distribution's start-up script). Built once into var/opensearch/build, offline when ~/.m2
# already holds its jars; a fresh data folder at each start.
OPENSEARCH_JAR=var/opensearch/build/opensearch-launcher.jar
os_data() { echo "/tmp/legalreview-opensearch-$(echo "$PWD" | cksum | cut -d' ' -f1)"; }
os_up() {
  curl -sf "http://127.0.0.1:$OPENSEARCH_PORT/_cluster/health?wait_for_status=yellow&timeout=1s" \
    2>/dev/null | grep -q '"cluster_name":"legalreview"'
}

opensearch() {
  command -v curl >/dev/null || apt_install curl
  if ! os_up; then
    command -v mvn >/dev/null || apt_install openjdk-17-jdk-headless maven
    command -v mvn >/dev/null || { echo "services: Java 17 and Maven are not installed" >&2; return 0; }
    local pom=scripts/opensearch/pom.xml log="$DIR/opensearch-build.log"
    if [ ! -f "$OPENSEARCH_JAR" ] || [ -n "$(find scripts/opensearch -type f -newer "$OPENSEARCH_JAR")" ]; then
      mvn -q -B -o -f "$pom" package >"$log" 2>&1 || mvn -q -B -f "$pom" package >>"$log" 2>&1 ||
        { echo "services: the OpenSearch launcher did not build (see $log)" >&2; return 0; }
    fi
    local data; data="$(os_data)"
    rm -rf "$data" && mkdir -p "$data"
    nohup java -Xms1g -Xmx1g -jar "$OPENSEARCH_JAR" "$data" "$OPENSEARCH_PORT" \
      >"$data/server.log" 2>&1 </dev/null &
    echo $! >"$DIR/opensearch.pid"
    for _ in $(seq 120); do
      os_up && break
      kill -0 "$(cat "$DIR/opensearch.pid")" 2>/dev/null || break
      sleep 1
    done
    os_up || { echo "services: OpenSearch did not start (see $data/server.log)" >&2; return 0; }
  fi
  echo "http://127.0.0.1:$OPENSEARCH_PORT"
}

stop() {
  local bin; bin=$(pg_bin)
  if [ -n "$bin" ] && [ -f "$(pg_data)/PG_VERSION" ]; then
    local as=""; [ "$(id -u)" = "0" ] && as="runuser -u postgres --"
    $as "$bin/pg_ctl" -D "$(pg_data)" -m fast stop >/dev/null 2>&1 || true
  fi
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  if [ -f "$DIR/opensearch.pid" ]; then
    local pid; pid=$(cat "$DIR/opensearch.pid")
    # Only the node this script started, not a process that took its number since.
    if ps -o args= -p "$pid" 2>/dev/null | grep -q opensearch-launcher; then
      kill "$pid" && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    fi
    rm -f "$DIR/opensearch.pid"
  fi
}

"$@"
