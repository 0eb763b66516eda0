"""State every instance shares, tested instance against instance (no nginx in the way): a legacy session opened on
one is served by the other with its log level and subscriptions, a session ended on one ends on the other, and a
`requestState` is single-use across both."""

import time

import httpx

from test_failover import HEADERS, LEGACY, body, open_session, rpc

MODERN_META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
               "io.modelcontextprotocol/clientCapabilities": {"elicitation": {"form": {}}}}


def modern_call(client: httpx.Client, url: str, tool: str, **extra) -> dict:
    headers = dict(HEADERS, **{"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": tool})
    params = dict({"name": tool, "arguments": {}, "_meta": MODERN_META}, **extra)
    return client.post(url, headers=headers, json={"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}).json()


def test_a_session_opened_on_one_instance_is_served_by_the_other(cluster):
    a, b = cluster.piers
    with httpx.Client(timeout=30) as client:
        sid = open_session(client, a.url, {"sampling": {}})
        assert "result" in body(rpc(client, a.url, "logging/setLevel", {"level": "debug"}, session=sid))
        assert "result" in body(rpc(client, a.url, "resources/subscribe", {"uri": "pier://demo/counter"}, session=sid))
        r = rpc(client, b.url, "tools/call", {"name": "echo", "arguments": {"text": "on b"}}, session=sid)
        assert r.status_code == 200 and r.headers["mcp-session-id"] == sid
        # The log level chosen on A makes B answer as a stream (notifications may come). (That the subscription
        # is taken up too is checked in SharedSessionTests.)
        assert r.headers["content-type"].startswith("text/event-stream")
        assert body(r)["result"]["content"][0]["text"] == "on b"
        # The GET stream of the session opens on B too.
        with client.stream("GET", b.url, headers={"Accept": "text/event-stream", "Mcp-Session-Id": sid, "MCP-Protocol-Version": LEGACY}) as stream:
            assert stream.status_code == 200


def test_a_session_ended_on_one_instance_ends_on_the_other(cluster):
    a, b = cluster.piers
    with httpx.Client(timeout=30) as client:
        sid = open_session(client, a.url, {})
        assert rpc(client, b.url, "ping", {}, session=sid).status_code == 200
        assert client.delete(a.url, headers={"Mcp-Session-Id": sid, "MCP-Protocol-Version": LEGACY}).status_code == 204
        # B learns of it when it next marks the session used (every 5 s).
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline:
            r = rpc(client, b.url, "ping", {}, session=sid)
            if r.status_code == 404:
                break
            time.sleep(0.5)
        assert r.status_code == 404, r.text
        assert client.delete(b.url, headers={"Mcp-Session-Id": sid, "MCP-Protocol-Version": LEGACY}).status_code == 404


def test_request_state_is_single_use_across_instances(cluster):
    a, b = cluster.piers
    tool = "test_input_required_result_request_state"
    answer = {"confirm": {"action": "accept", "content": {"ok": True}}}
    with httpx.Client(timeout=30) as client:
        first = modern_call(client, a.url, tool)["result"]
        assert first["resultType"] == "input_required"
        used = modern_call(client, b.url, tool, inputResponses=answer, requestState=first["requestState"])
        assert "state-ok" in used["result"]["content"][0]["text"], used
        for url in (a.url, b.url):
            replayed = modern_call(client, url, tool, inputResponses=answer, requestState=first["requestState"])
            assert replayed["error"]["code"] == -32602 and "already used" in replayed["error"]["message"], replayed
