#!/usr/bin/env bash
# tools/call throughput of an echo tool: Pier beside the official Python MCP SDK 2.x server, same machine,
# one sitting. Modern (2026-07-28) stateless requests with JSON responses, 64 connections on loopback.
# Runs ROUNDS alternating rounds (the machine is a shared VM) and prints each round and the medians.
# usage: bash Benchmarks/tools_call.sh [DURATION_SECONDS] [CONNECTIONS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNECTIONS=${2:-64}
ROUNDS=${3:-3}
LUA=../shared/tools/wrk_mcp_tools_call.lua
[ -f "$LUA" ] || { echo "missing $LUA (the shared wrk script)"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
bash scripts/setup-peers.sh
swift build -c release --product pier >/dev/null

PIER_PORT=18080
PY_PORT=18081
LOG_LEVEL=warning .build/release/pier serve --port $PIER_PORT --app demo &
PIER_PID=$!
.build-peers/mcp2/bin/python Benchmarks/python_echo_server.py $PY_PORT >/dev/null 2>&1 &
PY_PID=$!
trap 'kill $PIER_PID $PY_PID 2>/dev/null || true' EXIT
for port in $PIER_PORT $PY_PORT; do
    for _ in $(seq 1 100); do
        [ "$(curl -s -m 1 -o /dev/null -w "%{http_code}" -X POST "http://127.0.0.1:$port/mcp")" != "000" ] && break
        sleep 0.1
    done
done

run() {
    local port=$1
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$LUA" "http://127.0.0.1:$port/mcp" -- 2026-07-28 - echo '{"text":"x"}' 2>&1 | grep 'MCP summary'
}

echo "machine: $(nproc) cores; wrk -t2 -c$CONNECTIONS -d${DURATION}s x $ROUNDS rounds; client and servers share the cores"
for port in $PIER_PORT $PY_PORT; do   # warm-up
    wrk -t2 -c"$CONNECTIONS" -d2s -s "$LUA" "http://127.0.0.1:$port/mcp" -- 2026-07-28 - echo '{"text":"x"}' >/dev/null 2>&1
done
PIER_RPS=()
PY_RPS=()
for round in $(seq 1 "$ROUNDS"); do
    p=$(run $PIER_PORT); echo "round $round pier:   $p"
    y=$(run $PY_PORT);   echo "round $round python: $y"
    PIER_RPS+=("$(echo "$p" | sed -E 's/.*rps=([0-9]+).*/\1/')")
    PY_RPS+=("$(echo "$y" | sed -E 's/.*rps=([0-9]+).*/\1/')")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
PM=$(median "${PIER_RPS[@]}")
YM=$(median "${PY_RPS[@]}")
echo "median rps: pier $PM, python $YM, ratio $(awk -v a="$PM" -v b="$YM" 'BEGIN {printf "%.1f", a/b}')x"
