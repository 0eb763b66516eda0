#!/usr/bin/env bash
# The whole Pier test suite: Swift unit tests (no sockets), then interop tests in which the official Python
# MCP SDKs drive a live `pier serve` (2.x for 2026-07-28; 1.x for 2025-11-25, 2025-06-18 and 2025-03-26).
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
failures=()

step "installing interop peers"
bash scripts/setup-peers.sh || { echo "setup-peers failed"; exit 1; }

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

if [ ${#failures[@]} -gt 0 ]; then
    printf '\nFAILED: %s\n' "${failures[*]}"
    exit 1
fi
printf '\nAll test stages passed.\n'
