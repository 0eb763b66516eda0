#!/usr/bin/env bash
# libFuzzer targets (swiftc -sanitize=fuzzer,address) for what Pier parses from the network and from config files:
# json, jsonrpc, sse, headers, config, oauth. Each target is the code under test compiled into one module with an
# entry point from Fuzz/Targets (the files' imports of the modules bundled into it are dropped), so a target builds
# in seconds without the rest of Pier. Seeds and the minimized corpora are in Fuzz/Corpus/<target>; crashes land in
# .build-fuzz/crashes/.
#
#   bash scripts/fuzz.sh --seconds 30            # every target for 30 s (the suite's smoke)
#   bash scripts/fuzz.sh --runs 10000000 json    # one target for 10 M executions
#   FUZZ_SANITIZERS=fuzzer bash scripts/fuzz.sh …  # without AddressSanitizer (several times faster; Swift traps still crash)
#   bash scripts/fuzz.sh --merge --seconds 600   # then fold what was found into Fuzz/Corpus (minimized)
#
# Needs the package's checkouts (swift-http-types, swift-extras-base64): run any `swift build` once first.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=""; runs=""; merge=0; jobs=1; max_len=4096; targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --merge) merge=1; shift ;;
        --jobs) jobs="$2"; shift 2 ;;
        --max-len) max_len="$2"; shift 2 ;;
        json|jsonrpc|sse|headers|config|oauth) targets+=("$1"); shift ;;
        *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(json jsonrpc sse headers config oauth)
[ -n "$seconds$runs" ] || seconds=30

core=(Sources/PierSync/*.swift Sources/MCPCore/JSON/*.swift Sources/MCPCore/JSONRPC/*.swift Sources/MCPCore/MCP/*.swift)
sources() {
    case "$1" in
        json) echo "${core[@]}" Fuzz/Targets/JSONParserFuzz.swift ;;
        jsonrpc) echo "${core[@]}" Fuzz/Targets/JSONRPCEnvelopeFuzz.swift ;;
        sse) echo "${core[@]}" Sources/MCPClient/SSEParser.swift Fuzz/Targets/SSEParserFuzz.swift ;;
        headers) echo "${core[@]}" .build/checkouts/swift-http-types/Sources/HTTPTypes/*.swift Sources/PierHTTP/Endpoint/MCPHeaders.swift \
            Sources/PierHTTP/Endpoint/HeaderText.swift Sources/PierHTTP/Endpoint/EncodedHeaderValue.swift Sources/PierHTTP/Sessions/EventLog.swift \
            Fuzz/Targets/HeaderFuzz.swift ;;
        config) echo "${core[@]}" Sources/PierApplication/ServerImport.swift Sources/PierApplication/UpstreamSettings.swift \
            Sources/PierApplication/Placeholders.swift Sources/PierApplication/ConfigurationError.swift Sources/PierApplication/ConfigSource.swift \
            Sources/PierUpstreamStdio/ChildEnvironment.swift Fuzz/Targets/ConfigFuzz.swift ;;
        oauth) echo "${core[@]}" .build/checkouts/swift-extras-base64/Sources/ExtrasBase64/*.swift Sources/PierAuthHTTP/FormFields.swift \
            Sources/PierAuth/CompactJWS.swift Fuzz/Targets/OAuthFuzz.swift ;;
    esac
}

build() {
    local target="$1" src=".build-fuzz/src/$1" files=()
    rm -rf "$src"; mkdir -p "$src"
    for file in $(sources "$target"); do
        [ -f "$file" ] || { echo "fuzz.sh: $file is missing (run swift build once for the checkouts)" >&2; return 1; }
        # One module: imports of the modules bundled into it go.
        local copy="$src/$(echo "$file" | tr '/' '_')"
        sed -E '/^(public |internal |@testable )?import (PierSync|MCPCore|MCPClient|PierServer|PierUpstreamStdio|HTTPTypes|ExtrasBase64)$/d' "$file" > "$copy"
        files+=("$copy")
    done
    swiftc -O -g -sanitize="${FUZZ_SANITIZERS:-fuzzer,address}" -parse-as-library -module-name "Fuzz_$target" -swift-version 6 \
        -suppress-warnings -enable-experimental-feature Lifetimes "${files[@]}" -o ".build-fuzz/$target" 2> >(grep -v "ld.gold: warning" >&2)
}

mkdir -p .build-fuzz/crashes
status=0
run() {
    local target="$1" work=".build-fuzz/corpus/$1" seeds="Fuzz/Corpus/$1"
    mkdir -p "$work" "$seeds"
    local limit=(); [ -n "$runs" ] && limit+=(-runs="$runs"); [ -n "$seconds" ] && limit+=(-max_total_time="$seconds")
    local log=".build-fuzz/$target.log"
    local started=$(date +%s)
    if ! ".build-fuzz/$target" "${limit[@]}" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=".build-fuzz/crashes/$target-" "$work" "$seeds" > "$log" 2>&1; then
        echo "fuzz $target: FAILED (see $log and .build-fuzz/crashes/)"; tail -40 "$log"; return 1
    fi
    local execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    local rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
    local cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz $target: ${execs:-?} executions in $(( $(date +%s) - started )) s (${rate:-?}/s), $cov, no crash"
    if [ "$merge" = 1 ]; then
        local merged=".build-fuzz/merged-$target"; rm -rf "$merged"; mkdir -p "$merged"
        ".build-fuzz/$target" -merge=1 -max_len=4096 "$merged" "$seeds" "$work" > ".build-fuzz/$target.merge.log" 2>&1
        rm -rf "$seeds"; mv "$merged" "$seeds"
        echo "fuzz $target: corpus minimized to $(ls "$seeds" | wc -l) inputs in $seeds"
    fi
}

for target in "${targets[@]}"; do build "$target" || { echo "fuzz $target: build failed"; exit 1; }; done
pids=(); names=()
for target in "${targets[@]}"; do
    run "$target" & pids+=($!); names+=("$target")
    if [ ${#pids[@]} -ge "$jobs" ]; then wait "${pids[0]}" || status=1; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
