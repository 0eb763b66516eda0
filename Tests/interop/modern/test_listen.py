"""subscriptions/listen (2026-07-28) with the official Python SDK 2.x client."""

import anyio
import pytest
from mcp import Client
from mcp.client.subscriptions import ResourceUpdated, ToolsListChanged
from mcp_lists import tool_names_v2

pytestmark = pytest.mark.anyio


async def next_event(sub, timeout=5):
    with anyio.fail_after(timeout):
        return await sub.__anext__()


async def test_listen_delivers_requested_changes_only(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        async with c.listen(tools_list_changed=True, resource_subscriptions=["test://watched-resource"]) as sub:
            assert sub.honored.tools_list_changed is True
            assert sub.honored.resource_subscriptions == ["test://watched-resource"]
            assert not sub.honored.prompts_list_changed

            assert (await c.call_tool("test_toggle_dynamic_tool", {})).content[0].text == "added test_dynamic_tool"
            assert isinstance(await next_event(sub), ToolsListChanged)
            assert "test_dynamic_tool" in await tool_names_v2(c)
            assert (await c.call_tool("test_toggle_dynamic_tool", {})).content[0].text == "removed test_dynamic_tool"
            assert isinstance(await next_event(sub), ToolsListChanged)

            await c.call_tool("test_update_watched_resource", {})
            event = await next_event(sub)
            assert isinstance(event, ResourceUpdated) and event.uri == "test://watched-resource"


async def test_listen_filter_keeps_out_what_was_not_asked(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        async with c.listen(prompts_list_changed=True) as sub:
            await c.call_tool("test_toggle_dynamic_tool", {})
            await c.call_tool("test_toggle_dynamic_tool", {})
            with anyio.move_on_after(0.7) as scope:
                await sub.__anext__()
            assert scope.cancelled_caught, "a tools change must not reach a prompts-only subscription"
