#!/usr/bin/env bash
# What the bearer check costs: tools/call of an echo tool on a Pier with PIER_AUTH=none and on one with
# PIER_AUTH=oauth (a valid access token on every request, looked up in SQLite each time), in alternating rounds.
# Modern (2026-07-28) stateless requests with JSON responses on loopback; client and servers share the cores. Both
# sides send the same request (the open one with no header); the order alternates each round (off first, then oauth
# first), because this shared VM's speed drifts within seconds.
# Both sides keep tool calls out of the activity log (PIER_ACTIVITY_CALLS=false; ACTIVITY=true puts them back):
# at these rates its SQLite writes take a share of the two cores that varies from second to second, and that is
# not what this measures.
# usage: bash Benchmarks/auth.sh [DURATION_SECONDS] [CONNECTIONS] [ROUNDS]     PIER_BIN=... to measure another build
set -euo pipefail
# Throughput, not the default 100 requests a minute per caller.
export RATE_LIMIT_PER_MINUTE=0
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNECTIONS=${2:-64}
ROUNDS=${3:-3}
LUA=Benchmarks/bearer_tools_call.lua
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
bash scripts/setup-peers.sh >/dev/null
[ -n "${PIER_BIN:-}" ] || swift build -c release --product pier >/dev/null
PIER_BIN=${PIER_BIN:-.build/release/pier}
WORK=$(mktemp -d)
OPEN_PORT=18090
AUTH_PORT=18091
PASSWORD=benchmark-password-$RANDOM$RANDOM
export PIER_ACTIVITY_CALLS=${ACTIVITY:-false}
LOG_LEVEL=warning PIER_DATA_DIR="$WORK/open" "$PIER_BIN" serve --port $OPEN_PORT --app demo &
OPEN_PID=$!
LOG_LEVEL=warning PIER_DATA_DIR="$WORK/auth" PIER_AUTH=oauth PIER_ADMIN_USER=bench PIER_ADMIN_PASSWORD="$PASSWORD" "$PIER_BIN" serve --port $AUTH_PORT --app demo &
AUTH_PID=$!
trap 'kill $OPEN_PID $AUTH_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for port in $OPEN_PORT $AUTH_PORT; do
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
done
TOKEN=$(.build-peers/mcp2/bin/python Benchmarks/auth_token.py "http://127.0.0.1:$AUTH_PORT" bench "$PASSWORD")

run() {
    local port=$1 seconds=$2 token=${3:-}
    wrk -t2 -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$LUA" "http://127.0.0.1:$port/mcp" -- "$token" 2>&1 | grep 'bearer summary'
}
rps() { echo "$1" | sed -E 's/.*rps=([0-9]+).*/\1/'; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "machine: $(nproc) cores; wrk -t2 -c$CONNECTIONS -d${DURATION}s x $ROUNDS rounds; client and servers share the cores; activity log of calls: $PIER_ACTIVITY_CALLS"
run $OPEN_PORT 2 >/dev/null
run $AUTH_PORT 2 "$TOKEN" >/dev/null
OPEN_RPS=()
AUTH_RPS=()
RATIOS=()
for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then
        o=$(run $OPEN_PORT "$DURATION"); echo "round $round auth off:  $o"
        a=$(run $AUTH_PORT "$DURATION" "$TOKEN"); echo "round $round oauth:     $a"
    else
        a=$(run $AUTH_PORT "$DURATION" "$TOKEN"); echo "round $round oauth:     $a"
        o=$(run $OPEN_PORT "$DURATION"); echo "round $round auth off:  $o"
    fi
    if ! echo "$a" | grep -q 'non200=0 '; then echo "some requests were refused: the figure would be meaningless"; exit 1; fi
    OPEN_RPS+=("$(rps "$o")")
    AUTH_RPS+=("$(rps "$a")")
    RATIOS+=("$(awk -v a="$(rps "$a")" -v b="$(rps "$o")" 'BEGIN {printf "%.3f", a/b}')")
done
echo "median rps: auth off $(median "${OPEN_RPS[@]}"), oauth $(median "${AUTH_RPS[@]}")"
echo "oauth / off per round: ${RATIOS[*]}   median $(median "${RATIOS[@]}")"
