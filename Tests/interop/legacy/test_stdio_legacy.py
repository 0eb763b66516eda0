"""The official Python SDK 1.x stdio client, and raw bytes, against `pier serve --stdio`."""

import json
import select
import subprocess

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from stdio_util import ARGS, PIER, stdio_env

pytestmark = pytest.mark.anyio


async def test_stdio_with_the_1x_client():
    server = StdioServerParameters(command=PIER, args=ARGS, env=stdio_env())
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as s:
            init = await s.initialize()
            assert init.protocolVersion == "2025-11-25"
            tools = await s.list_tools()
            assert tools.nextCursor is not None
            r = await s.call_tool("echo", {"text": "from 1.x"})
            assert r.content[0].text == "from 1.x"
            r = await s.call_tool("echo", {})
            assert r.isError
            prompt = await s.get_prompt("test_simple_prompt")
            assert prompt.messages[0].content.text == "This is a simple prompt for testing."


def run_raw(lines: list[bytes], timeout=30) -> tuple[list[dict], int]:
    """Writes raw lines to a stdio Pier, closes stdin, and returns every reply and the exit code."""
    process = subprocess.run([PIER, *ARGS], input=b"".join(lines), capture_output=True, env=stdio_env(), timeout=timeout)
    replies = [json.loads(line) for line in process.stdout.splitlines() if line.strip()]
    return replies, process.returncode


def call(id, name, arguments):
    return (json.dumps({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": name, "arguments": arguments}}) + "\n").encode()


def test_garbage_and_oversized_lines_get_errors_and_serving_goes_on():
    init = (json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}) + "\n").encode()
    oversized = b'{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"echo","arguments":{"text":"' + b"x" * (5 * 1024 * 1024) + b'"}}}\n'
    replies, code = run_raw([init, b"this is not json\n", b'{"jsonrpc":"2.0","id":1}\n', b"\xff\xfe\n", oversized, call(2, "echo", {"text": "still here"})])
    assert code == 0
    by_id = {r.get("id"): r for r in replies}
    assert by_id[0]["result"]["protocolVersion"] == "2025-06-18"
    errors = [r["error"]["code"] for r in replies if "error" in r]
    assert errors.count(-32700) == 2  # the text and the invalid UTF-8 bytes
    assert -32600 in errors  # the envelope without method, and the oversized message
    assert by_id[2]["result"]["content"][0]["text"] == "still here"
    assert 9 not in by_id


def test_large_messages_round_trip():
    text = "y" * (3 * 1024 * 1024)
    replies, code = run_raw([call(1, "echo", {"text": text})])
    assert code == 0 and replies[0]["result"]["content"][0]["text"] == text


def test_end_of_input_exits_cleanly_after_answering():
    replies, code = run_raw([call(1, "test_tool_with_progress", {})])
    assert code == 0
    assert replies[-1]["id"] == 1 and "result" in replies[-1]


def test_end_of_input_closes_an_open_listen_with_a_result():
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
    listen = {"jsonrpc": "2.0", "id": "L1", "method": "subscriptions/listen", "params": {"notifications": {"toolsListChanged": True}, "_meta": meta}}
    toggle = {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "test_toggle_dynamic_tool", "arguments": {}, "_meta": meta}}
    # Send the toggle only once the listen is acknowledged, so the change cannot precede the subscription.
    process = subprocess.Popen([PIER, *ARGS], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=stdio_env())
    process.stdin.write((json.dumps(listen) + "\n").encode())
    process.stdin.flush()
    ack = json.loads(process.stdout.readline())
    process.stdin.write((json.dumps(toggle) + "\n").encode())
    process.stdin.flush()
    replies = [ack]
    while not any(r.get("method") == "notifications/tools/list_changed" for r in replies):
        if not select.select([process.stdout], [], [], 5)[0]:
            process.kill()
            pytest.fail("no tools/list_changed within 5 s")
        replies.append(json.loads(process.stdout.readline()))
    process.stdin.close()
    replies += [json.loads(line) for line in process.stdout.read().splitlines() if line.strip()]
    assert process.wait(timeout=30) == 0
    assert ack["method"] == "notifications/subscriptions/acknowledged"
    assert ack["params"]["notifications"] == {"toolsListChanged": True}
    assert ack["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "L1"
    changed = [r for r in replies if r.get("method") == "notifications/tools/list_changed"]
    assert changed and changed[0]["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "L1"
    final = [r for r in replies if r.get("id") == "L1"]
    assert final and final[0]["result"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "L1"


def test_closing_stdin_lets_a_slow_call_finish():
    replies, code = run_raw([call(1, "test_slow_operation", {"seconds": 1.5})])
    assert code == 0 and replies[-1]["result"]["content"][0]["text"] == "Slept 1.5 seconds"


@pytest.mark.parametrize("progress", [False, True])
def test_a_vanished_client_cancels_its_calls_and_pier_exits(progress):
    """The client closes both pipes mid-call (it crashed): the 30 s call is dropped and Pier exits at once."""
    import time

    process = subprocess.Popen([PIER, *ARGS], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=stdio_env())
    params = {"name": "test_slow_operation", "arguments": {"seconds": 30}}
    if progress:
        params["_meta"] = {"progressToken": "p"}
    process.stdin.write((json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}) + "\n").encode())
    process.stdin.flush()
    time.sleep(0.5)
    started = time.monotonic()
    process.stdout.close()
    process.stdin.close()
    assert process.wait(timeout=10) == 0
    assert time.monotonic() - started < 3
