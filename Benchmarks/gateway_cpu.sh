#!/usr/bin/env bash
# Where the gateway's time goes: CPU per forwarded tools/call (user + system, from /proc/PID/stat) of the Pier
# upstream and of the Pier gateway in front of it, under wrk at CONNECTIONS connections for DURATION seconds.
# usage: bash Benchmarks/gateway_cpu.sh [DURATION_SECONDS] [CONNECTIONS]     PIER_BIN=... to measure another build
set -euo pipefail
# Throughput, not the default 100 requests a minute per caller.
export RATE_LIMIT_PER_MINUTE=0
cd "$(dirname "$0")/.."
DURATION=${1:-5}
CONNECTIONS=${2:-64}
LUA=../shared/tools/wrk_mcp_tools_call.lua
[ -f "$LUA" ] || { echo "missing $LUA (the shared wrk script)"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [ -z "${PIER_BIN:-}" ]; then swift build -c release --product pier >/dev/null; fi
PIER_BIN=$(realpath "${PIER_BIN:-.build/release/pier}")
WORK=$(mktemp -d)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
UP=$(free_port); GW=$(free_port)
LOG_LEVEL=warning PIER_DATA_DIR="$WORK/up" "$PIER_BIN" serve --port "$UP" --app demo >/dev/null 2>&1 &
UP_PID=$!
echo "{\"apps\": [], \"mcpServers\": {\"up\": {\"url\": \"http://127.0.0.1:$UP/mcp\", \"prefix\": \"\"}}}" > "$WORK/gw.json"
LOG_LEVEL=warning PIER_DATA_DIR="$WORK/gw" "$PIER_BIN" serve --port "$GW" --config "$WORK/gw.json" >/dev/null 2>&1 &
GW_PID=$!
trap 'kill $UP_PID $GW_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do
    curl -s "http://127.0.0.1:$GW/health" | grep -q '"state":"running"' && break
    sleep 0.1
done
wrk -t1 -c4 -d2s -s "$LUA" "http://127.0.0.1:$GW/mcp" -- 2026-07-28 - echo '{"text":"x"}' >/dev/null 2>&1   # warm-up
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
u0=$(ticks $UP_PID); g0=$(ticks $GW_PID)
out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$LUA" "http://127.0.0.1:$GW/mcp" -- 2026-07-28 - echo '{"text":"x"}' 2>&1 | grep 'MCP summary')
u1=$(ticks $UP_PID); g1=$(ticks $GW_PID)
requests=$(echo "$out" | sed -E 's/.*requests=([0-9]+).*/\1/')
echo "through the gateway, $CONNECTIONS connections: $out"
awk -v u=$((u1 - u0)) -v g=$((g1 - g0)) -v n="$requests" -v hz="$HZ" \
    'BEGIN {printf "cpu per call: upstream %.0f us, gateway %.0f us (%.1fx the upstream)\n", u * 1e6 / hz / n, g * 1e6 / hz / n, g / u}'
