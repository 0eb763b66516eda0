#!/usr/bin/env bash
# The soak: Pier (release build, SQLite, the demo app, and mcp-server-time as a supervised stdio upstream) under
# wrk at 80 % of the peak it reached a moment before, for SOAK_SECONDS, while STREAMS handshake-era sessions hold
# their GET streams open. Prints the memory per legacy session and per open stream, the peak, then one line per
# segment (a tenth of the soak): rate, p50, p99 and Pier's resident memory; then whether every stream was held.
# usage: bash scripts/reliability.sh [SOAK_SECONDS] [STREAMS]     (defaults 300 and 1000)
#        PIER_BIN=... to soak another build; the suite runs a short one against the debug build
# The failover test (nginx, two instances, PostgreSQL, kill -9) is Tests/interop/cluster; the fuzz targets are
# scripts/fuzz.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK=${1:-300}
STREAMS=${2:-1000}
command -v wrk >/dev/null || bash scripts/setup-system.sh
bash scripts/setup-peers.sh >/dev/null
if [ -z "${PIER_BIN:-}" ]; then swift build -c release --product pier >/dev/null; fi
PIER_BIN=${PIER_BIN:-.build/release/pier}
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
WORK=$(mktemp -d /tmp/pier-soak-XXXXXX)
cat > "$WORK/pier.json" <<JSON
{"mcpServers": {"time": {"command": "$PWD/.build-peers/upstreams/bin/python", "args": ["-m", "mcp_server_time", "--local-timezone", "UTC"]}}}
JSON
# Streams beyond the default caps; no rate limit (one address makes every request).
LOG_LEVEL=warning RATE_LIMIT_PER_MINUTE=0 PIER_DATA_DIR="$WORK" PIER_MAX_SESSIONS=$((STREAMS + 100)) \
    "$PIER_BIN" serve --port "$PORT" --app demo --config "$WORK/pier.json" 2> "$WORK/pier.log" &
PIER_PID=$!
HOLDER_PID=""
cleanup() {
    [ -n "$HOLDER_PID" ] && kill "$HOLDER_PID" 2>/dev/null || true
    kill "$PIER_PID" 2>/dev/null || true
    wait "$PIER_PID" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 300); do
    curl -sf -m 1 "http://127.0.0.1:$PORT/ready" >/dev/null && break
    sleep 0.1
done
curl -sf -m 2 "http://127.0.0.1:$PORT/ready" >/dev/null || { echo "Pier did not become ready"; cat "$WORK/pier.log"; exit 1; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$PIER_PID/status"; }
LUA=Benchmarks/soak_tools_call.lua
URL="http://127.0.0.1:$PORT/mcp"
field() { echo "$1" | sed -E "s/.*$2=([0-9.]+).*/\1/"; }

# Sessions and streams first, so the soak runs with them open.
python3 Benchmarks/soak_streams.py 127.0.0.1 "$PORT" "$PIER_PID" "$STREAMS" "$WORK/streams.json" > "$WORK/holder.out" &
HOLDER_PID=$!
for _ in $(seq 1 600); do [ -s "$WORK/streams.json" ] && break; sleep 0.5; done
[ -s "$WORK/streams.json" ] || { echo "the stream holder did not report"; exit 1; }
echo "sessions and streams: $(cat "$WORK/streams.json")"

wrk -t2 -c64 -d5s -s "$LUA" "$URL" -- 0 >/dev/null 2>&1   # warm-up
PEAK_LINE=$(wrk -t2 -c64 -d15s --latency -s "$LUA" "$URL" -- 0 2>&1 | grep SOAK)
PEAK=$(field "$PEAK_LINE" rps)
echo "peak: $PEAK_LINE"
# 64 connections each pausing so that together they send 80 % of the peak (less the time a reply takes).
TARGET=$(python3 -c "print(int($PEAK * 0.8))")
P50=$(field "$PEAK_LINE" p50)
DELAY=$(python3 -c "print(max(0, int(64 * 1000 / $TARGET - $P50)))")
echo "soak: ${SOAK}s at a target of $TARGET calls/s (80 % of $PEAK): 64 connections, ${DELAY} ms between requests"
SEGMENT=$((SOAK / 10))
BAD=0
for i in $(seq 1 10); do
    line=$(wrk -t2 -c64 -d"${SEGMENT}s" --latency -s "$LUA" "$URL" -- "$DELAY" 2>&1 | grep SOAK)
    BAD=$((BAD + $(field "$line" bad) + $(field "$line" errors)))
    printf 'segment %2d (to %4d s): rps=%s p50=%sms p99=%sms bad=%s rss=%s KiB\n' "$i" $((i * SEGMENT)) \
        "$(field "$line" rps)" "$(field "$line" p50)" "$(field "$line" p99)" "$(field "$line" bad)" "$(rss)"
done
kill "$HOLDER_PID"
wait "$HOLDER_PID" || true
HOLDER_PID=""
echo "streams after the soak: $(cat "$WORK/holder.out")"
kill -0 "$PIER_PID" || { echo "Pier died"; exit 1; }
python3 - "$WORK/holder.out" "$STREAMS" "$BAD" <<'PY'
import json, sys
held = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
streams, bad = int(sys.argv[2]), int(sys.argv[3])
ok = held["still_open"] == streams and bad == 0
print(("PASS" if ok else "FAIL") + f": {held['still_open']} of {streams} streams held, {bad} bad replies or socket errors")
sys.exit(0 if ok else 1)
PY
