"""The session cap (`PIER_MAX_SESSIONS`): past it the least recently used session without an open stream ends
(its id then gets 404), and when every session has its GET stream open, `initialize` gets 503 with Retry-After."""

import httpx

from conftest import start_pier, stop_pier
from test_failover import LEGACY, open_session, rpc


def test_the_cap_ends_idle_sessions_first_then_refuses_with_retry_after():
    pier = start_pier(["demo"], {"PIER_MAX_SESSIONS": "2", "DATABASE_URL": ""})
    try:
        with httpx.Client(timeout=10) as client:
            first = open_session(client, pier.url, {})
            second = open_session(client, pier.url, {})
            stream_headers = {"Accept": "text/event-stream", "Mcp-Session-Id": first, "MCP-Protocol-Version": LEGACY}
            with client.stream("GET", pier.url, headers=stream_headers) as held:
                assert held.status_code == 200
                # A third session: the second (idle) one makes room, the first (its stream open) stays.
                third = open_session(client, pier.url, {})
                assert rpc(client, pier.url, "ping", {}, session=second).status_code == 404
                assert rpc(client, pier.url, "ping", {}, session=first).status_code == 200
                with client.stream("GET", pier.url, headers=dict(stream_headers, **{"Mcp-Session-Id": third})) as also:
                    assert also.status_code == 200
                    # Both have a stream open: no room, and nothing is ended for it.
                    r = rpc(client, pier.url, "initialize", {"protocolVersion": LEGACY, "capabilities": {}, "clientInfo": {"name": "x", "version": "1"}})
                    assert r.status_code == 503 and r.headers["retry-after"] == "5"
                    assert r.json()["error"]["code"] == -32600 and "mcp-session-id" not in r.headers
                    assert rpc(client, pier.url, "ping", {}, session=first).status_code == 200
                    assert rpc(client, pier.url, "ping", {}, session=third).status_code == 200
    finally:
        stop_pier(pier)
