"""The SDK 1.x client's OAuth against Pier's authorization server, in a handshake-era (2025-11-25) session: the
token's principal reaches every call of the session, and the scope check holds there too."""

import tempfile
import urllib.parse

import httpx
import pytest
from conftest import auth
from mcp import ClientSession
from mcp.client.auth import OAuthClientProvider
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamablehttp_client
from mcp.shared.auth import OAuthClientMetadata
from oauth_flow import REDIRECT, TokenMemory, sign_in, tokens
from pier_launch import start_pier, stop_pier

pytestmark = pytest.mark.anyio


async def test_sdk1_signs_in_and_keeps_a_session(pier):
    answer = {}

    async def redirect_handler(url: str) -> None:
        status, headers, text = sign_in(url, auth.USER, auth.PASSWORD)
        assert status == 302, text
        answer.update({k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(headers["Location"]).query).items()})

    async def callback_handler():
        assert answer["iss"] == pier.base
        return answer["code"], answer.get("state")

    storage = TokenMemory()
    provider = OAuthClientProvider(
        server_url=pier.url,
        client_metadata=OAuthClientMetadata(
            redirect_uris=[REDIRECT], client_name="SDK 1.x test", grant_types=["authorization_code", "refresh_token"], response_types=["code"],
            token_endpoint_auth_method="none"),
        storage=storage, redirect_handler=redirect_handler, callback_handler=callback_handler)
    async with streamablehttp_client(pier.url, auth=provider) as (read, write, session_id), ClientSession(read, write) as s:
        init = await s.initialize()
        assert init.protocolVersion.startswith("2025") and session_id()
        assert (await s.call_tool("echo", {"text": "legacy"})).content[0].text == "legacy"
        added = await s.call_tool("add_to_cart", {"items": [{"name": "tea"}]})
        assert not added.isError
    assert storage.tokens.access_token.startswith("pier_at_")
    # The session's id alone is not enough: a request without the token is refused.
    status = httpx.post(pier.url, json={"jsonrpc": "2.0", "id": 9, "method": "tools/list"}, headers={"Mcp-Session-Id": session_id() or "x", "Accept": "application/json"}).status_code
    assert status == 401


async def test_mixed_auth_over_the_2024_11_05_sse_transport(documents):
    """On an optional endpoint, the SDK 1.x client over HTTP+SSE calls public tools anonymously and gets the sign-in
    tool error (on the stream, as every answer of that transport) for a write tool; with a token it calls both."""
    mixed = start_pier(["demo", "cart"], dict(auth.oauth_env(documents), PIER_AUTH_OPTIONAL="/mcp"), data_dir=tempfile.mkdtemp(prefix="pier-mixed-sse-"))
    try:
        async with sse_client(mixed.base + "/sse") as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                assert (await session.call_tool("echo", {"text": "anonymous"})).content[0].text == "anonymous"
                refused = await session.call_tool("add_to_cart", {"items": [{"name": "tea"}]})
                assert refused.isError
                challenge = refused.meta["mcp/www_authenticate"][0]
                assert 'error="insufficient_scope"' in challenge and "/.well-known/oauth-protected-resource/mcp" in challenge
        _, granted = tokens(mixed.base, mixed.url, auth.USER, auth.PASSWORD)
        async with sse_client(mixed.base + "/sse", headers={"Authorization": "Bearer " + granted["access_token"]}) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                assert not (await session.call_tool("add_to_cart", {"items": [{"name": "tea"}]})).isError
    finally:
        stop_pier(mixed)
