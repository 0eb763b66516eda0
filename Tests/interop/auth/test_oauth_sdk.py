"""The official Python SDK 2.x client's OAuth, end to end against Pier's own authorization server: the 401, the
protected-resource and authorization-server metadata, dynamic client registration, PKCE, the sign-in form (filled
in headlessly), the token with `iss` checked, then tool calls; on /mcp and on the read-only connector."""

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from oauth_flow import TokenMemory
from sdk_provider import provider

pytestmark = pytest.mark.anyio


async def test_sdk_signs_in_with_dcr_and_calls_tools(pier):
    storage = TokenMemory()
    async with httpx2.AsyncClient(auth=provider(pier.url, storage)) as http:
        async with Client(streamable_http_client(pier.url, http_client=http), mode="2026-07-28") as c:
            names = [t.name for t in (await c.list_tools()).tools]
            assert "echo" in names and "add_to_cart" in names
            assert (await c.call_tool("echo", {"text": "signed in"})).content[0].text == "signed in"
            result = await c.call_tool("add_to_cart", {"items": [{"name": "eggs", "quantity": 2}]})
            assert not result.is_error
    assert storage.client.client_id.startswith("pier_client_") and storage.tokens.access_token.startswith("pier_at_")
    assert set(storage.tokens.scope.split()) == {"mcp:read", "mcp:write"}


async def test_sdk_signs_in_to_the_read_only_connector(pier):
    url = pier.base + "/connectors/readonly/mcp"
    storage = TokenMemory()
    async with httpx2.AsyncClient(auth=provider(url, storage)) as http:
        async with Client(streamable_http_client(url, http_client=http), mode="2026-07-28") as c:
            names = [t.name for t in (await c.list_tools()).tools]
            assert "echo" in names and "add_to_cart" not in names
            assert (await c.call_tool("echo", {"text": "read only"})).content[0].text == "read only"
    assert storage.tokens.scope == "mcp:read"
