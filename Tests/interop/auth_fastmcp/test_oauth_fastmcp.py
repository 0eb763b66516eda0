"""FastMCP 4's OAuth client against Pier's authorization server (dynamic registration, PKCE, its own loopback
callback server): the "browser" it opens signs in through Pier's form and follows the redirect to that callback."""

import threading
import time
import urllib.error
import urllib.request
import webbrowser

import pytest
from conftest import auth
from fastmcp import Client
from fastmcp.client.auth import OAuth
from oauth_flow import sign_in

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
