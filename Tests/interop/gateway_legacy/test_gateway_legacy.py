"""The official Python SDK 1.x client (handshake eras, Streamable HTTP and HTTP+SSE) through a Pier gateway."""

from contextlib import asynccontextmanager

import pytest
from gateway_launch import WHO
from mcp import ClientSession
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamablehttp_client
from mcp.shared.exceptions import McpError

pytestmark = pytest.mark.anyio

@asynccontextmanager
async def streamable(gateway):
    async with streamablehttp_client(gateway.pier.url) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            yield session


@asynccontextmanager
async def legacy_sse(gateway):
    async with sse_client(gateway.pier.base + "/sse") as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            yield session


@pytest.fixture(params=["streamable-http", "http+sse"])
def connect(request):
    return streamable if request.param == "streamable-http" else legacy_sse


async def all_tools(session):
    names, cursor = [], None
    while True:
        page = await session.list_tools(cursor=cursor)
        names += [t.name for t in page.tools]
        cursor = page.nextCursor
        if not cursor:
            return names


async def test_every_upstream_listed_and_called(gateway, connect):
    async with connect(gateway) as s:
        names = await all_tools(s)
        assert "echo" in names and "time__get_current_time" in names
        for server, who in WHO.items():
            assert f"{server}__echo" in names
            r = await s.call_tool(f"{server}__whoami", {})
            assert r.isError is not True
            assert r.content[0].text == who
        r = await s.call_tool("time__get_current_time", {"timezone": "Asia/Tokyo"})
        assert r.structuredContent["timezone"] == "Asia/Tokyo"


async def test_resources_and_prompts(gateway, connect):
    async with connect(gateway) as s:
        for server in ["py2", "py1", "fm"]:
            read = await s.read_resource(f"data://{server}/greeting")
            assert read.contents[0].text == f"greetings from {server}"
        got = await s.get_prompt("py2s__greet", {"name": "Grace"})
        assert "Grace" in got.messages[0].content.text
        widget = await s.read_resource("ui://widget/py1-hello.html")
        assert widget.contents[0].mimeType == "text/html;profile=mcp-app"


async def test_progress_through_the_gateway(gateway, connect):
    seen = []

    async def on_progress(progress, total, message):
        seen.append(progress)

    async with connect(gateway) as s:
        r = await s.call_tool("py2s__slow", {"seconds": 0.2}, progress_callback=on_progress)
        assert r.content[0].text == "slept 0.2"
        assert seen and seen[-1] == 4


@pytest.mark.parametrize("path", ["/connectors/echoes/mcp", "/connectors/echoes/sse"])
async def test_a_connector_in_the_handshake_eras(gateway, path):
    url = gateway.pier.base + path
    if path.endswith("/sse"):
        context = sse_client(url)
    else:
        context = streamablehttp_client(url)
    async with context as streams:
        async with ClientSession(streams[0], streams[1]) as s:
            init = await s.initialize()
            assert init.serverInfo.name == "pier-echoes"
            assert await all_tools(s) == ["py1sse__echo", "py2__echo"]
            r = await s.call_tool("py1sse__echo", {"text": "through a connector"})
            assert r.content[0].text == "through a connector"
            with pytest.raises(McpError) as e:
                await s.call_tool("py2__add", {"a": 1, "b": 2})
            assert "Unknown tool" in str(e.value)


async def test_pier_behind_pier_in_the_handshake_eras(gateway, connect):
    async with connect(gateway) as s:
        r = await s.call_tool("test_simple_text", {})
        assert r.content[0].text == "This is a simple text response for testing."
