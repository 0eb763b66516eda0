"""Graceful shutdown on SIGTERM against a live Pier: calls in flight answer, long-lived SSE streams (the
2024-11-05 stream, a session's GET stream, subscriptions/listen) end cleanly, new connections are refused, stdio
upstream children stop and the process exits 0; past PIER_SHUTDOWN_GRACE_SECONDS what still runs is cancelled;
a second signal stops Pier at once."""

import json
import os
import signal
import socket
import threading
import time

import httpx2
import pytest
from pier_launch import ROOT, start_pier

JSON = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
MODERN = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
PEERS = ROOT / ".build-peers"


def slow_call(url: str, seconds: float, out: dict):
    """A 2026-07-28 tools/call of slow_compute, run in a thread; its status and body land in `out`."""
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "slow_compute", "arguments": {"seconds": seconds}, "_meta": MODERN}}
    headers = dict(JSON, **{"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "slow_compute"})
    try:
        r = httpx2.post(url, headers=headers, json=body, timeout=60)
        out["status"], out["body"] = r.status_code, r.text
    except Exception as e:  # noqa: BLE001 - the test reads what happened
        out["error"] = repr(e)
    out["at"] = time.monotonic()


def read_stream(url: str, headers: dict, out: dict, method: str = "GET", body: dict | None = None):
    """Reads an SSE response to its end in a thread; `out["ended"]` is when it ended and how."""
    try:
        with httpx2.stream(method, url, headers=headers, json=body, timeout=httpx2.Timeout(60, read=60)) as r:
            out["status"] = r.status_code
            out["events"] = [line for line in r.iter_lines() if line.startswith("data:")]
        out["ended"] = "clean"
    except Exception as e:  # noqa: BLE001
        out["ended"] = repr(e)
    out["at"] = time.monotonic()


def open_session(url: str) -> str:
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
    r = httpx2.post(url, headers=JSON, json=init)
    sid = r.headers["mcp-session-id"]
    httpx2.post(url, headers=dict(JSON, **{"Mcp-Session-Id": sid}), json={"jsonrpc": "2.0", "method": "notifications/initialized"})
    return sid


def wait_exit(process, timeout: float) -> float:
    start = time.monotonic()
    process.wait(timeout=timeout)
    return time.monotonic() - start


def started(threads):
    for t in threads:
        t.daemon = True
        t.start()


def test_sigterm_lets_calls_finish_and_ends_streams(tmp_path):
    config = tmp_path / "pier.json"
    config.write_text(json.dumps({"mcpServers": {"time": {"command": str(PEERS / "upstreams" / "bin" / "mcp-server-time"), "args": ["--local-timezone", "UTC"]}}}))
    pier = start_pier(["demo", "conformance"], {"PIER_SHUTDOWN_GRACE_SECONDS": "20"}, config=str(config))
    try:
        # The stdio child is up once its tool is listed.
        deadline = time.monotonic() + 30
        while "time__get_current_time" not in httpx2.get(pier.base + "/health").text and time.monotonic() < deadline:
            time.sleep(0.2)
        children = [int(p) for p in os.popen(f"pgrep -P {pier.process.pid}").read().split()]
        assert children, "the stdio upstream did not start"
        call, legacy, session_get, listen = {}, {}, {}, {}
        sid = open_session(pier.url)
        threads = [
            threading.Thread(target=slow_call, args=(pier.url, 2.0, call)),
            threading.Thread(target=read_stream, args=(pier.url, {"Accept": "text/event-stream"}, legacy)),
            threading.Thread(target=read_stream, args=(pier.url, {"Accept": "text/event-stream", "Mcp-Session-Id": sid}, session_get)),
            threading.Thread(
                target=read_stream,
                args=(pier.url, dict(JSON, **{"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "subscriptions/listen"}), listen, "POST",
                      {"jsonrpc": "2.0", "id": 9, "method": "subscriptions/listen", "params": {"notifications": {"toolsListChanged": True}, "_meta": MODERN}}),
            ),
        ]
        started(threads)
        time.sleep(0.7)
        signalled = time.monotonic()
        pier.process.send_signal(signal.SIGTERM)
        # The streams end at once, cleanly, while the call is still running.
        for t in threads[1:]:
            t.join(timeout=5)
        for name, stream in (("legacy", legacy), ("session GET", session_get), ("listen", listen)):
            assert stream.get("ended") == "clean", (name, stream)
            assert stream["at"] - signalled < 3, (name, stream["at"] - signalled)
        # subscriptions/listen ends with its result, as the 2026-07-28 spec has it.
        assert any('"id":9' in e and '"result"' in e for e in listen["events"]), listen["events"]
        # New connections are refused while the call finishes.
        time.sleep(0.3)
        port = int(pier.base.rsplit(":", 1)[1])
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        threads[0].join(timeout=10)
        assert call.get("status") == 200, call
        assert "Computed result in 2" in call["body"]
        assert wait_exit(pier.process, 15) < 15
        assert pier.process.returncode == 0, pier.log()[-2000:]
        # No child outlives Pier.
        time.sleep(0.2)
        for child in children:
            assert not os.path.exists(f"/proc/{child}") or open(f"/proc/{child}/stat").read().split()[2] == "Z", f"child {child} still runs"
    finally:
        if pier.process.poll() is None:
            pier.process.kill()


def pier_in_a_long_call(grace: str):
    """A Pier with the given grace period, a 30-second call running on it (in a thread), and SIGTERM sent."""
    pier = start_pier(["conformance"], {"PIER_SHUTDOWN_GRACE_SECONDS": grace})
    call = {}
    thread = threading.Thread(target=slow_call, args=(pier.url, 30.0, call))
    started([thread])
    time.sleep(0.5)
    pier.process.send_signal(signal.SIGTERM)
    return pier, call, thread


def test_calls_past_the_grace_period_are_cancelled():
    pier, call, thread = pier_in_a_long_call("1")
    try:
        took = wait_exit(pier.process, 15)
        assert took < 6, took
        thread.join(timeout=5)
        assert call.get("status") != 200 or "Computed" not in call.get("body", ""), call
    finally:
        if pier.process.poll() is None:
            pier.process.kill()


def test_a_second_signal_stops_at_once():
    pier, call, thread = pier_in_a_long_call("60")
    try:
        time.sleep(0.5)
        assert pier.process.poll() is None, "the first signal waits for the call"
        pier.process.send_signal(signal.SIGINT)
        assert wait_exit(pier.process, 10) < 5
        assert "second signal" in pier.log()
    finally:
        if pier.process.poll() is None:
            pier.process.kill()
