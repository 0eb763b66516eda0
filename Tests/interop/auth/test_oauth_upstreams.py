"""Upstream servers' tools under PIER_AUTH=oauth: each publishes securitySchemes from the same mapping as Pier's own
(mcp:read for a read-only tool, mcp:write otherwise, or its tool_scopes override), and the resource server enforces
it. The upstreams are mcp-server-time (read-only tools) and the SDK 2.x test server (tools without hints), over stdio."""

import json
import tempfile
import time

from conftest import PASSWORD, USER, oauth_env
from oauth_flow import mcp, tokens
from pier_launch import ROOT, start_pier, stop_pier

PEERS = ROOT / ".build-peers"


def test_upstream_tools_publish_and_enforce_their_scopes(documents):
    config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump({"mcpServers": {
        "time": {"command": str(PEERS / "upstreams" / "bin" / "mcp-server-time"), "args": ["--local-timezone", "UTC"]},
        "up": {"command": str(PEERS / "mcp2" / "bin" / "python"), "args": [str(ROOT / "Tests" / "interop" / "upstreams" / "upstream_server.py"), "up", "stdio"]},
    }}, config)
    config.close()
    pier = start_pier(["demo"], dict(oauth_env(documents), PIER_TOOL_SCOPES="up__add=calc:use"), config=config.name)
    try:
        _, granted = tokens(pier.base, pier.url, USER, PASSWORD, scope="mcp:read mcp:write")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            tools = {t["name"]: t for t in json.loads(mcp(pier.url, granted["access_token"], "tools/list")[2])["result"]["tools"]}
            if "time__get_current_time" in tools and "up__echo" in tools:
                break
            time.sleep(0.3)
        assert tools["time__get_current_time"]["securitySchemes"] == [{"type": "oauth2", "scopes": ["mcp:read"]}]
        assert tools["up__echo"]["securitySchemes"] == [{"type": "oauth2", "scopes": ["mcp:write"]}] == tools["up__echo"]["_meta"]["securitySchemes"]
        assert tools["up__add"]["securitySchemes"] == [{"type": "oauth2", "scopes": ["calc:use"]}]

        _, read_only = tokens(pier.base, pier.url, USER, PASSWORD, scope="mcp:read")
        status, _, text = mcp(pier.url, read_only["access_token"], "tools/call", {"name": "time__get_current_time", "arguments": {"timezone": "UTC"}})
        assert status == 200 and not json.loads(text)["result"].get("isError"), text
        status, headers, _ = mcp(pier.url, read_only["access_token"], "tools/call", {"name": "up__echo", "arguments": {"text": "x"}})
        assert status == 403 and 'scope="mcp:read mcp:write"' in headers["WWW-Authenticate"]
        status, _, text = mcp(pier.url, granted["access_token"], "tools/call", {"name": "up__echo", "arguments": {"text": "upstream"}})
        assert status == 200 and json.loads(text)["result"]["content"][0]["text"] == "upstream"
        assert mcp(pier.url, granted["access_token"], "tools/call", {"name": "up__add", "arguments": {"a": 1, "b": 2}})[0] == 403

        # The read-only connector shows the read-only upstream tools only, to a token for it.
        url = pier.base + "/connectors/readonly/mcp"
        _, connector = tokens(pier.base, url, USER, PASSWORD, scope="mcp:read")
        names = [t["name"] for t in json.loads(mcp(url, connector["access_token"], "tools/list")[2])["result"]["tools"]]
        assert "time__get_current_time" in names and "up__echo" not in names
    finally:
        stop_pier(pier)
