"""/metrics: Prometheus text that prometheus_client parses, whose figures move with the load — requests by method,
route and status; MCP requests and tool calls by tool, server and outcome with durations; upstreams up and their
restarts; sessions and open streams; store latency; auth outcomes. Label sets stay bounded (no ids, no subjects)."""

import json
import tempfile
import threading
import time

import anyio
import httpx2 as httpx
import pytest
from mcp import Client
from metrics import scrape, total, value
from pier_launch import start_pier, stop_pier

from gateway_launch import PEERS

MODERN = {"MCP-Protocol-Version": "2026-07-28", "Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}


@pytest.fixture(scope="module")
def pier():
    config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump({"mcpServers": {"time": {"command": str(PEERS / "upstreams" / "bin" / "mcp-server-time"), "args": ["--local-timezone", "UTC"]}}}, config)
    config.close()
    p = start_pier(["demo", "conformance"], config=config.name)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and value(scrape(p.base), "pier_upstream_up", server="time") != 1:
            time.sleep(0.2)
        yield p
    finally:
        stop_pier(p)


async def calls(url: str, n: int, tool: str = "echo", args: dict | None = None):
    async with Client(url, mode="2026-07-28") as client:
        for _ in range(n):
            await client.call_tool(tool, args if args is not None else {"text": "x"})


def test_figures_move_with_the_load(pier):
    before = scrape(pier.base)
    anyio.run(calls, pier.url, 25)
    anyio.run(calls, pier.url, 3, "test_error_handling", {})
    anyio.run(calls, pier.url, 2, "time__get_current_time", {"timezone": "UTC"})
    after = scrape(pier.base)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("pier_tool_calls_total", tool="echo", server="demo", outcome="ok") == 25
    assert moved("pier_tool_call_duration_seconds_count", tool="echo", server="demo") == 25
    assert moved("pier_tool_calls_total", tool="test_error_handling", server="conformance", outcome="error") == 3
    assert moved("pier_tool_calls_total", tool="time__get_current_time", server="time", outcome="ok") == 2
    assert moved("pier_mcp_requests_total", endpoint="main", method="tools/call", outcome="ok") == 30
    assert moved("pier_mcp_request_duration_seconds_count", endpoint="main", method="tools/call") == 30
    # Each call is one POST answered 200; the histogram's buckets are cumulative, +Inf holds them all.
    assert value(after, "pier_http_requests_total", method="POST", route="/mcp", status="200") - value(before, "pier_http_requests_total", method="POST", route="/mcp", status="200") >= 30
    inf = value(after, "pier_http_request_duration_seconds_bucket", method="POST", route="/mcp", le="+Inf")
    assert inf == value(after, "pier_http_request_duration_seconds_count", method="POST", route="/mcp") and inf >= 30
    assert value(after, "pier_upstream_up", server="time") == 1
    assert value(after, "pier_upstream_tools", server="time") == 2
    assert ("pier_upstream_restarts_total", (("server", "time"),)) in after
    assert total(after, "pier_store_operation_duration_seconds_count", backend="sqlite") > 0


def test_unknown_methods_and_paths_stay_bounded(pier):
    """Made-up method names and paths land in `other` and `unmatched`: a client cannot grow the label sets."""
    with httpx.Client(timeout=10) as client:
        for i in range(5):
            body = {"jsonrpc": "2.0", "id": i, "method": f"made/up{i}", "params": {"_meta": META}}
            client.post(pier.url, headers=dict(MODERN, **{"Mcp-Method": f"made/up{i}"}), json=body)
            client.get(pier.base + f"/no/such/path/{i}")
    samples = scrape(pier.base)
    methods = {dict(ls).get("method") for (n, ls) in samples if n == "pier_mcp_requests_total"}
    routes = {dict(ls).get("route") for (n, ls) in samples if n == "pier_http_requests_total"}
    assert not any(m and m.startswith("made/") for m in methods), methods
    assert total(samples, "pier_http_requests_total", method="POST", route="/mcp") >= 5
    assert not any(r and r.startswith("/no/") for r in routes), routes
    assert value(samples, "pier_http_requests_total", method="GET", route="unmatched", status="404") >= 5


def test_open_streams_and_sessions(pier):
    """A subscriptions/listen stream counts as open while it is, and a legacy session counts until it ends."""
    opened = threading.Event()
    done = threading.Event()

    def listen():
        body = {"jsonrpc": "2.0", "id": "l1", "method": "subscriptions/listen", "params": {"_meta": META, "notifications": {"toolsListChanged": True}}}
        with httpx.Client(timeout=30) as client:
            with client.stream("POST", pier.url, headers=dict(MODERN, **{"Mcp-Method": "subscriptions/listen"}), json=body) as r:
                assert r.status_code == 200
                opened.set()
                done.wait(20)

    thread = threading.Thread(target=listen)
    thread.start()
    assert opened.wait(10)
    time.sleep(0.3)
    during = scrape(pier.base)
    done.set()
    thread.join()
    assert value(during, "pier_open_streams", endpoint="main", kind="listen") >= 1
    deadline = time.monotonic() + 10
    while value(scrape(pier.base), "pier_open_streams", endpoint="main", kind="listen") != 0:
        assert time.monotonic() < deadline, "the stream still counts as open after the client left"
        time.sleep(0.2)

    with httpx.Client(timeout=10) as client:
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "m", "version": "1"}}}
        r = client.post(pier.url, headers={"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}, json=init)
        sid = r.headers["mcp-session-id"]
        assert value(scrape(pier.base), "pier_sessions", endpoint="main") >= 1
        client.delete(pier.url, headers={"Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25"})
    assert value(scrape(pier.base), "pier_sessions", endpoint="main") == 0


def test_auth_outcomes_are_counted():
    p = start_pier(["demo"], {"PIER_AUTH": "oauth", "DATABASE_URL": ""})
    try:
        with httpx.Client(timeout=10) as client:
            body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": META}}
            for _ in range(3):
                assert client.post(p.url, headers=dict(MODERN, **{"Mcp-Method": "tools/list"}), json=body).status_code == 401
            r = client.post(p.url, headers=dict(MODERN, **{"Mcp-Method": "tools/list", "Authorization": "Bearer nope"}), json=body)
            assert r.status_code == 401
        samples = scrape(p.base)
        assert value(samples, "pier_auth_checks_total", endpoint="main", outcome="missing_token") == 3
        assert value(samples, "pier_auth_checks_total", endpoint="main", outcome="invalid_token") == 1
    finally:
        stop_pier(p)
