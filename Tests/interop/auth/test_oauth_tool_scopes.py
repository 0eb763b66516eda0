"""Per-tool scopes from the config (`PIER_TOOL_SCOPES`): a tool can need a scope of its own, which the tool then
publishes in its securitySchemes, the authorization server offers, and the resource server enforces (403 with the
step-up until the token has it)."""

import json

from conftest import PASSWORD, USER, oauth_env
from oauth_flow import call, mcp, tokens
from pier_launch import start_pier, stop_pier


def test_a_tool_can_need_its_own_scope(documents):
    pier = start_pier(["demo", "cart"], dict(oauth_env(documents), PIER_TOOL_SCOPES="add_numbers=calc:use,echo=mcp:write"))
    try:
        metadata = json.loads(call("GET", pier.base + "/.well-known/oauth-authorization-server")[2])
        assert "calc:use" in metadata["scopes_supported"]
        assert "calc:use" in json.loads(call("GET", pier.base + "/.well-known/oauth-protected-resource/mcp")[2])["scopes_supported"]
        _, plain = tokens(pier.base, pier.url, USER, PASSWORD, scope="mcp:read mcp:write")
        listed = json.loads(mcp(pier.url, plain["access_token"], "tools/list")[2])["result"]["tools"]
        schemes = {t["name"]: t["securitySchemes"] for t in listed}
        assert schemes["add_numbers"] == [{"type": "oauth2", "scopes": ["calc:use"]}] == next(t for t in listed if t["name"] == "add_numbers")["_meta"]["securitySchemes"]
        assert schemes["echo"] == [{"type": "oauth2", "scopes": ["mcp:write"]}]
        status, headers, _ = mcp(pier.url, plain["access_token"], "tools/call", {"name": "add_numbers", "arguments": {"a": 1, "b": 2}})
        assert status == 403 and 'scope="calc:use mcp:read mcp:write"' in headers["WWW-Authenticate"]
        _, read_only = tokens(pier.base, pier.url, USER, PASSWORD, scope="mcp:read")
        assert mcp(pier.url, read_only["access_token"], "tools/call", {"name": "echo", "arguments": {"text": "x"}})[0] == 403
        _, special = tokens(pier.base, pier.url, USER, PASSWORD, scope="calc:use")
        status, _, text = mcp(pier.url, special["access_token"], "tools/call", {"name": "add_numbers", "arguments": {"a": 1, "b": 2}})
        assert status == 200 and json.loads(text)["result"]["structuredContent"] == {"sum": 3}
    finally:
        stop_pier(pier)


def test_a_malformed_tool_scope_stops_start_up(documents):
    try:
        start_pier(["demo"], dict(oauth_env(documents), PIER_TOOL_SCOPES="echo=bad scope"))
    except RuntimeError as error:
        assert "PIER_TOOL_SCOPES" in str(error)
    else:
        raise AssertionError("Pier started with a malformed scope")
