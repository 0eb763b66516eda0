"""Pier's resident memory as a gateway: with no upstream, with the test suite's six kinds of upstream (eight
entries), and with 50 handshake-era sessions open to one SDK 1.x Streamable HTTP server (50 entries naming it), from
which the memory per open upstream session follows.

usage: PIER_BIN=... python3 Benchmarks/gateway_rss.py      (run with the mcp2 venv's python; see gateway.sh)
"""

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "support"))
from gateway_launch import start_gateway, stop_gateway, wait_for_tools  # noqa: E402
from pier_launch import start_pier, stop_pier  # noqa: E402


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def settle(pid: int) -> int:
    time.sleep(2)
    return rss_kib(pid)


alone = start_pier(["demo"])
try:
    base = settle(alone.process.pid)
finally:
    stop_pier(alone)

gateway = start_gateway()
try:
    six = settle(gateway.pier.process.pid)
    upstream_url = f"http://127.0.0.1:{gateway.ports['py1']}/mcp"
finally:
    pass

try:
    config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump({"mcpServers": {f"s{i:02d}": {"url": upstream_url, "type": "http"} for i in range(50)}}, config)
    config.close()
    many = start_pier(["demo"], config=config.name)
    try:
        wait_for_tools(many.url, [f"s{i:02d}__echo" for i in range(50)], timeout=120)
        fifty = settle(many.pid if hasattr(many, "pid") else many.process.pid)
    finally:
        stop_pier(many)
finally:
    stop_gateway(gateway)

print(f"rss summary: pier alone {base / 1024:.1f} MiB; with the six kinds of upstream (8 entries) {six / 1024:.1f} MiB "
      f"(+{(six - base) / 1024:.1f} MiB); with 50 handshake sessions (Mcp-Session-Id) to one SDK 1.x server {fifty / 1024:.1f} MiB "
      f"(+{(fifty - base) / 50:.0f} KiB per upstream session)")
