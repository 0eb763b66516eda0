#!/usr/bin/env bash
# tools/call throughput of the echo tool over stdio and over the 2024-11-05 HTTP+SSE transport (release build).
# usage: bash Benchmarks/transports.sh [CALLS_OVER_STDIO] [SSE_SECONDS] [SSE_CONNECTIONS]
#        PIER_BIN=... to measure another build (default: this checkout's release build)
set -euo pipefail
# Throughput, not the default 100 requests a minute per caller.
export RATE_LIMIT_PER_MINUTE=0
cd "$(dirname "$0")/.."
CALLS=${1:-100000}
DURATION=${2:-10}
CONNECTIONS=${3:-64}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [ -z "${PIER_BIN:-}" ]; then swift build -c release --product pier >/dev/null; fi
PIER_BIN=${PIER_BIN:-.build/release/pier}

echo "stdio (window 64):"
python3 Benchmarks/stdio_tools_call.py "$PIER_BIN" "$CALLS" 64

PORT=18082
DATA=$(mktemp -d)
PIER_DATA_DIR=$DATA LOG_LEVEL=warning "$PIER_BIN" serve --port $PORT --app demo &
PIER_PID=$!
trap 'kill $PIER_PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 0.1; done
# Open the SSE stream, read its endpoint, then drain it while wrk posts messages.
STREAM=$(mktemp)
curl -sN -H 'Accept: text/event-stream' "http://127.0.0.1:$PORT/sse" > "$STREAM" &
CURL_PID=$!
for _ in $(seq 1 50); do grep -q '^data: /mcp/messages' "$STREAM" && break; sleep 0.1; done
ENDPOINT=$(grep -m1 '^data: ' "$STREAM" | cut -c7- | tr -d '\r')
echo "HTTP+SSE (wrk -t2 -c$CONNECTIONS -d${DURATION}s on $ENDPOINT, one stream):"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/sse_tools_call.lua "http://127.0.0.1:$PORT$ENDPOINT" | grep 'SSE summary'
sleep 1
echo "replies seen on the stream: $(grep -c '"result"' "$STREAM")"
kill $CURL_PID 2>/dev/null || true
rm -f "$STREAM"
