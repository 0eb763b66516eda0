#!/usr/bin/env bash
# Installs the third-party peers the interop tests drive, each in its own virtualenv under .build-peers/:
#   mcp2: the official Python MCP SDK 2.x (2026-07-28 client), mcp1: the SDK 1.x (handshake-era client),
#   fastmcp: the FastMCP 4 client, browser: Playwright (driving the system Chromium), upstreams: third-party
#   upstream servers the gateway tests put behind Pier (mcp-server-time), schemathesis: the admin API checked
#   against its OpenAPI document.
# Idempotent: a virtualenv is rebuilt only when its requirements file changes.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=.build-peers
mkdir -p "$PEERS"
PYTHON=${PYTHON:-python3}

make_venv() {
    local name=$1 requirements=$2
    local stamp="$PEERS/$name/.requirements"
    if [ -x "$PEERS/$name/bin/python" ] && cmp -s "$requirements" "$stamp"; then
        return
    fi
    echo "setup-peers: installing $name from $requirements" >&2
    rm -rf "${PEERS:?}/$name"
    "$PYTHON" -m venv "$PEERS/$name"
    "$PEERS/$name/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
}

make_venv mcp2 Tests/interop/requirements-modern.txt
make_venv mcp1 Tests/interop/requirements-legacy.txt
make_venv fastmcp Tests/interop/requirements-fastmcp.txt
make_venv browser Tests/browser/requirements.txt
make_venv upstreams Tests/interop/requirements-upstreams.txt
make_venv schemathesis Tests/admin/requirements-schemathesis.txt
