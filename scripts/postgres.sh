#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and benchmarks, on 127.0.0.1 only, no systemd.
#   bash scripts/postgres.sh start [PORT]  -> prints the admin URL (postgres://postgres@127.0.0.1:PORT/postgres)
#   bash scripts/postgres.sh stop [PORT]
#   bash scripts/postgres.sh restart [PORT]  -> stops it (dropping every connection) and starts it on the same data
#   bash scripts/postgres.sh halt [PORT]     -> stops it, keeping its data; `resume` starts it again on that data
# Installs Debian's postgresql package when it is missing. Data lives in /tmp/pier-pg-PORT, wiped on start and stop.
set -euo pipefail
ACTION=${1:-start}
PORT=${2:-54329}
DATA=/tmp/pier-pg-$PORT

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

BIN=$(find_bin)
if [ -z "$BIN" ]; then
    echo "postgres.sh: installing postgresql" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    BIN=$(find_bin)
fi
# Loopback only; the same options for a first start and a resume.
SERVER_OPTIONS="-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200"
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }

case "$ACTION" in
stop)
    [ -f "$DATA/PG_VERSION" ] && as_postgres "$BIN/pg_ctl -D $DATA -m fast -w stop" >/dev/null 2>&1 || true
    rm -rf "$DATA"
    ;;
restart)
    as_postgres "$BIN/pg_ctl -D $DATA -m fast -w restart" >/dev/null
    ;;
halt)
    as_postgres "$BIN/pg_ctl -D $DATA -m fast -w stop" >/dev/null
    ;;
resume)
    as_postgres "$BIN/pg_ctl -D $DATA -l $DATA/server.log -w -o '$SERVER_OPTIONS' start" >/dev/null
    ;;
start)
    if [ -f "$DATA/postmaster.pid" ]; then as_postgres "$BIN/pg_ctl -D $DATA -m immediate -w stop" >/dev/null 2>&1 || true; fi
    rm -rf "$DATA"
    mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
    as_postgres "$BIN/initdb -D $DATA -U postgres -A trust -E UTF8 --no-sync" >/dev/null
    # fsync stays on: the store tests check durability, not just speed.
    as_postgres "$BIN/pg_ctl -D $DATA -l $DATA/server.log -w -o '$SERVER_OPTIONS' start" >/dev/null
    echo "postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"
    ;;
*)
    echo "usage: postgres.sh start|stop|restart|halt|resume [PORT]" >&2
    exit 2
    ;;
esac
