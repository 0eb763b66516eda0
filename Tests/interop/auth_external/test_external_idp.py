"""PIER_AUTH=external: Pier checks an external identity provider's JWTs on every endpoint (issuer, audience per
endpoint, expiry, signature by a key from the provider's published set, found through its OpenID discovery), and
follows the provider's key rotation mid-run. The SDK 2.x client calls tools with such a token."""

import base64
import json
import sys
import time
from pathlib import Path

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "auth"))
from oauth_flow import call, mcp  # noqa: E402


def test_the_protected_resource_metadata_names_the_provider(pier, idp):
    status, _, text = call("GET", pier.base + "/.well-known/oauth-protected-resource/mcp")
    assert status == 200 and json.loads(text)["authorization_servers"] == [idp.issuer] and json.loads(text)["resource"] == pier.url
    readonly = json.loads(call("GET", pier.base + "/.well-known/oauth-protected-resource/connectors/readonly/mcp")[2])
    assert readonly["scopes_supported"] == ["mcp:read"]
    # Pier is no authorization server here.
    assert call("GET", pier.base + "/.well-known/oauth-authorization-server")[0] == 404
    assert call("POST", pier.base + "/auth/token", b"grant_type=x", {"Content-Type": "application/x-www-form-urlencoded"})[0] == 404


def test_no_token_gets_the_challenge(pier):
    status, headers, _ = mcp(pier.url, None, "tools/list")
    assert status == 401 and f'resource_metadata="{pier.base}/.well-known/oauth-protected-resource/mcp"' in headers["WWW-Authenticate"]


@pytest.mark.parametrize("kid", ["es-1", "rs-1"])
def test_a_providers_token_calls_tools(pier, idp, kid):
    token = idp.token(pier.url, kid=kid)
    status, _, text = mcp(pier.url, token, "tools/call", {"name": "echo", "arguments": {"text": "from the idp"}})
    assert status == 200 and json.loads(text)["result"]["content"][0]["text"] == "from the idp"
    status, _, text = mcp(pier.url, token, "tools/call", {"name": "add_to_cart", "arguments": {"items": [{"name": "tea"}]}})
    assert status == 200 and not json.loads(text)["result"].get("isError")


def test_bad_tokens_are_refused(pier, idp):
    good = idp.token(pier.url)
    header, payload, signature = good.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "mallory"
    forged = header + "." + base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode() + "." + signature
    unsigned = base64.urlsafe_b64encode(b'{"alg":"none","kid":"es-1"}').rstrip(b"=").decode() + "." + payload + "."
    for token, why in [
        (idp.token(pier.base + "/connectors/readonly/mcp"), "another endpoint's audience"),
        (idp.token("https://elsewhere.example/mcp"), "another audience"),
        (idp.token(pier.url, issuer="https://evil.example"), "another issuer"),
        (idp.token(pier.url, lifetime=-600), "expired"),
        (idp.token(pier.url, nbf=int(time.time()) + 3600), "not valid yet"),
        (forged, "tampered"),
        (unsigned, "unsigned"),
        ("pier_at_" + "x" * 43, "not a JWT"),
    ]:
        status, headers, _ = mcp(pier.url, token, "tools/list")
        assert status == 401, why
        assert 'error="invalid_token"' in headers["WWW-Authenticate"], why


def test_a_read_only_token_cannot_call_a_write_tool(pier, idp):
    token = idp.token(pier.url, scope="mcp:read")
    assert mcp(pier.url, token, "tools/call", {"name": "echo", "arguments": {"text": "ok"}})[0] == 200
    status, headers, _ = mcp(pier.url, token, "tools/call", {"name": "add_to_cart", "arguments": {"items": [{"name": "tea"}]}})
    assert status == 403 and 'error="insufficient_scope"' in headers["WWW-Authenticate"]
    # scp as a list works the same (some providers use it).
    listed = idp.token(pier.url, scope=None, scp=["mcp:read", "mcp:write"])
    assert mcp(pier.url, listed, "tools/call", {"name": "add_to_cart", "arguments": {"items": [{"name": "tea"}]}})[0] == 200


def test_the_read_only_connector_takes_its_own_audience(pier, idp):
    url = pier.base + "/connectors/readonly/mcp"
    status, _, text = mcp(url, idp.token(url, scope="mcp:read"), "tools/list")
    assert status == 200 and "add_to_cart" not in text and "echo" in text


@pytest.mark.anyio
async def test_the_sdk_client_calls_tools_with_the_providers_token(pier, idp):
    headers = {"Authorization": "Bearer " + idp.token(pier.url)}
    async with httpx2.AsyncClient(headers=headers) as http:
        async with Client(streamable_http_client(pier.url, http_client=http), mode="2026-07-28") as c:
            assert (await c.call_tool("echo", {"text": "sdk via idp"})).content[0].text == "sdk via idp"


def test_key_rotation_mid_run(pier, idp):
    assert mcp(pier.url, idp.token(pier.url, kid="es-1"), "tools/list")[0] == 200
    old = idp.token(pier.url, kid="es-1")
    idp.rotate("es-2")
    # Pier fetches the key set again when a token names a key it does not hold (at most every 5 s).
    time.sleep(5.5)
    status, _, text = mcp(pier.url, idp.token(pier.url, kid="es-2"), "tools/list")
    assert status == 200, text
    # The withdrawn key's tokens stop working once the new set is in.
    assert mcp(pier.url, old, "tools/list")[0] == 401
    fetches = idp.jwks_fetches
    # A flood of tokens naming unknown keys does not make Pier hammer the provider.
    for index in range(20):
        assert mcp(pier.url, idp.token(pier.url, kid="es-2", subject=f"u{index}") if index % 2 else old, "tools/list")[0] in (200, 401)
    assert idp.jwks_fetches - fetches <= 1
