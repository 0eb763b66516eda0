"""A server added and removed through the admin API reaches a 2026-07-28 client (official SDK 2.x) as
subscriptions/listen events, and its tools show in tools/list without a restart."""

import json
import time
import urllib.request

import anyio
import pytest
from conftest import admin
from mcp import Client
from mcp.client.subscriptions import ToolsListChanged
from mcp_lists import tool_names_v2

pytestmark = pytest.mark.anyio


def admin_call(host, method: str, path: str, body: dict | None = None) -> int:
    request = urllib.request.Request(
        host.api + path, method=method, data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"Bearer {admin.KEY}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as r:
        return r.status


async def test_listen_hears_servers_added_and_removed(host):
    body = {"name": "listened", "command": admin.TIME_PYTHON, "args": ["-m", "mcp_server_time"]}
    async with Client(host.pier.url, mode="2026-07-28") as c:
        async with c.listen(tools_list_changed=True) as sub:
            assert sub.honored.tools_list_changed is True
            started = time.monotonic()
            assert admin_call(host, "POST", "/servers", body) == 201
            with anyio.fail_after(5):
                while not isinstance(await sub.__anext__(), ToolsListChanged):
                    pass
                while "listened__convert_time" not in await tool_names_v2(c):
                    await anyio.sleep(0.1)
            print(f"listen event and tools {time.monotonic() - started:.2f} s after POST")
            result = await c.call_tool("listened__convert_time", {"source_timezone": "UTC", "time": "12:00", "target_timezone": "Europe/Paris"})
            assert not result.is_error
            assert admin_call(host, "DELETE", "/servers/listened") == 204
            with anyio.fail_after(5):
                while not isinstance(await sub.__anext__(), ToolsListChanged):
                    pass
            assert "listened__convert_time" not in await tool_names_v2(c)
