"""The official Python MCP SDK 2.x (2026-07-28, stateless) against a live Pier."""

import json

import anyio
import mcp_types as types
import pytest
from conftest import EXPECTED_TOOLS, PAGE_SIZE
from mcp import Client
from mcp.shared.exceptions import MCPError

pytestmark = pytest.mark.anyio


async def test_auto_mode_discovers_the_modern_era(pier):
    async with Client(pier.url, mode="auto") as c:
        assert c.protocol_version == "2026-07-28"
        assert c.server_info is not None and c.server_info.name == "pier"
        assert c.server_capabilities.tools is not None


async def test_tools_list_paginates_deterministically(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        names, cursor, pages = [], None, 0
        while True:
            page = await c.list_tools(cursor=cursor, cache_mode="refresh")
            pages += 1
            assert len(page.tools) <= PAGE_SIZE
            names += [t.name for t in page.tools]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert pages >= 3
        assert names == EXPECTED_TOOLS
        echo = next(t for t in (await c.list_tools(cache_mode="refresh")).tools if t.name == "add_numbers")
        assert echo.annotations.read_only_hint is True


async def test_tool_text_and_structured_output(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        r = await c.call_tool("echo", {"text": "héllo ✓"})
        assert r.is_error is not True
        assert r.content[0].text == "héllo ✓"
        r = await c.call_tool("test_structured_output", {"a": 2, "b": 40})
        assert r.structured_content == {"sum": 42}
        assert json.loads(r.content[0].text) == {"sum": 42}
        r = await c.call_tool("test_multiple_content_types", {})
        assert [b.type for b in r.content] == ["text", "image", "resource"]


async def test_validation_failure_is_a_tool_error(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        r = await c.call_tool("echo", {"wrong": 1})
        assert r.is_error is True
        assert "text" in r.content[0].text
        r = await c.call_tool("test_structured_output", {"a": "two", "b": 1})
        assert r.is_error is True


async def test_unknown_tool_is_a_protocol_error(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        with pytest.raises(MCPError) as e:
            await c.call_tool("no_such_tool", {})
        assert e.value.error.code == -32602


async def test_resources_list_read_and_templates(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        uris = []
        cursor = None
        while True:
            page = await c.list_resources(cursor=cursor, cache_mode="refresh")
            uris += [str(r.uri) for r in page.resources]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert "test://static-text" in uris and "test://static-binary" in uris
        text = await c.read_resource("test://static-text")
        assert text.contents[0].text == "This is the content of the static text resource."
        binary = await c.read_resource("test://static-binary")
        assert binary.contents[0].blob and binary.contents[0].mime_type == "image/png"
        templates = await c.list_resource_templates(cache_mode="refresh")
        assert [t.uri_template for t in templates.resource_templates] == ["test://template/{id}/data"]
        data = await c.read_resource("test://template/42/data")
        assert json.loads(data.contents[0].text)["id"] == "42"
        with pytest.raises(MCPError) as e:
            await c.read_resource("test://nothing-here")
        assert e.value.error.code == -32602


async def test_prompts_and_completion(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        prompts = await c.list_prompts(cache_mode="refresh")
        assert {p.name for p in prompts.prompts} >= {"test_simple_prompt", "test_prompt_with_arguments"}
        got = await c.get_prompt("test_prompt_with_arguments", {"arg1": "a", "arg2": "b"})
        assert got.messages[0].content.text == "Prompt with arguments: arg1='a', arg2='b'"
        done = await c.complete(types.PromptReference(name="test_prompt_with_arguments"), {"name": "arg1", "value": "pa"})
        assert done.completion.values == ["paris", "park"]
        done = await c.complete(types.ResourceTemplateReference(uri="test://template/{id}/data"), {"name": "id", "value": "4"})
        assert done.completion.values == ["42"]


async def test_progress_notifications(pier):
    seen = []

    async def handler(message):
        if isinstance(message, types.ProgressNotification):
            seen.append(message.params.progress)

    async with Client(pier.url, mode="2026-07-28", message_handler=handler) as c:
        r = await c.call_tool("test_tool_with_progress", {}, progress_callback=lambda *a: None)
        assert r.content[0].text == "Tool with progress executed successfully"
        await anyio.sleep(0.1)
    assert seen == [0, 50, 100]


async def test_logging_only_when_requested(pier):
    logs = []

    async def on_log(params):
        logs.append(params.data)

    async with Client(pier.url, mode="2026-07-28", logging_callback=on_log) as c:
        await c.call_tool("test_tool_with_logging", {})
    assert logs == []
    async with Client(pier.url, mode="2026-07-28", logging_callback=on_log, log_level="info") as c:
        await c.call_tool("test_tool_with_logging", {})
    assert logs == ["Tool execution started", "Tool processing data", "Tool execution completed"]


async def test_cancelling_a_slow_tool_stops_it(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        before = (await c.call_tool("test_slow_operation_stats", {})).structured_content
        with anyio.move_on_after(0.6):
            await c.call_tool("test_slow_operation", {"seconds": 5})
            pytest.fail("the slow call should have been cancelled")
        stats = before
        with anyio.fail_after(5):
            while stats["cancelled"] == before["cancelled"]:
                await anyio.sleep(0.1)
                stats = (await c.call_tool("test_slow_operation_stats", {})).structured_content
        assert stats["cancelled"] == before["cancelled"] + 1
        assert stats["completed"] == before["completed"]


async def test_missing_client_capability(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        with pytest.raises(MCPError) as e:
            await c.call_tool("test_missing_capability", {})
        assert e.value.error.code == -32021
