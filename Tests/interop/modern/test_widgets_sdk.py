"""The official SDK 2.x client reads every ui:// widget resource of the example apps and checks the MIME type and
the _meta ChatGPT and MCP Apps hosts need; it also follows each widget tool to its template."""

import pytest
from mcp import Client
from pier_launch import start_pier, stop_pier

pytestmark = pytest.mark.anyio

MCP_APP = "text/html;profile=mcp-app"


@pytest.fixture(scope="module")
def widget_pier():
    p = start_pier(["dashboard", "gallery", "cart"], {"BASE_URL": "https://pier.example.com", "ALLOWED_HOSTS": "127.0.0.1"})
    yield p
    stop_pier(p)


async def test_every_widget_resource_has_its_mime_type_and_meta(widget_pier):
    async with Client(widget_pier.url, mode="2026-07-28") as c:
        listed = (await c.list_resources()).resources
        widgets = [r for r in listed if r.uri.startswith("ui://")]
        assert {r.name for r in widgets} == {"cart", "dashboard", "gallery"}
        for resource in widgets:
            assert resource.mime_type == MCP_APP
            read = await c.read_resource(resource.uri)
            (content,) = read.contents
            assert content.mime_type == MCP_APP and content.text.startswith("<!doctype html>")
            assert "https://pier.example.com/assets/" in content.text
            meta = content.meta
            assert "https://pier.example.com" in meta["ui"]["csp"]["connectDomains"]
            assert "https://pier.example.com" in meta["ui"]["csp"]["resourceDomains"]
            assert meta["ui"]["domain"] == "https://pier.example.com" and isinstance(meta["ui"]["prefersBorder"], bool)
            assert meta["openai/widgetCSP"]["resource_domains"] == meta["ui"]["csp"]["resourceDomains"]
            assert meta["openai/widgetCSP"]["connect_domains"] == meta["ui"]["csp"]["connectDomains"]
            assert meta["openai/widgetDomain"] == "https://pier.example.com"
            assert isinstance(meta["openai/widgetPrefersBorder"], bool) and meta["openai/widgetDescription"]


async def test_every_widget_tool_points_at_a_served_template(widget_pier):
    async with Client(widget_pier.url, mode="2026-07-28") as c:
        tools = (await c.list_tools()).tools
        uris = {r.uri for r in (await c.list_resources()).resources}
        assert len(tools) == 7
        for tool in tools:
            a = tool.annotations
            assert a.read_only_hint is not None and a.destructive_hint is not None and a.open_world_hint is not None, tool.name
            assert tool.meta["ui"]["resourceUri"] in uris and tool.meta["openai/outputTemplate"] == tool.meta["ui"]["resourceUri"], tool.name
            assert tool.meta["securitySchemes"] == [{"type": "noauth"}], tool.name
            for key in ("openai/toolInvocation/invoking", "openai/toolInvocation/invoked"):
                assert key not in tool.meta or 1 <= len(tool.meta[key]) <= 64


async def test_cart_result_over_the_wire(widget_pier):
    async with Client(widget_pier.url, mode="2026-07-28") as c:
        r = await c.call_tool("add_to_cart", {"items": [{"name": "eggs"}, {"name": "milk"}]})
        assert r.structured_content["itemCount"] == 2 and r.structured_content["cartId"]
        assert r.content[0].text.startswith("Added 1 × eggs, 1 × milk")
        assert r.meta["pier/cartVersion"] == 1
