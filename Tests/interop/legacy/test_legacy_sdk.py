"""The official Python MCP SDK 1.x (handshake era) against a live Pier, at each legacy version."""

import json
from contextlib import asynccontextmanager
from unittest.mock import patch

import anyio
import mcp.types as types
import pytest
from conftest import EXPECTED_TOOLS, PAGE_SIZE
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client
from mcp.shared.exceptions import McpError

pytestmark = pytest.mark.anyio

VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26"]


@asynccontextmanager
async def connect(url, version, **kwargs):
    with patch.object(types, "LATEST_PROTOCOL_VERSION", version):
        async with streamablehttp_client(url) as (read, write, get_session_id):
            async with ClientSession(read, write, **kwargs) as session:
                init = await session.initialize()
                yield session, init, get_session_id


@pytest.fixture(params=VERSIONS)
def version(request):
    return request.param


async def test_initialize_negotiates_the_requested_version(pier, version):
    async with connect(pier.url, version) as (s, init, sid):
        assert init.protocolVersion == version
        assert init.serverInfo.name == "pier"
        assert sid() and all(0x21 <= ord(ch) <= 0x7E for ch in sid())
        await s.send_ping()


async def test_tools_list_paginates(pier, version):
    async with connect(pier.url, version) as (s, _, _):
        names, cursor, pages = [], None, 0
        while True:
            page = await s.list_tools(cursor=cursor)
            pages += 1
            assert len(page.tools) <= PAGE_SIZE
            names += [t.name for t in page.tools]
            cursor = page.nextCursor
            if cursor is None:
                break
        assert pages >= 3 and names == EXPECTED_TOOLS


async def test_tool_calls_text_structured_and_validation(pier, version):
    async with connect(pier.url, version) as (s, _, _):
        r = await s.call_tool("echo", {"text": "hi there"})
        assert r.content[0].text == "hi there" and not r.isError
        r = await s.call_tool("test_structured_output", {"a": 1, "b": 2})
        assert r.structuredContent == {"sum": 3}
        assert json.loads(r.content[0].text) == {"sum": 3}
        r = await s.call_tool("echo", {})
        assert r.isError and "text" in r.content[0].text
        r = await s.call_tool("test_error_handling", {})
        assert r.isError


async def test_resources_and_templates(pier, version):
    async with connect(pier.url, version) as (s, _, _):
        listed = await s.list_resources()
        assert {str(r.uri) for r in listed.resources} >= {"test://static-text", "test://static-binary"}
        text = await s.read_resource("test://static-text")
        assert text.contents[0].text == "This is the content of the static text resource."
        binary = await s.read_resource("test://static-binary")
        assert binary.contents[0].blob
        templates = await s.list_resource_templates()
        assert templates.resourceTemplates[0].uriTemplate == "test://template/{id}/data"
        data = await s.read_resource("test://template/7/data")
        assert json.loads(data.contents[0].text)["data"] == "Data for ID: 7"
        with pytest.raises(McpError) as e:
            await s.read_resource("test://missing")
        assert e.value.error.code == -32002


async def test_prompts_and_completion(pier, version):
    async with connect(pier.url, version) as (s, _, _):
        prompts = await s.list_prompts()
        assert "test_simple_prompt" in [p.name for p in prompts.prompts]
        got = await s.get_prompt("test_prompt_with_image")
        assert got.messages[0].content.type == "image"
        done = await s.complete(types.PromptReference(type="ref/prompt", name="test_prompt_with_arguments"), {"name": "arg1", "value": "g"})
        assert done.completion.values == ["gamma"]


async def test_progress_and_logging(pier, version):
    progress, logs = [], []

    async def on_log(params):
        logs.append(params.data)

    async def on_progress(p, total, message):
        progress.append(p)

    async with connect(pier.url, version, logging_callback=on_log) as (s, _, _):
        await s.set_logging_level("info")
        await s.call_tool("test_tool_with_logging", {})
        await s.call_tool("test_tool_with_progress", {}, progress_callback=on_progress)
        await anyio.sleep(0.1)
    assert logs == ["Tool execution started", "Tool processing data", "Tool execution completed"]
    assert progress[-1] == 100 and 0 in progress


async def test_cancellation_of_a_slow_tool(pier, version):
    # mcp 1.x does not tell the server when a caller gives up, so the application sends
    # notifications/cancelled itself, as the handshake-era spec describes.
    async with connect(pier.url, version) as (s, _, _):
        before = (await s.call_tool("test_slow_operation_stats", {})).structuredContent
        slow_request_id = s._request_id  # the id the next request will use
        async with anyio.create_task_group() as tg:

            async def slow():
                with anyio.move_on_after(4):
                    await s.call_tool("test_slow_operation", {"seconds": 5})

            tg.start_soon(slow)
            await anyio.sleep(0.5)
            cancel = types.CancelledNotification(
                method="notifications/cancelled",
                params=types.CancelledNotificationParams(requestId=slow_request_id, reason="test"),
            )
            await s.send_notification(types.ClientNotification(cancel))
            stats = before
            with anyio.fail_after(3):
                while stats["cancelled"] == before["cancelled"]:
                    await anyio.sleep(0.1)
                    stats = (await s.call_tool("test_slow_operation_stats", {})).structuredContent
            tg.cancel_scope.cancel()
        assert stats["completed"] == before["completed"]
