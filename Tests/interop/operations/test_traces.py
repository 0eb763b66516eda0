"""Traces over OTLP/HTTP to a receiver the test runs: with OTEL_EXPORTER_OTLP_ENDPOINT set, each MCP request is a
span after OpenTelemetry's MCP conventions (mcp.method.name, gen_ai.tool.name, the session), under the HTTP
request's span and the caller's traceparent; an upstream call is a client span below it, whose context reaches
the upstream (here another Pier, exporting to the same receiver) in traceparent; store work has spans too."""

import json
import secrets
import tempfile
import time
import urllib.request

from otlp_receiver import OTLPReceiver
from pier_launch import start_pier, stop_pier

META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}


def call(url: str, tool: str, arguments: dict, traceparent: str, meta: dict | None = None) -> dict:
    body = json.dumps({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
                       "params": {"name": tool, "arguments": arguments, "_meta": dict(META, **(meta or {}))}}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2026-07-28",
               "Mcp-Method": "tools/call", "Mcp-Name": tool, "traceparent": traceparent}
    with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=20) as r:
        return json.loads(r.read())


def wait_for(receiver: OTLPReceiver, trace: str, test, timeout: float = 20) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        spans = [s for s in receiver.spans() if s["trace"] == trace]
        if test(spans):
            return spans
        time.sleep(0.2)
    raise AssertionError(f"the spans never arrived: {[(s['name'], s['service']) for s in receiver.spans()]}")


def hex_to_b64(hex_id: str) -> str:
    import base64
    return base64.b64encode(bytes.fromhex(hex_id)).decode()


def test_the_span_tree_through_a_gateway():
    receiver = OTLPReceiver()
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "200"}
    upstream = start_pier(["demo"], dict(env, OTEL_SERVICE_NAME="pier-upstream"))
    config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump({"apps": ["demo"], "mcpServers": {"up": {"url": upstream.url}}}, config)
    config.close()
    try:
        gateway = start_pier([], dict(env, OTEL_SERVICE_NAME="pier-gateway"), config=config.name)
    except BaseException:
        stop_pier(upstream)
        receiver.close()
        raise
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                call(gateway.url, "up__echo", {"text": "warm"}, f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01")
                break
            except Exception:
                assert time.monotonic() < deadline
                time.sleep(0.3)
        trace, parent = secrets.token_hex(16), secrets.token_hex(8)
        answer = call(gateway.url, "up__echo", {"text": "traced"}, f"00-{trace}-{parent}-01")
        assert answer["result"]["content"][0]["text"] == "traced"
        trace_b64 = hex_to_b64(trace)

        def complete(spans):
            return any(s["service"] == "pier-upstream" and s["name"] == "tools/call echo" for s in spans)

        spans = wait_for(receiver, trace_b64, complete)
        by_id = {s["id"]: s for s in spans}
        mcp = next(s for s in spans if s["service"] == "pier-gateway" and s["name"] == "tools/call up__echo")
        assert mcp["kind"] == "SPAN_KIND_SERVER"
        assert mcp["attributes"]["mcp.method.name"] == "tools/call" and mcp["attributes"]["gen_ai.tool.name"] == "up__echo"
        assert mcp["attributes"]["gen_ai.operation.name"] == "execute_tool" and mcp["attributes"]["mcp.protocol.version"] == "2026-07-28"
        # Its parent is the HTTP request's span, whose parent is the caller's traceparent.
        http = by_id[mcp["parent"]]
        assert http["service"] == "pier-gateway" and http["parent"] == hex_to_b64(parent)
        forwarded = next(s for s in spans if s["service"] == "pier-gateway" and s["kind"] == "SPAN_KIND_CLIENT" and s["name"] == "tools/call echo")
        assert forwarded["parent"] == mcp["id"] and forwarded["attributes"]["pier.upstream"] == "up"
        # The upstream continued the same trace below the gateway's client span.
        remote = next(s for s in spans if s["service"] == "pier-upstream" and s["name"] == "tools/call echo")
        remote_chain = [remote]
        while remote_chain[-1]["parent"] in by_id and by_id[remote_chain[-1]["parent"]]["service"] == "pier-upstream":
            remote_chain.append(by_id[remote_chain[-1]["parent"]])
        assert remote_chain[-1]["parent"] == forwarded["id"], [(s["name"], s["service"]) for s in remote_chain]
    finally:
        stop_pier(gateway)
        stop_pier(upstream)
        receiver.close()


def test_meta_traceparent_and_store_spans():
    receiver = OTLPReceiver()
    p = start_pier(["demo", "cart"], {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "200"})
    try:
        trace, parent = secrets.token_hex(16), secrets.token_hex(8)
        # The _meta context (OpenTelemetry's MCP conventions) wins over the header's.
        call(p.url, "add_to_cart", {"items": [{"name": "eggs"}]}, f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01",
             meta={"traceparent": f"00-{trace}-{parent}-01"})
        spans = wait_for(receiver, hex_to_b64(trace), lambda spans: any(s["name"].startswith("store ") for s in spans))
        mcp = next(s for s in spans if s["name"] == "tools/call add_to_cart")
        assert mcp["parent"] == hex_to_b64(parent)
        store = [s for s in spans if s["name"].startswith("store ")]
        assert all(s["attributes"]["db.system.name"] == "sqlite" for s in store)
        ids = {s["id"] for s in spans}
        assert all(s["parent"] in ids for s in store), "store spans hang below the request"
    finally:
        stop_pier(p)
        receiver.close()
