"""The bad-input corpus: malformed and truncated JSON, wrong types, deep nesting, huge strings and numbers, invalid
UTF-8, wrong and duplicate headers and every version mismatch, each sent raw to a live Pier. Each gets a clear
JSON-RPC error (or the HTTP status the transport gives it) and Pier keeps serving the next request."""

import json
import socket
from urllib.parse import urlparse

import httpx
import pytest

JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
MODERN_META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
VALID = json.dumps({"jsonrpc": "2.0", "id": 7, "method": "tools/list", "params": {}}).encode()
CALL = json.dumps({"jsonrpc": "2.0", "id": 8, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "hi"}}}).encode()

# Bodies that are not JSON at all, or stop part-way.
MALFORMED = [
    b"{",
    b"}",
    b"nul",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": }",
    b"{\"jsonrpc\": \"2.0\",, \"id\": 1}",
    b"{\"a\": 1} trailing",
    b"{'jsonrpc': '2.0'}",
    b"{\"s\": \"\\ud800\"}",
    b"{\"s\": \"\\x41\"}",
    b"{\"s\": \"tab\there\"}",
    b"[1, 2",
    b"01",
    b"-",
    b"1e",
    b"\xef\xbb\xbf",
    b"",
] + [VALID[:n] for n in range(1, len(VALID), 7)]

# JSON that is not a JSON-RPC message Pier can serve.
WRONG_TYPES = [
    b"42",
    b"\"tools/list\"",
    b"null",
    b"{}",
    b"{\"jsonrpc\": \"1.0\", \"id\": 1, \"method\": \"tools/list\"}",
    b"{\"jsonrpc\": 2, \"id\": 1, \"method\": \"tools/list\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": 5}",
    b"{\"jsonrpc\": \"2.0\", \"id\": {\"a\": 1}, \"method\": \"tools/list\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": [1], \"method\": \"tools/list\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": true, \"method\": \"tools/list\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\", \"params\": [1, 2]}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\", \"params\": \"x\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\": 5}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\": \"echo\", \"arguments\": [1]}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\": \"echo\", \"arguments\": {\"text\": 5}}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"resources/read\", \"params\": {\"uri\": null}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": {}, \"error\": {\"code\": 1, \"message\": \"x\"}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"error\": {\"code\": \"x\"}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"no/such/method\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"\"}",
    b"[]",
    b"[1, 2, 3]",
]

# Sizes at and past what a parser meets every day.
HUGE = [
    b"[" * 100_000 + b"]" * 100_000,
    b"{\"a\":" * 50_000 + b"1" + b"}" * 50_000,
    b"[" * 3_000_000,
    b"{\"jsonrpc\": \"2.0\", \"id\": 1e999999, \"method\": \"tools/list\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 123456789012345678901234567890123456789, \"method\": \"tools/list\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": -0.0000000000000000000000000001, \"method\": \"tools/list\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\": \"echo\", \"arguments\": {\"text\": \""
    + b"x" * 900_000
    + b"\"}}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"" + b"m" * 200_000 + b"\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": \"" + b"i" * 200_000 + b"\", \"method\": \"tools/list\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\", \"params\": {" + b",".join(b"\"k%d\": %d" % (i, i) for i in range(60_000)) + b"}}",
]

# Bytes that are not UTF-8, inside and outside strings.
INVALID_UTF8 = [
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/\xff\"}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\": \"echo\", \"arguments\": {\"text\": \"\xc3\x28\"}}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\": \"echo\", \"arguments\": {\"text\": \"\xed\xa0\x80\"}}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\": \"echo\", \"arguments\": {\"text\": \"\xf8\x88\x80\x80\x80\"}}}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\": \"echo\", \"arguments\": {\"text\": \"\xe2\x82\"}}}",
    b"\xfe\xff{}",
    b"{\"jsonrpc\": \"2.0\", \"id\": 1, \xc0\xaf\"method\": \"tools/list\"}",
]


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=30) as c:
        yield c


def assert_still_serving(client, url):
    r = client.post(url, headers=JSON_HEADERS, content=CALL)
    assert r.status_code == 200, r.text
    assert r.json()["result"]["content"][0]["text"] == "hi"


def assert_clear_error(r, statuses=(400,), codes=(-32700, -32600, -32602, -32601)):
    assert r.status_code in statuses, (r.status_code, r.text[:300])
    if r.status_code in (200, 400, 404, 406, 413, 415):
        body = r.json()
        assert body["jsonrpc"] == "2.0"
        error = body["error"]
        assert error["code"] in codes, error
        assert isinstance(error["message"], str) and 0 < len(error["message"]) < 2_000
        # Clients never see internal error text.
        assert "Swift" not in error["message"] and "Fatal" not in error["message"]


@pytest.mark.parametrize("body", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_and_truncated_json(pier, client, body):
    r = client.post(pier.url, headers=JSON_HEADERS, content=body)
    assert_clear_error(r, codes=(-32700,))
    assert r.json()["error"]["message"].startswith("Parse error")


@pytest.mark.parametrize("body", WRONG_TYPES, ids=range(len(WRONG_TYPES)))
def test_wrong_types(pier, client, body):
    r = client.post(pier.url, headers=JSON_HEADERS, content=body)
    if r.status_code == 200:
        # A call that reached its tool: a JSON-RPC error or a tool error, never a success.
        body = r.json()
        if isinstance(body, list):
            # A 2025-03-26 batch (the era assumed without a header): an error for each item that is no message.
            assert body and all(item["error"]["code"] == -32600 for item in body), body
        else:
            assert "error" in body or body["result"].get("isError") is True, body
    elif r.status_code == 202:
        # A response nobody waits for (the client's answer to no request) is dropped, as the spec has it.
        assert b"\"result\"" in body or b"\"error\"" in body
    else:
        assert_clear_error(r)
    assert_still_serving(client, pier.url)


@pytest.mark.parametrize("body", HUGE, ids=["deep-array", "deep-object", "unclosed-3M", "exp", "bigint", "tiny", "long-arg", "long-method", "long-id", "wide"])
def test_huge_and_deep(pier, client, body):
    r = client.post(pier.url, headers=JSON_HEADERS, content=body)
    if r.status_code == 200:
        # What is well formed and within limits is served: a long argument echoes, a long method is unknown.
        payload = r.json()
        if "result" in payload:
            assert payload["result"].get("tools") is not None or payload["result"]["content"][0]["text"].startswith("xxx")
        else:
            assert payload["error"]["code"] in (-32601, -32602, -32600)
    else:
        assert_clear_error(r, statuses=(400, 413), codes=(-32700, -32600, -32602, -32601))
    assert_still_serving(client, pier.url)


@pytest.mark.parametrize("body", INVALID_UTF8, ids=range(len(INVALID_UTF8)))
def test_invalid_utf8(pier, client, body):
    r = client.post(pier.url, headers=JSON_HEADERS, content=body)
    assert_clear_error(r, codes=(-32700,))
    assert_still_serving(client, pier.url)


def test_content_type_not_json_is_415(pier, client):
    for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "json"]:
        r = client.post(pier.url, headers={"Content-Type": content_type, "Accept": "application/json"}, content=VALID)
        assert_clear_error(r, statuses=(415,), codes=(-32600,))
        assert "application/json" in r.json()["error"]["message"]
    # Parameters and case do not matter; a missing Content-Type is read as JSON.
    for content_type in ["application/json; charset=utf-8", "Application/JSON"]:
        r = client.post(pier.url, headers={"Content-Type": content_type, "Accept": "application/json"}, content=VALID)
        assert r.status_code == 200 and "tools" in r.json()["result"]
    r = client.post(pier.url, headers={"Accept": "application/json"}, content=VALID)
    assert r.status_code == 200


def test_accept_neither_json_nor_sse_is_406(pier, client):
    for accept in ["image/png", "text/html", "application/xml, text/plain"]:
        r = client.post(pier.url, headers={"Content-Type": "application/json", "Accept": accept}, content=VALID)
        assert_clear_error(r, statuses=(406,), codes=(-32600,))
    for accept in ["*/*", "application/*", "text/event-stream", "application/json"]:
        r = client.post(pier.url, headers={"Content-Type": "application/json", "Accept": accept}, content=VALID)
        assert r.status_code == 200, (accept, r.status_code)


def test_legacy_messages_post_refuses_other_media_types(pier, client):
    base = pier.url
    with client.stream("GET", base, headers={"Accept": "text/event-stream"}) as stream:
        lines = stream.iter_lines()
        endpoint = None
        for line in lines:
            if line.startswith("data:"):
                endpoint = line[5:].strip()
                break
        assert endpoint and "sessionId=" in endpoint
        target = httpx.URL(base).join(endpoint)
        r = client.post(target, headers={"Content-Type": "text/plain"}, content=VALID)
        assert_clear_error(r, statuses=(415,), codes=(-32600,))


def raw_request(url, head: bytes, body: bytes) -> tuple[int, bytes]:
    """One request written byte for byte (httpx would merge or refuse duplicate headers)."""
    u = urlparse(url)
    with socket.create_connection((u.hostname, u.port), timeout=10) as s:
        s.sendall(head.replace(b"{len}", str(len(body)).encode()) + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        status = int(data.split(b" ", 2)[1])
        header, _, rest = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in header.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0)
        while len(rest) < length:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
        return status, rest


def head(url, *extra: bytes) -> bytes:
    u = urlparse(url)
    lines = [b"POST " + u.path.encode() + b" HTTP/1.1", b"Host: " + u.netloc.encode(), b"Content-Length: {len}", b"Connection: close"] + list(extra)
    return b"\r\n".join(lines) + b"\r\n\r\n"


def test_duplicate_headers(pier, client):
    # Two Content-Types: not one media type.
    status, body = raw_request(pier.url, head(pier.url, b"Content-Type: application/json", b"Content-Type: text/plain", b"Accept: application/json"), VALID)
    assert status == 415 and json.loads(body)["error"]["code"] == -32600
    # Two protocol versions: no version Pier knows.
    status, body = raw_request(
        pier.url, head(pier.url, b"Content-Type: application/json", b"MCP-Protocol-Version: 2025-11-25", b"MCP-Protocol-Version: 2025-06-18"), VALID
    )
    assert status == 400 and json.loads(body)["error"]["code"] == -32022
    # Two session ids: a session Pier never issued, served without one.
    status, body = raw_request(pier.url, head(pier.url, b"Content-Type: application/json", b"Mcp-Session-Id: a", b"Mcp-Session-Id: b"), VALID)
    assert status == 200 and "tools" in json.loads(body)["result"]
    # Two Mcp-Method headers under 2026-07-28: they no longer mirror the body.
    modern = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": MODERN_META}}).encode()
    status, body = raw_request(
        pier.url,
        head(pier.url, b"Content-Type: application/json", b"MCP-Protocol-Version: 2026-07-28", b"Mcp-Method: tools/list", b"Mcp-Method: tools/call"),
        modern,
    )
    assert status == 400 and json.loads(body)["error"]["code"] == -32020
    # A Content-Length that is not a number, and one longer than the body sent (the connection closes first).
    status, _ = raw_request(pier.url, head(pier.url, b"Content-Type: application/json").replace(b"{len}", b"abc"), VALID)
    assert 400 <= status < 500
    assert_still_serving(client, pier.url)


VERSION_CASES = [
    # (headers, body params/_meta, expected status, expected code)
    ({"MCP-Protocol-Version": "1999-01-01"}, {}, 400, -32022),
    ({"MCP-Protocol-Version": "not a version"}, {}, 400, -32022),
    ({"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list"}, {}, 400, -32602),
    ({"MCP-Protocol-Version": "2025-11-25", "Mcp-Method": "tools/list"}, {"_meta": MODERN_META}, 400, -32020),
    ({}, {"_meta": MODERN_META}, 400, -32020),
    ({"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list"}, {"_meta": dict(MODERN_META, **{"io.modelcontextprotocol/protocolVersion": "2025-11-25"})}, 400, -32020),
    (
        {"MCP-Protocol-Version": "2030-01-01", "Mcp-Method": "tools/list"},
        {"_meta": dict(MODERN_META, **{"io.modelcontextprotocol/protocolVersion": "2030-01-01"})},
        400,
        -32022,
    ),
]


@pytest.mark.parametrize("case", VERSION_CASES, ids=range(len(VERSION_CASES)))
def test_version_mismatches(pier, client, case):
    headers, params, status, code = case
    body = json.dumps({"jsonrpc": "2.0", "id": 3, "method": "tools/list", "params": params}).encode()
    r = client.post(pier.url, headers=dict(JSON_HEADERS, **headers), content=body)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert_still_serving(client, pier.url)


def test_initialize_with_unknown_versions_negotiates(pier, client):
    for asked in ["1999-01-01", "2030-12-31", "", "2025-11-25x"]:
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": asked, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
        r = client.post(pier.url, headers=JSON_HEADERS, json=init)
        assert r.status_code == 200, r.text
        assert r.json()["result"]["protocolVersion"] in ("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05")
    # Wrong types in initialize itself.
    for params in [{"protocolVersion": 5}, {"protocolVersion": "2025-11-25", "capabilities": []}, []]:
        r = client.post(pier.url, headers=JSON_HEADERS, json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})
        assert_clear_error(r, statuses=(400,), codes=(-32602, -32600))
        # A refused initialize opens no session.
        assert "mcp-session-id" not in r.headers
