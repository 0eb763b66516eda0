"""The official Python SDK 2.x stdio client against `pier serve --stdio`."""

import anyio
import mcp_types as types
import pytest
from conftest import EXPECTED_TOOLS
from mcp import Client, StdioServerParameters
from stdio_util import ARGS, PIER, stdio_env

pytestmark = pytest.mark.anyio


def params():
    return StdioServerParameters(command=PIER, args=ARGS, env=stdio_env())


async def test_stdio_modern_round_trips():
    seen = []

    async def handler(message):
        if isinstance(message, types.ProgressNotification):
            seen.append(message.params.progress)

    async with Client(params(), mode="auto", message_handler=handler) as c:
        assert c.protocol_version == "2026-07-28"
        names, cursor = [], None
        while True:
            page = await c.list_tools(cursor=cursor, cache_mode="refresh")
            names += [t.name for t in page.tools]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert names == EXPECTED_TOOLS
        r = await c.call_tool("echo", {"text": "stdio ✓"})
        assert r.content[0].text == "stdio ✓"
        r = await c.call_tool("test_structured_output", {"a": 4, "b": 5})
        assert r.structured_content == {"sum": 9}
        await c.call_tool("test_tool_with_progress", {}, progress_callback=lambda *a: None)
        await anyio.sleep(0.1)
        text = await c.read_resource("test://static-text")
        assert text.contents[0].text.startswith("This is the content")
    assert seen == [0, 50, 100]


async def test_stdio_legacy_mode_with_the_2x_client():
    async with Client(params(), mode="legacy") as c:
        assert c.protocol_version == "2025-11-25"
        r = await c.call_tool("echo", {"text": "legacy over stdio"})
        assert r.content[0].text == "legacy over stdio"


async def test_stdio_listen():
    from mcp.client.subscriptions import ToolsListChanged

    async with Client(params(), mode="2026-07-28") as c:
        async with c.listen(tools_list_changed=True) as sub:
            assert sub.honored.tools_list_changed
            await c.call_tool("test_toggle_dynamic_tool", {})
            with anyio.fail_after(5):
                assert isinstance(await sub.__anext__(), ToolsListChanged)
            await c.call_tool("test_toggle_dynamic_tool", {})
            with anyio.fail_after(5):
                assert isinstance(await sub.__anext__(), ToolsListChanged)
