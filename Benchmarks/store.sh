#!/usr/bin/env bash
# State read and compare-and-set write throughput on SQLite and on PostgreSQL, 1 and 16 concurrent tasks.
# usage: bash Benchmarks/store.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-5}
bash scripts/setup-system.sh
swift build -c release --product StoreBenchmark >/dev/null
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"; bash scripts/postgres.sh stop 54330' EXIT
.build/release/StoreBenchmark --sqlite "$DIR/bench.sqlite" "$SECONDS_PER_RUN"
.build/release/StoreBenchmark --postgres "$(bash scripts/postgres.sh start 54330)" "$SECONDS_PER_RUN"
