"""The official Python SDK 1.x HTTP+SSE client (2024-11-05 transport) against a live Pier."""

import json
from unittest.mock import patch

import anyio
import httpx
import mcp.types as types
import pytest
from conftest import EXPECTED_TOOLS
from mcp import ClientSession
from mcp.client.sse import sse_client

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["/sse", "/mcp"])
def sse_url(pier, request):
    return pier.base + request.param


async def test_sse_client_round_trips(sse_url):
    logs, progress = [], []

    async def on_log(params):
        logs.append(params.data)

    async def on_progress(p, total, message):
        progress.append(p)

    with patch.object(types, "LATEST_PROTOCOL_VERSION", "2024-11-05"):
        async with sse_client(sse_url) as (read, write):
            async with ClientSession(read, write, logging_callback=on_log) as s:
                init = await s.initialize()
                assert init.protocolVersion == "2024-11-05"
                assert init.serverInfo.name == "pier"
                names, cursor = [], None
                while True:
                    page = await s.list_tools(cursor=cursor)
                    names += [t.name for t in page.tools]
                    cursor = page.nextCursor
                    if cursor is None:
                        break
                assert names == EXPECTED_TOOLS
                r = await s.call_tool("echo", {"text": "over SSE"})
                assert r.content[0].text == "over SSE"
                r = await s.call_tool("test_structured_output", {"a": 1, "b": 1})
                assert r.structuredContent == {"sum": 2}
                assert (await s.call_tool("echo", {})).isError
                await s.set_logging_level("info")
                await s.call_tool("test_tool_with_logging", {})
                await s.call_tool("test_tool_with_progress", {}, progress_callback=on_progress)
                text = await s.read_resource("test://static-text")
                assert text.contents[0].text.startswith("This is the content")
                await anyio.sleep(0.1)
    assert logs == ["Tool execution started", "Tool processing data", "Tool execution completed"]
    assert progress[-1] == 100


async def test_sse_cancellation(pier):
    async with sse_client(pier.base + "/sse") as (read, write):
        async with ClientSession(read, write) as s:
            await s.initialize()
            before = (await s.call_tool("test_slow_operation_stats", {})).structuredContent
            slow_id = s._request_id
            async with anyio.create_task_group() as tg:

                async def slow():
                    with anyio.move_on_after(4):
                        await s.call_tool("test_slow_operation", {"seconds": 5})

                tg.start_soon(slow)
                await anyio.sleep(0.5)
                await s.send_notification(types.ClientNotification(types.CancelledNotification(
                    method="notifications/cancelled", params=types.CancelledNotificationParams(requestId=slow_id))))
                stats = before
                with anyio.fail_after(3):
                    while stats["cancelled"] == before["cancelled"]:
                        await anyio.sleep(0.1)
                        stats = (await s.call_tool("test_slow_operation_stats", {})).structuredContent
                tg.cancel_scope.cancel()


def test_endpoint_event_and_message_errors(pier):
    with httpx.Client(timeout=10) as client:
        with client.stream("GET", pier.base + "/sse", headers={"Accept": "text/event-stream"}) as stream:
            assert stream.status_code == 200
            assert stream.headers["cache-control"] == "no-cache"
            lines = stream.iter_lines()
            assert next(lines) == "event: endpoint"
            data = next(lines)
            assert data.startswith("data: /mcp/messages?sessionId=")
            endpoint = pier.base + data[len("data: "):]
            r = client.post(endpoint, content=b"{not json", headers={"Content-Type": "application/json"})
            assert r.status_code == 400 and r.json()["error"]["code"] == -32700
            r = client.post(endpoint, json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
            assert r.status_code == 202
            for line in lines:
                if line.startswith("data: "):
                    assert json.loads(line[6:]) == {"jsonrpc": "2.0", "id": 1, "result": {}}
                    break
        # The stream is closed: its endpoint is gone.
        for _ in range(50):
            r = client.post(endpoint, json={"jsonrpc": "2.0", "id": 2, "method": "ping"})
            if r.status_code == 404:
                break
            anyio.run(anyio.sleep, 0.1)
        assert r.status_code == 404
        r = client.post(pier.base + "/mcp/messages?sessionId=nope", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        assert r.status_code == 404
        r = client.post(pier.base + "/mcp/messages", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        assert r.status_code == 400


def test_vanishing_stream_cancels_its_calls(pier):
    def stats(client):
        r = client.post(pier.url, headers={"Content-Type": "application/json", "Accept": "application/json", "MCP-Protocol-Version": "2025-11-25"},
                        json={"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "test_slow_operation_stats", "arguments": {}}})
        return r.json()["result"]["structuredContent"]

    with httpx.Client(timeout=10) as client:
        before = stats(client)
        with client.stream("GET", pier.base + "/sse", headers={"Accept": "text/event-stream"}) as stream:
            lines = stream.iter_lines()
            next(lines)
            endpoint = pier.base + next(lines)[len("data: "):]
            r = client.post(endpoint, json={"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "test_slow_operation", "arguments": {"seconds": 5}}})
            assert r.status_code == 202
            anyio.run(anyio.sleep, 0.5)
        # The stream is gone; the slow call must not run to completion.
        for _ in range(40):
            now = stats(client)
            if now["cancelled"] > before["cancelled"]:
                break
            anyio.run(anyio.sleep, 0.1)
        assert now["cancelled"] == before["cancelled"] + 1
        assert now["completed"] == before["completed"]
