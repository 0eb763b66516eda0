#!/usr/bin/env bash
# Runs schemathesis against a live Pier's admin API, from the OpenAPI document Pier serves: every response must
# have a documented status code, content type, headers and schema; unauthenticated calls must be refused; no
# undocumented method may be accepted. Pier listens on loopback, on a free port, with its own data directory, and
# is stopped by PID when this ends.
#   Tests/admin/schemathesis.sh [MAX_EXAMPLES]   (default 30 per operation)
# Two checks are left out, on purpose:
#   not_a_server_error: GET …/health answers 503 for a server that is not healthy, as the API documents; an
#     undocumented 5xx (a 500) still fails status_code_conformance.
#   positive_data_acceptance: the API checks what a schema cannot say (the command allowlist, git refs, which
#     fields go together); those refusals are documented 400/403 answers.
set -euo pipefail
cd "$(dirname "$0")/../.."
PIER_BIN=${PIER_BIN:-$PWD/.build/debug/pier}
EXAMPLES=${1:-30}
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
# Only `true` may be run, so generated commands start nothing else; failed attempts are not rate limited here
# (schemathesis sends many on purpose).
env -u DATABASE_URL PIER_ADMIN_API_KEY="$KEY" PIER_DATA_DIR="$WORK/data" HOST=127.0.0.1 PORT="$PORT" PIER_ALLOWED_COMMANDS=true \
    RATE_LIMIT_PER_MINUTE=0 PIER_ADMIN_AUTH_FAILURES=1000000 PIER_REGISTRY_POLL_SECONDS=1 MAX_CONCURRENT_SERVERS=4 "$PIER_BIN" serve >"$WORK/pier.log" 2>&1 &
PIER_PID=$!
trap 'kill "$PIER_PID" 2>/dev/null; wait "$PIER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/health" && break
    sleep 0.1
done
.build-peers/schemathesis/bin/schemathesis run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    -H "Authorization: Bearer $KEY" --checks all --exclude-checks not_a_server_error,positive_data_acceptance \
    --max-examples "$EXAMPLES" --generation-deterministic --no-color
