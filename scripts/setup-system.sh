#!/usr/bin/env bash
# Debian packages Pier's build and tests need: SQLite and zlib headers (GRDB links the system SQLite, asset
# compression the system zlib), PostgreSQL (the store tests run against a real server) and Chromium (the
# playground and widget tests run in it, headless), nginx and wrk (the cluster and reliability tests). Installs only
# what is missing.
set -euo pipefail
need=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The cluster test puts two Pier instances behind nginx; the reliability script loads them with wrk.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
    echo "setup-system: installing ${need[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
