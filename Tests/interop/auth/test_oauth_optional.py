"""Mixed auth (PIER_AUTH_OPTIONAL=/mcp): anonymous callers list and call the tools that change nothing; a tool that
needs mcp:write answers a tool error carrying the sign-in challenge in _meta["mcp/www_authenticate"], until the
caller has a token. Other endpoints still need a token."""

import json
import tempfile

import pytest
from conftest import PASSWORD, USER
from oauth_flow import mcp, tokens
from pier_launch import start_pier, stop_pier


@pytest.fixture(scope="module")
def mixed():
    p = start_pier(
        ["demo", "cart"],
        {"PIER_AUTH": "oauth", "PIER_AUTH_OPTIONAL": "/mcp", "PIER_ADMIN_USER": USER, "PIER_ADMIN_PASSWORD": PASSWORD, "DATABASE_URL": ""},
        data_dir=tempfile.mkdtemp(prefix="pier-mixed-"),
    )
    yield p
    stop_pier(p)


def test_anonymous_callers_get_public_tools_and_a_sign_in_challenge_for_the_rest(mixed):
    status, _, text = mcp(mixed.url, None, "tools/list")
    assert status == 200
    tools = {t["name"]: t for t in json.loads(text)["result"]["tools"]}
    assert tools["echo"]["securitySchemes"] == [{"type": "noauth"}, {"type": "oauth2", "scopes": ["mcp:read"]}]
    assert tools["add_to_cart"]["securitySchemes"] == [{"type": "oauth2", "scopes": ["mcp:write"]}]
    status, _, text = mcp(mixed.url, None, "tools/call", {"name": "echo", "arguments": {"text": "anonymous"}})
    assert status == 200 and json.loads(text)["result"]["content"][0]["text"] == "anonymous"
    status, _, text = mcp(mixed.url, None, "tools/call", {"name": "add_to_cart", "arguments": {"items": [{"name": "x"}]}})
    result = json.loads(text)["result"]
    assert status == 200 and result["isError"] is True
    challenge = result["_meta"]["mcp/www_authenticate"][0]
    assert challenge.startswith("Bearer ") and 'error="insufficient_scope"' in challenge and "error_description=" in challenge
    assert f'resource_metadata="{mixed.base}/.well-known/oauth-protected-resource/mcp"' in challenge
    # A bad token is still refused, and the other endpoints still need one.
    assert mcp(mixed.url, "pier_at_bogus" + "x" * 30, "tools/list")[0] == 401
    assert mcp(mixed.base + "/connectors/readonly/mcp", None, "tools/list")[0] == 401


def test_with_a_token_the_write_tool_works(mixed):
    _, granted = tokens(mixed.base, mixed.url, USER, PASSWORD)
    status, _, text = mcp(mixed.url, granted["access_token"], "tools/call", {"name": "add_to_cart", "arguments": {"items": [{"name": "x"}]}})
    assert status == 200 and not json.loads(text)["result"].get("isError")
