"""Starts real upstream MCP servers and a Pier gateway in front of them, for the gateway tests.

The upstreams, each started by the test itself on a free loopback port:
  time    mcp-server-time (the PyPI reference server) over stdio
  py2     the official Python SDK 2.x server, stateless, over Streamable HTTP
  py2s    the same SDK, stateful (sessions), over Streamable HTTP
  py1     the Python SDK 1.x server over Streamable HTTP (handshake era only)
  py1sse  the Python SDK 1.x server over the legacy HTTP+SSE transport
  fm      a FastMCP 4 server over Streamable HTTP
  stdio2  the SDK 2.x server over stdio, printing garbage on stdout first
  slowpoke the py2 server again under a 1-second timeout
  swift   the official Swift SDK 0.12 server (handshake era only) over stdio
  many    the SDK 2.x server with 500 more tools (Pier pages them, 50 to a page)
  wedge   the SDK 2.x server over stdio, probed every second (for the SIGSTOP test)
  crashy  a child that exits at once, every time (max_restarts 2: it ends failed)
  pier    Pier itself (its conformance app) over Streamable HTTP, with "prefix": ""
  keyed   the py2 server again, with its own Authorization header (from ${PIER_TEST_UPSTREAM_TOKEN})
and two connectors besides the built-in read-only one: `clock` (time, with get_current_time pinned to Paris as
`paris_time`) and `echoes` (py2 and py1sse, their echo tools only).
"""

import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from pier_launch import ROOT, Pier, free_port, log_file, start_pier, stop_pier

PEERS = ROOT / ".build-peers"
SERVER = ROOT / "Tests" / "interop" / "upstreams" / "upstream_server.py"
MODERN = "2026-07-28"


@dataclass
class Gateway:
    pier: Pier
    upstreams: list[subprocess.Popen] = field(default_factory=list)
    ports: dict[str, int] = field(default_factory=dict)
    config_path: str = ""
    upstream_pier: Pier | None = None


def wait_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = getattr(process, "log_path", None)
            raise RuntimeError(f"upstream on port {port} exited: {Path(log).read_text(errors='replace')[-2000:] if log else process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"upstream on port {port} did not listen")


def spawn(venv: str, name: str, transport: str, port: int, *extra: str) -> subprocess.Popen:
    python = str(PEERS / venv / "bin" / "python")
    log = log_file(f"upstream-{name}-")
    process = subprocess.Popen(
        [python, str(SERVER), name, transport, str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    log.close()
    process.log_path = log.name
    return process


def modern_call(url: str, method: str, params: dict | None = None, headers: dict | None = None) -> dict:
    params = dict(params or {})
    params["_meta"] = {"io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {}}
    extra = headers
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": MODERN,
        "Mcp-Method": method,
    }
    target = params.get("name") or params.get("uri")
    if target:
        headers["Mcp-Name"] = target
    request = urllib.request.Request(url, data=body, headers=dict(headers, **(extra or {})))
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.loads(r.read())


def tool_names(url: str) -> list[str]:
    names, cursor = [], None
    while True:
        result = modern_call(url, "tools/list", {"cursor": cursor} if cursor else {})["result"]
        names += [t["name"] for t in result["tools"]]
        cursor = result.get("nextCursor")
        if not cursor:
            return names


def wait_for_tools(url: str, expected: list[str], timeout: float = 60) -> list[str]:
    deadline = time.monotonic() + timeout
    names: list[str] = []
    while time.monotonic() < deadline:
        names = tool_names(url)
        if all(e in names for e in expected):
            return names
        time.sleep(0.2)
    raise AssertionError(f"missing tools after {timeout} s: {sorted(set(expected) - set(names))}")


# What `whoami` answers on each upstream the tests call it on.
WHO = {
    "py2": "py2 (mcp2)",
    "py2s": "py2s (mcp2)",
    "py1": "py1 (mcp1)",
    "py1sse": "py1sse (mcp1)",
    "fm": "fm (fastmcp)",
    "stdio2": "stdio2 (mcp2)",
    "swift": "swift (swift-sdk)",
}

UPSTREAM_PROBES = {
    "time": "time__get_current_time",
    "py2": "py2__whoami",
    "py2s": "py2s__whoami",
    "py1": "py1__whoami",
    "py1sse": "py1sse__whoami",
    "fm": "fm__whoami",
    "stdio2": "stdio2__whoami",
    "slowpoke": "slowpoke__slow",
    "swift": "swift__whoami",
    "many": "many__generated_499",
    "wedge": "wedge__whoami",
    "pier": "test_simple_text",
    "keyed": "keyed__seen_authorization",
}


def start_gateway(extra_servers: dict | None = None) -> Gateway:
    ports = {name: free_port() for name in ["py2", "py2s", "py1", "py1sse", "fm", "many"]}
    processes = [
        spawn("mcp2", "py2", "streamable-http", ports["py2"], "--stateless"),
        spawn("mcp2", "py2s", "streamable-http", ports["py2s"]),
        spawn("mcp1", "py1", "streamable-http", ports["py1"]),
        spawn("mcp1", "py1sse", "sse", ports["py1sse"]),
        spawn("fastmcp", "fm", "fastmcp-http", ports["fm"]),
        spawn("mcp2", "many", "streamable-http", ports["many"], "--stateless", "--tools", "500"),
    ]
    upstream_pier = None
    try:
        for process, port in zip(processes, ports.values()):
            wait_port(port, process)
        # Pier itself as an upstream, its conformance app under its own names.
        upstream_pier = start_pier(["conformance"])
        servers = {
            "time": {"command": str(PEERS / "upstreams" / "bin" / "mcp-server-time"), "args": ["--local-timezone", "UTC"]},
            "py2": {"url": f"http://127.0.0.1:{ports['py2']}/mcp"},
            "py2s": {"url": f"http://127.0.0.1:{ports['py2s']}/mcp", "type": "http"},
            "py1": {"url": f"http://127.0.0.1:{ports['py1']}/mcp"},
            "py1sse": {"url": f"http://127.0.0.1:{ports['py1sse']}/sse", "type": "sse"},
            "fm": {"url": f"http://127.0.0.1:{ports['fm']}/mcp", "type": "streamable-http"},
            "stdio2": {"command": str(PEERS / "mcp2" / "bin" / "python"), "args": [str(SERVER), "stdio2", "stdio", "--garbage"]},
            "slowpoke": {"url": f"http://127.0.0.1:{ports['py2']}/mcp", "timeout_seconds": 1, "tools": {"include": ["slow"]}},
            "many": {"url": f"http://127.0.0.1:{ports['many']}/mcp"},
            "keyed": {"url": f"http://127.0.0.1:{ports['py2']}/mcp", "headers": {"Authorization": "Bearer ${PIER_TEST_UPSTREAM_TOKEN}"},
                      "tools": {"include": ["seen_authorization"]}},
            "pier": {"url": upstream_pier.url, "prefix": ""},
            "wedge": {"command": str(PEERS / "mcp2" / "bin" / "python"), "args": [str(SERVER), "wedge", "stdio"], "probe_seconds": 1},
            "crashy": {"command": str(PEERS / "mcp2" / "bin" / "python"), "max_restarts": 2,
                       "args": ["-c", "import sys; sys.stderr.write('boom: no API key\\n'); sys.exit(3)"]},
            "swift": {"command": os.environ.get("SWIFT_SDK_UPSTREAM", str(ROOT / ".build" / "debug" / "SwiftSDKUpstream"))},
        }
        servers.update(extra_servers or {})
        config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        connectors = {
            "clock": {"servers": ["time"], "title": "Clock", "instructions": "Tells the time in Paris.",
                      "overlays": {"time__get_current_time": {"name": "paris_time", "description": "The time in Paris.",
                                                              "fixed": {"timezone": "Europe/Paris"}}}},
            "echoes": {"servers": ["py2", "py1sse"], "tools": {"include": ["*__echo"]}},
        }
        json.dump({"mcpServers": servers, "connectors": connectors}, config)
        config.close()
        pier = start_pier(["demo"], {"PIER_PAGE_SIZE": "50", "PIER_TEST_UPSTREAM_TOKEN": "upstream-token"}, config=config.name)
        gateway = Gateway(pier=pier, upstreams=processes, ports=ports, config_path=config.name, upstream_pier=upstream_pier)
        wait_for_tools(pier.url, [UPSTREAM_PROBES[n] for n in servers if n in UPSTREAM_PROBES])
        return gateway
    except BaseException:
        for process in processes:
            process.kill()
        if upstream_pier:
            stop_pier(upstream_pier)
        raise


def health(base: str) -> dict:
    with urllib.request.urlopen(base + "/health", timeout=5) as r:
        return json.loads(r.read())


def processes():
    """(pid, state, parent pid, process group) of every process, from /proc."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            yield int(entry.name), fields[0], int(fields[1]), int(fields[2])


def children_of(pid: int) -> list[int]:
    """Process ids whose parent is `pid`."""
    return [child for child, _, parent, _ in processes() if parent == pid]


def process_group_members(pgid: int) -> list[int]:
    """Live (not zombie) members of process group `pgid`."""
    return [member for member, state, _, group in processes() if group == pgid and state != "Z"]


def stop_gateway(gateway: Gateway) -> None:
    """Stops Pier, then checks that none of its stdio upstreams' process groups outlived it."""
    groups = children_of(gateway.pier.process.pid)
    try:
        stop_pier(gateway.pier)
        left = {pgid: process_group_members(pgid) for pgid in groups}
        assert all(not members for members in left.values()), f"child processes outlived pier: {left}"
    finally:
        for process in gateway.upstreams:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)
        if gateway.upstream_pier:
            stop_pier(gateway.upstream_pier)
        os.unlink(gateway.config_path)
