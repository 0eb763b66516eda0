"""FastMCP 4's OAuth client against Pier's authorization server (dynamic registration, PKCE, its own loopback
callback server): the "browser" it opens signs in through Pier's form and follows the redirect to that callback."""

import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import webbrowser

import httpx2
import jwt
import pytest
from conftest import auth
from cryptography.hazmat.primitives.asymmetric import ec
from fastmcp import Client
from fastmcp.client.auth import OAuth
from jwt.algorithms import ECAlgorithm
from oauth_flow import sign_in
from pier_launch import free_port

pytestmark = pytest.mark.anyio


def headless_browser(url: str) -> bool:
    """What webbrowser.open does here: sign in as a person would, then deliver the redirect to FastMCP's callback."""

    def visit():
        status, headers, text = sign_in(url, auth.USER, auth.PASSWORD)
        assert status == 302, text
        location = headers["Location"]
        assert "iss=" in location
        for _ in range(100):  # the callback server starts just after the browser opens
            try:
                urllib.request.urlopen(location, timeout=5).read()
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)

    threading.Thread(target=visit, daemon=True).start()
    return True


async def test_fastmcp_signs_in_and_calls_tools(pier, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", headless_browser)
    async with Client(pier.url, auth=OAuth(client_name="FastMCP test")) as client:
        names = [t.name for t in await client.list_tools()]
        assert "echo" in names and "add_to_cart" in names
        result = await client.call_tool("echo", {"text": "from fastmcp"})
        assert result.content[0].text == "from fastmcp"
        added = await client.call_tool("add_to_cart", {"items": [{"name": "bread"}]})
        assert not added.is_error
    # The read-only connector: its own registration and token, read-only tools only.
    async with Client(pier.base + "/connectors/readonly/mcp", auth=OAuth(client_name="FastMCP read-only test")) as client:
        names = [t.name for t in await client.list_tools()]
        assert "echo" in names and "add_to_cart" not in names
        assert (await client.call_tool("echo", {"text": "read only"})).content[0].text == "read only"


class SignedOAuth(OAuth):
    """FastMCP's OAuth with private_key_jwt: each token request carries an ES256 client assertion (RFC 7523), the
    part the SDK leaves to "the provider that implements it"."""

    def __init__(self, *args, key=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        self.assertions = 0

    def signed(self, request):
        fields = dict(urllib.parse.parse_qsl(request.content.decode()))
        now = int(time.time())
        client_id = fields["client_id"]
        claims = {"iss": client_id, "sub": client_id, "aud": str(request.url), "iat": now, "exp": now + 60, "jti": secrets.token_urlsafe(16)}
        fields["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        fields["client_assertion"] = jwt.encode(claims, self.key, algorithm="ES256", headers={"kid": "fastmcp-key"})
        self.assertions += 1
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("content-length",)}
        return httpx2.Request("POST", request.url, data=fields, headers=headers)

    async def _exchange_token_authorization_code(self, auth_code, code_verifier):
        return self.signed(await super()._exchange_token_authorization_code(auth_code, code_verifier))

    async def _refresh_token(self):
        return self.signed(await super()._refresh_token())


async def test_fastmcp_signs_in_with_a_metadata_document_and_private_key_jwt(pier, documents, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", headless_browser)
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = dict(json.loads(ECAlgorithm.to_jwk(key.public_key())), kid="fastmcp-key", use="sig", alg="ES256")
    port = free_port()
    client_id = documents.url("/fastmcp/client.json")
    documents.serve("/fastmcp/client.json", {
        "client_id": client_id, "client_name": "FastMCP CIMD test", "redirect_uris": [f"http://localhost:{port}/callback"],
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
        "token_endpoint_auth_method": "private_key_jwt", "jwks": {"keys": [jwk]}})
    oauth = SignedOAuth(client_metadata_url=client_id, callback_port=port, key=key)
    for url in (pier.url, pier.base + "/connectors/readonly/mcp"):
        async with Client(url, auth=SignedOAuth(client_metadata_url=client_id, callback_port=port, key=key) if url != pier.url else oauth) as client:
            result = await client.call_tool("echo", {"text": "fastmcp by document"})
            assert result.content[0].text == "fastmcp by document"
            names = [t.name for t in await client.list_tools()]
            assert ("add_to_cart" in names) == (url == pier.url)
    assert oauth.assertions >= 1 and documents.fetches["/fastmcp/client.json"] >= 1
    # A registration never happened: the client id is the document's URL.
    assert oauth.context.client_info.client_id == client_id
