"""Raw HTTP against a live Pier: bad requests, session lifecycle and SSE resumption."""

import json

import httpx
import pytest

ACCEPT = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
MODERN_META = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
}


def modern_headers(method, name=None):
    h = dict(ACCEPT, **{"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method})
    if name:
        h["Mcp-Name"] = name
    return h


def rpc(method, params=None, id=1):
    return {"jsonrpc": "2.0", "id": id, "method": method, "params": params or {}}


def initialize(client, url, version="2025-11-25"):
    r = client.post(url, headers=ACCEPT, json=rpc("initialize", {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}))
    assert r.status_code == 200
    sid = r.headers["mcp-session-id"]
    h = dict(ACCEPT, **{"Mcp-Session-Id": sid, "MCP-Protocol-Version": version})
    assert client.post(url, headers=h, json={"jsonrpc": "2.0", "method": "notifications/initialized"}).status_code == 202
    return sid, h


@pytest.fixture
def client():
    with httpx.Client(timeout=10) as c:
        yield c


def test_wrong_version_header(pier, client):
    r = client.post(pier.url, headers=dict(ACCEPT, **{"MCP-Protocol-Version": "1999-01-01"}), json=rpc("tools/list"))
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == -32022 and "2026-07-28" in err["data"]["supported"]


def test_header_body_mismatch(pier, client):
    params = {"name": "echo", "arguments": {"text": "x"}, "_meta": MODERN_META}
    r = client.post(pier.url, headers=modern_headers("tools/call", "not_echo"), json=rpc("tools/call", params))
    assert r.status_code == 400 and r.json()["error"]["code"] == -32020
    r = client.post(pier.url, headers=dict(modern_headers("tools/call", "echo"), **{"MCP-Protocol-Version": "2025-11-25"}), json=rpc("tools/call", params))
    assert r.status_code == 400 and r.json()["error"]["code"] == -32020
    r = client.post(pier.url, headers=modern_headers("tools/call", "=?base64?ZWNobw==?="), json=rpc("tools/call", params))
    assert r.status_code == 200 and r.json()["result"]["content"][0]["text"] == "x"


def test_missing_modern_meta(pier, client):
    r = client.post(pier.url, headers=modern_headers("tools/list"), json=rpc("tools/list"))
    assert r.status_code == 400 and r.json()["error"]["code"] == -32602
    r = client.post(pier.url, headers=modern_headers("tools/list"), json=rpc("tools/list", {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}}))
    assert r.status_code == 400 and r.json()["error"]["code"] == -32602


def test_unknown_and_removed_methods(pier, client):
    for method in ["no/such/method", "initialize", "ping", "logging/setLevel"]:
        r = client.post(pier.url, headers=modern_headers(method), json=rpc(method, {"_meta": MODERN_META}, id=7))
        assert r.status_code == 404, method
        body = r.json()
        assert body["error"]["code"] == -32601 and body["id"] == 7
    r = client.post(pier.url, headers=ACCEPT, json=rpc("no/such/method"))
    assert r.json()["error"]["code"] == -32601


def test_malformed_json_and_bad_envelopes(pier, client):
    r = client.post(pier.url, headers=ACCEPT, content=b'{"jsonrpc": "2.0", "id": 1,')
    assert r.status_code == 400 and r.json()["error"]["code"] == -32700
    r = client.post(pier.url, headers=ACCEPT, json={"jsonrpc": "1.0", "id": 1, "method": "ping"})
    assert r.status_code == 400 and r.json()["error"]["code"] == -32600


def test_oversized_body(pier, client):
    r = client.post(pier.url, headers=ACCEPT, content=b"x" * (10 * 1024 * 1024))
    assert r.status_code == 413


def test_bad_origin_and_host(pier, client):
    r = client.post(pier.url, headers=dict(ACCEPT, Origin="https://evil.example"), json=rpc("ping"))
    assert r.status_code == 403
    r = client.post(pier.url, headers=dict(ACCEPT, Origin="http://localhost:3000"), json=rpc("ping"))
    assert r.status_code == 200
    r = client.post(pier.url, headers=dict(ACCEPT, Host="evil.example"), json=rpc("ping"))
    assert r.status_code == 421


def test_get_and_delete_rules(pier, client):
    assert client.get(pier.url, headers={"MCP-Protocol-Version": "2026-07-28", "Accept": "text/event-stream"}).status_code == 405
    assert client.delete(pier.url, headers={"MCP-Protocol-Version": "2026-07-28"}).status_code == 405
    sid, h = initialize(client, pier.url)
    with client.stream("GET", pier.url, headers=dict(h, Accept="text/event-stream")) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["x-accel-buffering"] == "no"
        first = next(r.iter_lines())
        assert first.startswith("id: 0-")
    assert client.delete(pier.url, headers=h).status_code == 204
    r = client.post(pier.url, headers=h, json=rpc("tools/list"))
    assert r.status_code == 404
    assert client.delete(pier.url, headers=h).status_code == 404


def test_a_plain_get_says_what_the_endpoint_is(pier, client):
    """A browser or a bare curl: still 405 with Allow (MCP's rule), and a text saying how to connect."""
    for accept in ("*/*", "text/html,application/xhtml+xml,*/*;q=0.8"):
        r = client.get(pier.url, headers={"Accept": accept})
        assert r.status_code == 405 and "POST" in r.headers["allow"] and r.headers["content-type"].startswith("text/plain")
        assert pier.url in r.text and "/playground" in r.text and "server/discover" in r.text


def test_session_is_never_required(pier, client):
    initialize(client, pier.url)
    r = client.post(pier.url, headers=dict(ACCEPT, **{"MCP-Protocol-Version": "2025-11-25"}), json=rpc("tools/call", {"name": "echo", "arguments": {"text": "no session"}}))
    assert r.status_code == 200 and r.json()["result"]["content"][0]["text"] == "no session"
    assert "mcp-session-id" not in r.headers


def test_sse_events_resume_after_last_event_id(pier, client):
    sid, h = initialize(client, pier.url)
    call = rpc("tools/call", {"name": "test_tool_with_progress", "arguments": {}, "_meta": {"progressToken": "p1"}}, id=9)
    r = client.post(pier.url, headers=h, json=call)
    assert r.headers["content-type"].startswith("text/event-stream")
    ids = [line[4:] for line in r.text.splitlines() if line.startswith("id: ")]
    assert len(ids) == 5 and ids[0].endswith("-0")  # the priming event, three progress notifications, the response
    with client.stream("GET", pier.url, headers=dict(h, **{"Accept": "text/event-stream", "Last-Event-ID": ids[1]})) as replay:
        body = replay.read().decode()
    replayed = [line[4:] for line in body.splitlines() if line.startswith("id: ")]
    assert replayed == ids[2:]
    assert '"id":9' in body


def test_batches_only_under_2025_03_26(pier, client):
    batch = [rpc("tools/call", {"name": "echo", "arguments": {"text": "a"}}, id=1), rpc("tools/list", id=2), {"jsonrpc": "2.0", "method": "notifications/initialized"}]
    r = client.post(pier.url, headers=dict(ACCEPT, **{"MCP-Protocol-Version": "2025-06-18"}), json=batch)
    assert r.status_code == 400
    _, h = initialize(client, pier.url, "2025-03-26")
    r = client.post(pier.url, headers=h, json=batch)
    assert r.status_code == 200
    replies = r.json()
    assert [m["id"] for m in replies] == [1, 2]


def test_server_keeps_serving(pier, client):
    r = client.get(pier.base + "/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_request_state_is_integrity_protected_and_single_use(pier, client):
    meta = dict(MODERN_META, **{"io.modelcontextprotocol/clientCapabilities": {"elicitation": {"form": {}}}})
    call = lambda extra, id: client.post(pier.url, headers=modern_headers("tools/call", "test_input_required_result_multi_round"), json=rpc(
        "tools/call", dict({"name": "test_input_required_result_multi_round", "arguments": {}, "_meta": meta}, **extra), id=id))
    first = call({}, 1).json()["result"]
    assert first["resultType"] == "input_required"
    (key, request), = first["inputRequests"].items()
    assert request["method"] == "elicitation/create" and request["params"]["message"] == "Step 1: What is your name?"
    answer = {key: {"action": "accept", "content": {"name": "Ada"}}}
    second = call({"inputResponses": answer, "requestState": first["requestState"]}, 2).json()["result"]
    assert second["resultType"] == "input_required" and "requestState" in second
    body, mac = second["requestState"].split(".")
    tampered = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + mac
    r = call({"inputResponses": {"step2": {"action": "accept", "content": {"color": "red"}}}, "requestState": tampered}, 3)
    assert r.json()["error"]["code"] == -32602
    good = call({"inputResponses": {"step2": {"action": "accept", "content": {"color": "red"}}}, "requestState": second["requestState"]}, 4).json()
    assert good["result"]["content"][0]["text"] == "name=Ada color=red"
    replay = call({"inputResponses": {"step2": {"action": "accept", "content": {"color": "blue"}}}, "requestState": second["requestState"]}, 5).json()
    assert replay["error"]["code"] == -32602, "a requestState works once"


def slow_stats(client, url):
    r = client.post(url, headers=dict(ACCEPT, Accept="application/json"), json=rpc("tools/call", {"name": "test_slow_operation_stats", "arguments": {}}))
    return r.json()["result"]["structuredContent"]


def wait_for_cancel(client, url, before):
    import time

    for _ in range(50):
        now = slow_stats(client, url)
        if now["cancelled"] > before["cancelled"]:
            return now
        time.sleep(0.1)
    return now


@pytest.mark.parametrize("framing", ["sse", "json"])
def test_a_sessionless_client_vanishing_mid_response_cancels_its_call(pier, client, framing):
    """Without a session nobody could resume the call or cancel it, so leaving ends it."""
    h = dict(ACCEPT, **{"MCP-Protocol-Version": "2025-11-25"})
    before = slow_stats(client, pier.url)
    params = {"name": "test_slow_operation", "arguments": {"seconds": 10}}
    if framing == "sse":
        params["_meta"] = {"progressToken": "p"}
        with client.stream("POST", pier.url, headers=h, json=rpc("tools/call", params, id=7)) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            assert any(line.startswith("data: ") and "notifications/progress" in line for line in stream.iter_lines())
    else:
        with pytest.raises(httpx.ReadTimeout):
            client.post(pier.url, headers=dict(h, Accept="application/json"), json=rpc("tools/call", params, id=7), timeout=0.5)
    now = wait_for_cancel(client, pier.url, before)
    assert now["cancelled"] == before["cancelled"] + 1 and now["completed"] == before["completed"]
    assert client.post(pier.url, headers=h, json=rpc("ping", id=8)).json()["result"] == {}


def sse_events(lines):
    """Parses SSE lines into events ({id, retry, data}) as they arrive."""
    event = {}
    for line in lines:
        if line == "":
            if event:
                yield event
            event = {}
        elif not line.startswith(":"):
            field, _, value = line.partition(":")
            event[field] = value[1:] if value.startswith(" ") else value


def test_a_session_stream_is_primed_survives_its_client_and_resumes(pier, client):
    """2025-11-25: the POST stream starts with a priming event; leaving it does not cancel the call (that is
    notifications/cancelled's job), and GET + Last-Event-ID delivers the rest of the stream, response included."""
    sid, h = initialize(client, pier.url)
    before = slow_stats(client, pier.url)
    params = {"name": "test_slow_operation", "arguments": {"seconds": 1.5}, "_meta": {"progressToken": "p"}}
    with client.stream("POST", pier.url, headers=h, json=rpc("tools/call", params, id=21)) as stream:
        events = sse_events(stream.iter_lines())
        priming = next(events)
        assert priming["data"] == "" and priming["retry"] == "1000" and priming["id"].endswith("-0")
        progress = next(events)
        assert json.loads(progress["data"])["method"] == "notifications/progress"
        last_id = progress["id"]
    resumed = client.get(pier.url, headers=dict(h, **{"Accept": "text/event-stream", "Last-Event-ID": last_id}), timeout=15)
    messages = [json.loads(e["data"]) for e in sse_events(resumed.text.splitlines() + [""]) if e.get("data")]
    assert messages[-1]["id"] == 21 and messages[-1]["result"]["content"][0]["text"] == "Slept 1.5 seconds"
    assert all(m.get("method") == "notifications/progress" for m in messages[:-1])
    now = slow_stats(client, pier.url)
    assert now["completed"] == before["completed"] + 1 and now["cancelled"] == before["cancelled"]
    # Resuming after the response replays nothing more and ends at once.
    again = client.get(pier.url, headers=dict(h, **{"Accept": "text/event-stream", "Last-Event-ID": priming["id"]}), timeout=5)
    assert json.loads([e for e in sse_events(again.text.splitlines() + [""]) if e.get("data")][-1]["data"])["id"] == 21


def test_json_schema_2020_12_keywords_survive_and_are_enforced(pier, client):
    sid, h = initialize(client, pier.url)
    tools, cursor = [], None
    while True:
        r = client.post(pier.url, headers=h, json=rpc("tools/list", {"cursor": cursor} if cursor else {})).json()["result"]
        tools += r["tools"]
        cursor = r.get("nextCursor")
        if not cursor:
            break
    schema = next(t for t in tools if t["name"] == "json_schema_2020_12_tool")["inputSchema"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$defs"]["address"]["$anchor"] == "addressDef" and schema["additionalProperties"] is False
    assert schema["allOf"][0]["anyOf"] and {"if", "then", "else"} <= set(schema)

    def call(arguments):
        return client.post(pier.url, headers=h, json=rpc("tools/call", {"name": "json_schema_2020_12_tool", "arguments": arguments})).json()["result"]

    assert not call({"name": "Ada", "contactMethod": "phone", "phone": "123", "address": {"city": "London"}}).get("isError")
    assert call({"name": "Ada", "contactMethod": "phone", "email": "a@b.c"})["isError"]  # then: phone required
    assert call({"name": "Ada", "email": "a@b.c", "extra": 1})["isError"]  # additionalProperties: false
    assert call({"name": "Ada", "email": "a@b.c", "address": {"city": 5}})["isError"]  # $ref into $defs


def test_concurrent_posts_in_one_session_each_get_their_own_stream(pier, client):
    """server-sse-multiple-streams: three calls at once, each answered on its own SSE response."""
    from concurrent.futures import ThreadPoolExecutor

    sid, h = initialize(client, pier.url)

    def one(i):
        params = {"name": "test_slow_operation", "arguments": {"seconds": 0.3}, "_meta": {"progressToken": f"p{i}"}}
        with httpx.Client(timeout=10) as c:
            r = c.post(pier.url, headers=h, json=rpc("tools/call", params, id=100 + i))
            assert r.headers["content-type"].startswith("text/event-stream")
            messages = [json.loads(line[6:]) for line in r.text.splitlines() if line.startswith("data: ") and line[6:].strip()]
            return messages

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(one, range(3)))
    for i, messages in enumerate(results):
        assert messages[-1]["id"] == 100 + i and "result" in messages[-1]
        assert {m["params"]["progressToken"] for m in messages[:-1]} == {f"p{i}"}
