#!/usr/bin/env bash
# tools/call throughput of an echo tool, in one sitting on one machine: Pier beside the framework's ceiling (a
# Hummingbird 2 route that collects the body and answers a constant JSON-RPC result: Benchmarks/CeilingServer) and
# the official Python MCP SDK 2.x server. Modern (2026-07-28) stateless requests with JSON responses, 64 connections
# on loopback. Runs ROUNDS alternating rounds (the machine is a shared VM whose speed drifts within seconds) and
# prints each round, the medians, and the median of the per-round ratios (each round's servers ran back to back,
# so their ratio is the steadiest figure).
# usage: bash Benchmarks/tools_call.sh [DURATION_SECONDS] [CONNECTIONS] [ROUNDS]
#        PIER_BIN=... CEILING_BIN=... to measure other builds (default: this checkout's release builds)
set -euo pipefail
# Throughput, not the default 100 requests a minute per caller.
export RATE_LIMIT_PER_MINUTE=0
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNECTIONS=${2:-64}
ROUNDS=${3:-3}
LUA=../shared/tools/wrk_mcp_tools_call.lua
[ -f "$LUA" ] || { echo "missing $LUA (the shared wrk script)"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
bash scripts/setup-peers.sh >/dev/null
if [ -z "${PIER_BIN:-}" ]; then
    swift build -c release --product pier >/dev/null
    swift build -c release --product CeilingServer >/dev/null
fi
PIER_BIN=${PIER_BIN:-.build/release/pier}
CEILING_BIN=${CEILING_BIN:-.build/release/CeilingServer}

PIER_PORT=18080
PY_PORT=18081
CEILING_PORT=18082
LOG_LEVEL=warning "$PIER_BIN" serve --port $PIER_PORT --app demo &
PIER_PID=$!
"$CEILING_BIN" $CEILING_PORT >/dev/null 2>&1 &
CEILING_PID=$!
.build-peers/mcp2/bin/python Benchmarks/python_echo_server.py $PY_PORT >/dev/null 2>&1 &
PY_PID=$!
trap 'kill $PIER_PID $CEILING_PID $PY_PID 2>/dev/null || true' EXIT
for port in $PIER_PORT $CEILING_PORT $PY_PORT; do
    for _ in $(seq 1 100); do
        [ "$(curl -s -m 1 -o /dev/null -w "%{http_code}" -X POST "http://127.0.0.1:$port/mcp")" != "000" ] && break
        sleep 0.1
    done
done

run() {
    local port=$1 seconds=$2
    wrk -t2 -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$LUA" "http://127.0.0.1:$port/mcp" -- 2026-07-28 - echo '{"text":"x"}' 2>&1 | grep 'MCP summary'
}
rps() { echo "$1" | sed -E 's/.*rps=([0-9]+).*/\1/'; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "machine: $(nproc) cores; wrk -t2 -c$CONNECTIONS -d${DURATION}s x $ROUNDS rounds; client and servers share the cores"
for port in $PIER_PORT $CEILING_PORT $PY_PORT; do run $port 2 >/dev/null; done   # warm-up
PIER_RPS=()
CEILING_RPS=()
PY_RPS=()
CEILING_RATIOS=()
PY_RATIOS=()
for round in $(seq 1 "$ROUNDS"); do
    c=$(run $CEILING_PORT "$DURATION"); echo "round $round ceiling: $c"
    p=$(run $PIER_PORT "$DURATION");    echo "round $round pier:    $p"
    y=$(run $PY_PORT "$DURATION");      echo "round $round python:  $y"
    PIER_RPS+=("$(rps "$p")")
    CEILING_RPS+=("$(rps "$c")")
    PY_RPS+=("$(rps "$y")")
    CEILING_RATIOS+=("$(awk -v a="$(rps "$p")" -v b="$(rps "$c")" 'BEGIN {printf "%.3f", a/b}')")
    PY_RATIOS+=("$(awk -v a="$(rps "$p")" -v b="$(rps "$y")" 'BEGIN {printf "%.1f", a/b}')")
done
echo "median rps: pier $(median "${PIER_RPS[@]}"), ceiling $(median "${CEILING_RPS[@]}"), python $(median "${PY_RPS[@]}")"
echo "pier / ceiling per round: ${CEILING_RATIOS[*]}   median $(median "${CEILING_RATIOS[@]}")"
echo "pier / python per round:  ${PY_RATIOS[*]}   median $(median "${PY_RATIOS[@]}")x"
