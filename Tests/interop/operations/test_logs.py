"""LOG_FORMAT=json: one JSON object per line, a line per MCP request with its request id, method, tool, subject,
outcome and duration; no token and no argument value, unless LOG_LEVEL=trace and PIER_LOG_ARGUMENTS=true."""

import json
import sys
from pathlib import Path

import httpx2 as httpx
from pier_launch import start_pier

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "auth"))
from oauth_flow import tokens  # noqa: E402

MODERN = {"MCP-Protocol-Version": "2026-07-28", "Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
SECRET_ARGUMENT = "the-user-typed-this-7f3a"


def call(url: str, headers: dict, tool="echo", text=SECRET_ARGUMENT, i=1) -> httpx.Response:
    body = {"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {"name": tool, "arguments": {"text": text}, "_meta": META}}
    with httpx.Client(timeout=10) as client:
        return client.post(url, headers=dict(MODERN, **{"Mcp-Method": "tools/call", "Mcp-Name": tool}, **headers), json=body)


def run_and_read(env: dict, body) -> list[dict]:
    """Starts Pier with `env`, runs `body(pier)`, stops Pier and returns its log lines, each parsed as JSON."""
    p = start_pier(["demo"], dict({"LOG_FORMAT": "json", "LOG_LEVEL": "info", "DATABASE_URL": ""}, **env))
    try:
        body(p)
    finally:
        p.process.terminate()
        p.process.wait(timeout=10)
    text = p.log()
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, "no log lines"
    return [json.loads(line) for line in lines]  # every line is JSON, or this fails


def test_a_line_per_request_with_who_what_and_how_long():
    seen = {}

    def body(p):
        bob = tokens(p.base, p.url, "ann", "anns-long-password")[1]["access_token"]
        seen["token"] = bob
        r = call(p.url, {"Authorization": f"Bearer {bob}", "X-Request-Id": "req-42"})
        assert r.status_code == 200 and r.headers["x-request-id"] == "req-42"
        r = call(p.url, {"Authorization": f"Bearer {bob}"}, tool="no_such_tool")
        seen["generated"] = r.headers["x-request-id"]

    lines = run_and_read({"PIER_AUTH": "oauth", "PIER_ADMIN_USER": "ann", "PIER_ADMIN_PASSWORD": "anns-long-password"}, body)
    for line in lines:
        assert {"time", "level", "logger", "message"} <= line.keys() and line["time"].endswith("Z")
    requests = [line for line in lines if line["message"] == "mcp request"]
    echo = next(line for line in requests if line.get("request_id") == "req-42")
    assert echo["method"] == "tools/call" and echo["name"] == "echo" and echo["subject"] == "ann" and echo["outcome"] == "ok"
    assert echo["endpoint"] == "main" and float(echo["duration_ms"]) >= 0 and echo["level"] == "info"
    unknown = next(line for line in requests if line.get("request_id") == seen["generated"])
    assert len(seen["generated"]) == 16 and unknown["name"] == "no_such_tool" and unknown["outcome"] == "error" and "error_code" in unknown
    everything = "\n".join(json.dumps(line) for line in lines)
    assert SECRET_ARGUMENT not in everything and seen["token"] not in everything


def test_arguments_only_at_trace_with_the_flag():
    def body(p):
        assert call(p.url, {}).status_code == 200

    at_trace = run_and_read({"LOG_LEVEL": "trace"}, body)
    assert SECRET_ARGUMENT not in "\n".join(json.dumps(line) for line in at_trace)
    flagged = run_and_read({"LOG_LEVEL": "trace", "PIER_LOG_ARGUMENTS": "true"}, body)
    arguments = [line for line in flagged if line["message"] == "mcp request arguments"]
    assert arguments and SECRET_ARGUMENT in arguments[0]["arguments"]
    info_flagged = run_and_read({"PIER_LOG_ARGUMENTS": "true"}, body)
    assert SECRET_ARGUMENT not in "\n".join(json.dumps(line) for line in info_flagged)

