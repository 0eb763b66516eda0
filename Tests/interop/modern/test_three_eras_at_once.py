"""A 2024-11-05 (HTTP+SSE), a 2025-11-25 (initialize) and a 2026-07-28 (stateless) client on one running Pier at once."""

import anyio
import pytest
from mcp import Client
from mcp.client.sse import sse_client

pytestmark = pytest.mark.anyio


async def test_three_eras_share_one_pier(pier):
    results = {}

    async def run(name, client):
        async with client as c:
            results[name + "-version"] = c.protocol_version
            for i in range(20):
                r = await c.call_tool("echo", {"text": f"{name}-{i}"})
                assert r.content[0].text == f"{name}-{i}"
            with anyio.move_on_after(0.3):
                await c.call_tool("test_slow_operation", {"seconds": 0.2})
            results[name] = "ok"

    async with anyio.create_task_group() as tg:
        tg.start_soon(run, "sse", Client(sse_client(pier.base + "/sse"), mode="legacy"))
        tg.start_soon(run, "handshake", Client(pier.url, mode="legacy"))
        tg.start_soon(run, "modern", Client(pier.url, mode="2026-07-28"))
    assert results["sse"] == results["handshake"] == results["modern"] == "ok"
    assert results["modern-version"] == "2026-07-28"
    assert results["handshake-version"] == "2025-11-25"
    assert results["sse-version"] == "2025-11-25"
