"""Server-to-client requests (elicitation, sampling, roots) for handshake-era clients on stdio and HTTP+SSE,
driven by the official SDK 1.x clients and their callbacks."""

import mcp.types as types
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.stdio import stdio_client
from stdio_util import ARGS, PIER, stdio_env

pytestmark = pytest.mark.anyio


async def on_elicit(context, params):
    key = next(iter(params.requestedSchema["properties"]))
    return types.ElicitResult(action="accept", content={key: {"username": "Grace", "color": "blue"}[key]})


async def on_sample(context, params):
    return types.CreateMessageResult(role="assistant", content=types.TextContent(type="text", text="Paris"), model="test-model")


async def on_roots(context):
    return types.ListRootsResult(roots=[types.Root(uri="file:///srv/app", name="app")])


async def exercise(read, write):
    async with ClientSession(read, write, elicitation_callback=on_elicit, sampling_callback=on_sample, list_roots_callback=on_roots) as s:
        await s.initialize()
        r = await s.call_tool("test_elicitation", {})
        assert r.content[0].text == "User provided: Grace"
        r = await s.call_tool("test_elicitation_multi_round", {})
        assert r.content[0].text == "name=Grace color=blue"
        r = await s.call_tool("test_input_required_result_sampling", {})
        assert r.content[0].text == "LLM response: Paris"
        r = await s.call_tool("test_input_required_result_list_roots", {})
        assert r.content[0].text == "Roots: file:///srv/app"


async def test_stdio_server_requests():
    async with stdio_client(StdioServerParameters(command=PIER, args=ARGS, env=stdio_env())) as (read, write):
        await exercise(read, write)


async def test_http_sse_server_requests(pier):
    async with sse_client(pier.base + "/sse") as (read, write):
        await exercise(read, write)


async def test_client_without_the_capability_gets_a_clear_error():
    async with stdio_client(StdioServerParameters(command=PIER, args=ARGS, env=stdio_env())) as (read, write):
        async with ClientSession(read, write) as s:
            await s.initialize()
            r = await s.call_tool("test_input_required_result_sampling", {})
            assert r.isError and "sampling capability" in r.content[0].text
