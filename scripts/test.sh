#!/usr/bin/env bash
# The whole Pier test suite: Swift tests (unit tests with no sockets; the store suite against memory, SQLite and
# a real PostgreSQL this script starts), then interop tests in which the official Python MCP SDKs drive a live
# `pier serve` (2.x for 2026-07-28; 1.x for 2025-11-25, 2025-06-18 and 2025-03-26), then browser tests in which
# headless Chromium drives the playground and the widgets. The gateway stages put real third-party upstream
# servers behind Pier and drive them through it.
# PIER_SKIP_POSTGRES=1 skips the PostgreSQL runs on purpose; nothing else skips them.
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
failures=()

step "installing system packages and interop peers"
bash scripts/setup-system.sh || { echo "setup-system failed"; exit 1; }
bash scripts/setup-peers.sh || { echo "setup-peers failed"; exit 1; }

if [ "${PIER_SKIP_POSTGRES:-}" != "1" ]; then
    step "starting a throwaway PostgreSQL"
    # A free port of its own, so two test runs on one machine never share (or stop) each other's server.
    PG_PORT=${PIER_TEST_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    PIER_TEST_DATABASE_URL=$(bash scripts/postgres.sh start "$PG_PORT") || { echo "PostgreSQL did not start"; exit 1; }
    export PIER_TEST_DATABASE_URL
    trap 'bash scripts/postgres.sh stop "$PG_PORT"' EXIT
    echo "$PIER_TEST_DATABASE_URL"
fi

step "building (debug, with tests)"
swift build --build-tests || { echo "build failed"; exit 1; }

step "Swift unit tests"
swift test --skip-build || failures+=("swift test")

export PIER_BIN="$PWD/.build/debug/pier"
PYTEST_ARGS=(-q -p no:cacheprovider --rootdir Tests/interop -W ignore::DeprecationWarning)

step "interop: official Python SDK 2.x (2026-07-28)"
.build-peers/mcp2/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/modern || failures+=("interop modern")

step "interop: official Python SDK 1.x (legacy eras) and raw HTTP edges"
.build-peers/mcp1/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/legacy || failures+=("interop legacy")

step "gateway: real upstreams (stdio, Streamable HTTP, HTTP+SSE) behind Pier, SDK 2.x client, faults"
.build-peers/mcp2/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/gateway || failures+=("gateway modern")

step "gateway: the same upstreams through Pier, SDK 1.x client (Streamable HTTP and HTTP+SSE)"
.build-peers/mcp1/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/gateway_legacy || failures+=("gateway legacy")

step "interop: FastMCP 4 client"
.build-peers/fastmcp/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/fastmcp || failures+=("interop fastmcp")

step "conformance through Pier-in-front-of-Pier: the interop suites again, via a gateway with \"prefix\": \"\" (HTTP and stdio)"
PIER_VIA_GATEWAY=1 .build-peers/mcp2/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/modern || failures+=("via gateway: modern")
PIER_VIA_GATEWAY=1 .build-peers/mcp1/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/legacy || failures+=("via gateway: legacy")
PIER_VIA_GATEWAY=1 .build-peers/fastmcp/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/fastmcp || failures+=("via gateway: fastmcp")

step "admin API: servers added, changed, restarted and removed live through /api/v1 (SDK clients; SQLite and PostgreSQL)"
.build-peers/mcp1/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/admin || failures+=("admin API")
.build-peers/mcp2/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/admin_modern || failures+=("admin API: listen")

step "OAuth: Pier's own authorization server with the SDK 2.x, SDK 1.x and FastMCP 4 clients' OAuth (DCR, CIMD with private_key_jwt, PKCE, sign-in) and the negative suite"
.build-peers/mcp2/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/auth || failures+=("oauth")
.build-peers/mcp1/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/auth_legacy || failures+=("oauth: SDK 1.x")
.build-peers/fastmcp/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/auth_fastmcp || failures+=("oauth: FastMCP 4")
.build-peers/mcp2/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/auth_external || failures+=("oauth: external identity provider")

step "operations: /metrics (prometheus_client parser), rate limits, /ready and logs, with SDK 2.x clients"
.build-peers/mcp2/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/operations || failures+=("operations")

step "cluster: two Pier instances on one PostgreSQL behind nginx (deploy/nginx.conf), one killed under load; shared sessions and requestState; what crosses instances over LISTEN/NOTIFY"
.build-peers/mcp1/bin/python -m pytest "${PYTEST_ARGS[@]}" Tests/interop/cluster || failures+=("cluster")

step "reliability: a 20-second soak at 80 % of peak with 100 sessions holding GET streams (scripts/reliability.sh; the 5-minute one is in BENCHMARKS.md)"
bash scripts/reliability.sh 20 100 || failures+=("reliability smoke")

step "fuzz: a 30-second smoke of each libFuzzer target (JSON, JSON-RPC, SSE, headers, config, OAuth forms and JWS)"
bash scripts/fuzz.sh --seconds 30 --jobs 2 || failures+=("fuzz smoke")

step "sanitizers: the Swift suite under ThreadSanitizer and under AddressSanitizer (scripts/sanitizers.sh: two more builds, about 10 minutes)"
bash scripts/sanitizers.sh thread address || failures+=("sanitizers")

step "admin API: schemathesis against its OpenAPI document"
bash Tests/admin/schemathesis.sh || failures+=("schemathesis")

step "browser: the playground and the widgets (Pier's and an upstream's) in headless Chromium (screenshots in .build-artifacts/browser)"
.build-peers/browser/bin/python -m pytest -q -p no:cacheprovider --rootdir Tests/browser Tests/browser || failures+=("browser")

if [ ${#failures[@]} -gt 0 ]; then
    printf '\nFAILED: %s\n' "${failures[*]}"
    exit 1
fi
printf '\nAll test stages passed.\n'
