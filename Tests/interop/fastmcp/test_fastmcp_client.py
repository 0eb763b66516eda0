"""The FastMCP 4 client against a live Pier over Streamable HTTP."""

import pytest
from conftest import EXPECTED_TOOLS
from fastmcp import Client

pytestmark = pytest.mark.anyio


async def test_fastmcp_lists_and_calls(pier):
    async with Client(pier.url) as c:
        tools = await c.list_tools()
        assert sorted(t.name for t in tools) == EXPECTED_TOOLS
        r = await c.call_tool("echo", {"text": "from FastMCP"})
        assert r.content[0].text == "from FastMCP"
        r = await c.call_tool("test_structured_output", {"a": 20, "b": 1})
        assert r.structured_content == {"sum": 21}
        resources = await c.list_resources()
        assert "test://static-text" in [str(x.uri) for x in resources]
        prompt = await c.get_prompt("test_prompt_with_arguments", {"arg1": "x", "arg2": "y"})
        assert prompt.messages[0].content.text == "Prompt with arguments: arg1='x', arg2='y'"
