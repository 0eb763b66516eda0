#!/usr/bin/env bash
# The gateway's overhead on tools/call of an echo tool, in one sitting: direct to an upstream, through Pier, and
# through FastMCP 4's proxy over the same upstream, at 1 and 64 connections. Two upstreams: a Pier over
# Streamable HTTP (`pier serve --app demo`), and a Pier over stdio (`pier serve --stdio --app demo`, which Pier and
# FastMCP each start as their child; "direct" is a pipelined stdio client, Benchmarks/stdio_tools_call.py).
# Modern (2026-07-28) stateless requests on loopback; client, gateways and upstreams share the machine's cores.
# Also prints the gateway's RSS with the six kinds of upstream of the test suite connected, and per upstream.
# usage: bash Benchmarks/gateway.sh [DURATION_SECONDS]      PIER_BIN=... to measure another build
set -euo pipefail
# Throughput, not the default 100 requests a minute per caller.
export RATE_LIMIT_PER_MINUTE=0
cd "$(dirname "$0")/.."
DURATION=${1:-10}
LUA=../shared/tools/wrk_mcp_tools_call.lua
[ -f "$LUA" ] || { echo "missing $LUA (the shared wrk script)"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
bash scripts/setup-peers.sh >/dev/null
if [ -z "${PIER_BIN:-}" ]; then swift build -c release --product pier >/dev/null; fi
PIER_BIN=$(realpath "${PIER_BIN:-.build/release/pier}")
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() {
    for _ in $(seq 1 300); do
        [ "$(curl -s -m 1 -o /dev/null -w "%{http_code}" -X POST "http://127.0.0.1:$1/mcp")" != "000" ] && return 0
        sleep 0.1
    done
    echo "nothing answers on port $1"; exit 1
}
wait_tool() {
    for _ in $(seq 1 300); do
        curl -s -X POST "http://127.0.0.1:$1/mcp" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
            -H 'MCP-Protocol-Version: 2026-07-28' -H 'Mcp-Method: tools/list' \
            -d '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}' \
            | grep -q "\"$2\"" && return 0
        sleep 0.1
    done
    echo "port $1 never listed $2"; exit 1
}
pier_serve() { # data-dir-name port [args...]
    local name=$1 port=$2; shift 2
    LOG_LEVEL=warning PIER_DATA_DIR="$WORK/$name" "$PIER_BIN" serve --port "$port" "$@" >/dev/null 2>&1 &
    PIDS+=($!)
}
wrk_run() { # port connections tool
    wrk -t"$(( $2 < 2 ? 1 : 2 ))" -c"$2" -d"${DURATION}s" --latency -s "$LUA" "http://127.0.0.1:$1/mcp" -- 2026-07-28 - "$3" '{"text":"x"}' 2>&1 | grep 'MCP summary'
}
field() { echo "$1" | sed -E "s/.*$2=([0-9.]+).*/\1/"; }

UP=$(free_port); GW_HTTP=$(free_port); GW_STDIO=$(free_port); FM_HTTP=$(free_port); FM_STDIO=$(free_port)
pier_serve upstream "$UP" --app demo
wait_http "$UP"
cat > "$WORK/http.json" <<JSON
{"apps": [], "mcpServers": {"up": {"url": "http://127.0.0.1:$UP/mcp", "prefix": ""}}}
JSON
cat > "$WORK/stdio.json" <<JSON
{"apps": [], "mcpServers": {"up": {"command": "$PIER_BIN", "args": ["serve", "--stdio", "--app", "demo"], "prefix": "",
  "env": {"PIER_DATA_DIR": "$WORK/stdio-upstream", "LOG_LEVEL": "warning"}}}}
JSON
pier_serve gateway-http "$GW_HTTP" --config "$WORK/http.json"
pier_serve gateway-stdio "$GW_STDIO" --config "$WORK/stdio.json"
.build-peers/fastmcp/bin/python Benchmarks/fastmcp_proxy.py "http://127.0.0.1:$UP/mcp" "$FM_HTTP" >/dev/null 2>&1 &
PIDS+=($!)
FM_STDIO_TARGET="{\"mcpServers\": {\"up\": {\"command\": \"$PIER_BIN\", \"args\": [\"serve\", \"--stdio\", \"--app\", \"demo\"], \"env\": {\"PIER_DATA_DIR\": \"$WORK/fm-stdio-upstream\", \"LOG_LEVEL\": \"warning\"}}}}"
.build-peers/fastmcp/bin/python Benchmarks/fastmcp_proxy.py "$FM_STDIO_TARGET" "$FM_STDIO" >/dev/null 2>&1 &
PIDS+=($!)
for port in $GW_HTTP $GW_STDIO $FM_HTTP $FM_STDIO; do wait_http "$port"; done
wait_tool "$GW_HTTP" echo; wait_tool "$GW_STDIO" echo; wait_tool "$FM_HTTP" echo; wait_tool "$FM_STDIO" echo

echo "machine: $(nproc) cores; wrk -t2 -d${DURATION}s per figure; tools/call echo {\"text\":\"x\"}, 2026-07-28 stateless"
for port in $UP $GW_HTTP $FM_HTTP $GW_STDIO $FM_STDIO; do wrk -t1 -c4 -d2s -s "$LUA" "http://127.0.0.1:$port/mcp" -- 2026-07-28 - echo '{"text":"x"}' >/dev/null 2>&1; done
for c in 1 64; do
    direct=$(wrk_run "$UP" $c echo); pier=$(wrk_run "$GW_HTTP" $c echo); fast=$(wrk_run "$FM_HTTP" $c echo)
    echo "http upstream, $c conn: direct    $direct"
    echo "http upstream, $c conn: via pier  $pier"
    echo "http upstream, $c conn: via fastmcp $fast"
    awk -v d="$(field "$direct" rps)" -v p="$(field "$pier" rps)" -v f="$(field "$fast" rps)" -v dl="$(field "$direct" p50)" -v pl="$(field "$pier" p50)" -v c="$c" \
        'BEGIN {printf "http upstream, %s conn: pier keeps %.0f%% of direct rps (+%.3f ms p50); fastmcp keeps %.1f%%\n", c, 100*p/d, pl-dl, 100*f/d}'
done
for c in 1 64; do
    window=$c
    direct=$(python3 Benchmarks/stdio_tools_call.py "$PIER_BIN" $((c == 1 ? 20000 : 100000)) "$window" | grep 'stdio summary')
    pier=$(wrk_run "$GW_STDIO" $c echo); fast=$(wrk_run "$FM_STDIO" $c echo)
    echo "stdio upstream, $c in flight: direct (pipelined stdio client) $direct"
    echo "stdio upstream, $c conn: via pier  $pier"
    echo "stdio upstream, $c conn: via fastmcp $fast"
    awk -v d="$(echo "$direct" | sed -E 's/.*calls\/s=([0-9]+).*/\1/')" -v p="$(field "$pier" rps)" -v f="$(field "$fast" rps)" -v c="$c" \
        'BEGIN {printf "stdio upstream, %s: pier keeps %.0f%% of direct calls/s; fastmcp keeps %.1f%%\n", c, 100*p/d, 100*f/d}'
done
PIER_BIN="$PIER_BIN" .build-peers/mcp2/bin/python Benchmarks/gateway_rss.py
