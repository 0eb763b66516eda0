#!/usr/bin/env bash
# The bearer check's CPU cost per request, measured inside one process: a Pier with PIER_AUTH=oauth and
# PIER_AUTH_OPTIONAL=/mcp serves the same tools/call of echo to callers with no token (anonymous, allowed: echo is
# read-only) and with a valid one, in alternating runs. The figure is the Pier process's user+system CPU time
# (/proc/PID/stat) divided by the requests it answered, so it is less moved by wrk's own share of the cores than
# requests/s are. Tool calls are kept out of the activity log, as in auth.sh.
# usage: bash Benchmarks/auth_cpu.sh [SECONDS_PER_RUN] [ROUNDS]     PIER_BIN=... to measure another build
set -euo pipefail
# Throughput, not the default 100 requests a minute per caller.
export RATE_LIMIT_PER_MINUTE=0
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-5}
ROUNDS=${2:-5}
LUA=Benchmarks/bearer_tools_call.lua
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
bash scripts/setup-peers.sh >/dev/null
[ -n "${PIER_BIN:-}" ] || swift build -c release --product pier >/dev/null
PIER_BIN=${PIER_BIN:-.build/release/pier}
WORK=$(mktemp -d)
PORT=18092
PASSWORD=benchmark-password-$RANDOM$RANDOM
PIER_ACTIVITY_CALLS=false LOG_LEVEL=warning PIER_DATA_DIR="$WORK" PIER_AUTH=oauth PIER_AUTH_OPTIONAL=/mcp \
    PIER_ADMIN_USER=bench PIER_ADMIN_PASSWORD="$PASSWORD" "$PIER_BIN" serve --port $PORT --app demo &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 0.1; done
TOKEN=$(.build-peers/mcp2/bin/python Benchmarks/auth_token.py "http://127.0.0.1:$PORT" bench "$PASSWORD")
HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
# CPU microseconds per request for one run (token: empty for the anonymous caller).
run() {
    local before after requests
    before=$(ticks)
    requests=$(wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" -s "$LUA" "http://127.0.0.1:$PORT/mcp" -- "$1" | grep 'bearer summary' | sed -E 's/.*requests=([0-9]+).*/\1/')
    after=$(ticks)
    awk -v d=$((after - before)) -v n="$requests" -v hz="$HZ" 'BEGIN {printf "%.1f", d / hz * 1e6 / n}'
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(nproc) cores; wrk -t2 -c64 -d${SECONDS_PER_RUN}s x $ROUNDS rounds; one Pier, optional auth on /mcp"
run "" >/dev/null
ANON=()
WITH=()
for round in $(seq 1 "$ROUNDS"); do
    a=$(run ""); t=$(run "$TOKEN")
    echo "round $round: anonymous $a us/request, with a token $t us/request"
    ANON+=("$a"); WITH+=("$t")
done
echo "median: anonymous $(median "${ANON[@]}") us/request, with a token $(median "${WITH[@]}") us/request"
