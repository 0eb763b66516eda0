"""List-changed and resource-updated notifications reach legacy clients on every transport (mcp 1.x clients)."""

import anyio
import mcp.types as types
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamablehttp_client
from mcp_lists import Inbox, tool_names_v1
from stdio_util import ARGS, PIER, stdio_env

pytestmark = pytest.mark.anyio


async def exercise(read, write):
    inbox = Inbox()
    async with ClientSession(read, write, message_handler=inbox) as s:
        init = await s.initialize()
        assert init.capabilities.tools.listChanged and init.capabilities.resources.subscribe
        await anyio.sleep(0.3)  # let the client open its notification stream where it has one
        added = await s.call_tool("test_toggle_dynamic_tool", {})
        assert added.content[0].text == "added test_dynamic_tool"
        await inbox.wait_for(types.ToolListChangedNotification)
        assert "test_dynamic_tool" in [t.name for t in (await s.list_tools(cursor=None)).tools] + await tool_names_v1(s)
        removed = await s.call_tool("test_toggle_dynamic_tool", {})
        assert removed.content[0].text == "removed test_dynamic_tool"
        await inbox.wait_for(types.ToolListChangedNotification)

        await s.subscribe_resource("test://watched-resource")
        await s.call_tool("test_update_watched_resource", {})
        updated = await inbox.wait_for(types.ResourceUpdatedNotification)
        assert str(updated.params.uri) == "test://watched-resource"
        await s.unsubscribe_resource("test://watched-resource")
        await s.call_tool("test_update_watched_resource", {})
        await anyio.sleep(0.5)
        assert not any(isinstance(i, types.ResourceUpdatedNotification) for i in inbox.items), "no update after unsubscribing"


async def test_streamable_http_session_stream(pier):
    async with streamablehttp_client(pier.url) as (read, write, _):
        await exercise(read, write)


async def test_http_sse_stream(pier):
    async with sse_client(pier.base + "/sse") as (read, write):
        await exercise(read, write)


async def test_stdio():
    async with stdio_client(StdioServerParameters(command=PIER, args=ARGS, env=stdio_env())) as (read, write):
        await exercise(read, write)
