#!/usr/bin/env bash
# The Swift test suite under ThreadSanitizer and under AddressSanitizer, each in a build directory of its own
# (.build-tsan, .build-asan: a full rebuild of Pier and its dependencies, about 4 to 5 minutes each on 2 cores).
# scripts/test.sh runs both.
# usage: bash scripts/sanitizers.sh [thread|address ...]      (default: both)
#        extra arguments after -- go to `swift test` (say -- --filter SessionStore)
# The store suite needs PIER_TEST_DATABASE_URL as in scripts/test.sh, or PIER_SKIP_POSTGRES=1.
# The thread build is made with PIER_WITHOUT_OTEL=1 (see Package.swift): swift-otel 1.6.0 does not compile under
# --sanitize=thread, and only OTLP tracing needs it (no Swift test does).
# ThreadSanitizer on Linux (Swift 6.3.1) does not see Synchronization.Mutex's futex-based lock and reports every
# Mutex-guarded access from two threads as a race. Pier's own shared state is behind PierSync.Locked (a pthread mutex,
# which TSan intercepts); swift-subprocess's Mutex-guarded state is covered by scripts/tsan-suppressions.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
kinds=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do kinds+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ ${#kinds[@]} -gt 0 ] || kinds=(thread address)
status=0
for kind in "${kinds[@]}"; do
    case "$kind" in
        thread) dir=.build-tsan; export PIER_WITHOUT_OTEL=1 ;;
        address) dir=.build-asan; unset PIER_WITHOUT_OTEL ;;
        *) echo "unknown sanitizer $kind" >&2; exit 2 ;;
    esac
    echo "== swift test under the $kind sanitizer ($dir)"
    started=$SECONDS
    if ! swift build --build-tests --sanitize="$kind" --build-path "$dir"; then
        echo "build with --sanitize=$kind failed"; status=1; continue
    fi
    echo "built with --sanitize=$kind in $((SECONDS - started)) s"
    # ThreadSanitizer goes on after a report and fails the run at exit (exit code 66), so the tests still stop
    # the servers they started. AddressSanitizer stops at its first report: the test process dies, and the
    # `pier` processes it had started would hold swift test's output open. So the run has a process group of its
    # own (setsid; timeout keeps it), a deadline, and whatever is left in that group afterwards is killed.
    TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 suppressions=$PWD/scripts/tsan-suppressions.txt" ASAN_OPTIONS="halt_on_error=1 detect_leaks=0" \
        setsid timeout 900 swift test --skip-build --sanitize="$kind" --build-path "$dir" "$@" &
    group=$!
    wait "$group" || { echo "tests under $kind failed"; status=1; }
    kill -KILL -- "-$group" 2>/dev/null || true
done
exit $status
