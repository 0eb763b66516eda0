"""The official Python SDK 2.x client (2026-07-28) through a Pier gateway to six kinds of real upstream."""

import os
import signal
import time

import anyio
import mcp_types as types
import pytest
from gateway_launch import WHO, children_of, process_group_members, tool_names, wait_for_tools
from mcp import Client

pytestmark = pytest.mark.anyio

async def all_tools(c):
    tools, cursor = [], None
    while True:
        page = await c.list_tools(cursor=cursor, cache_mode="refresh")
        tools += page.tools
        cursor = page.next_cursor
        if cursor is None:
            return tools


async def test_lists_hold_every_upstream_and_pier_s_own_tools(gateway):
    async with Client(gateway.pier.url, mode="2026-07-28") as c:
        names = []
        cursor = None
        while True:
            page = await c.list_tools(cursor=cursor, cache_mode="refresh")
            names += [t.name for t in page.tools]
            cursor = page.next_cursor
            if cursor is None:
                break
    assert "echo" in names and "add_numbers" in names
    assert {"time__get_current_time", "time__convert_time"} <= set(names)
    for server in WHO:
        assert f"{server}__echo" in names
    # Filtered: slowpoke serves only its included tool.
    assert [n for n in names if n.startswith("slowpoke__")] == ["slowpoke__slow"]
    # Deterministic order.
    assert names == sorted(names)


async def test_calls_reach_each_upstream(gateway):
    async with Client(gateway.pier.url, mode="2026-07-28") as c:
        for server, who in WHO.items():
            r = await c.call_tool(f"{server}__whoami", {})
            assert r.is_error is not True, (server, r)
            assert r.content[0].text == who
            r = await c.call_tool(f"{server}__add", {"a": 2, "b": 40})
            assert r.is_error is not True
            assert float(r.content[0].text) == 42
        r = await c.call_tool("time__get_current_time", {"timezone": "Europe/Paris"})
        assert r.is_error is not True
        assert r.structured_content["timezone"] == "Europe/Paris"


async def test_resources_and_prompts_pass_through(gateway):
    async with Client(gateway.pier.url, mode="2026-07-28") as c:
        uris = [str(r.uri) for r in (await c.list_resources()).resources]
        for server in [s for s in WHO if s != "swift"]:  # the Swift SDK upstream serves tools only
            uri = f"data://{server}/greeting"
            assert uri in uris
            read = await c.read_resource(uri)
            assert read.contents[0].text == f"greetings from {server}"
        # slowpoke and keyed are the py2 server again: whichever of the three connected first serves the URI as it
        # is, the others their copies moved under their prefixes (data://slowpoke/py2/greeting, …), and reads reach
        # the upstream as named there.
        copies = [u for u in uris if u in {f"data://{p}/py2/greeting" for p in ("py2", "slowpoke", "keyed")}]
        assert len(copies) == 2
        for uri in copies:
            assert (await c.read_resource(uri)).contents[0].text == "greetings from py2"
        prompts = [p.name for p in (await c.list_prompts()).prompts]
        assert "py1sse__greet" in prompts
        got = await c.get_prompt("py1sse__greet", {"name": "Ada"})
        assert "Ada" in got.messages[0].content.text


async def test_widget_metadata_and_resource_reach_the_client_intact(gateway):
    async with Client(gateway.pier.url, mode="2026-07-28") as c:
        tools = {t.name: t for t in await all_tools(c)}
        tool = tools["py2__show_hello"]
        uri = "ui://widget/py2-hello.html"
        assert tool.meta["ui"]["resourceUri"] == uri
        assert tool.meta["openai/outputTemplate"] == uri
        assert tool.meta["x-upstream-extra"] == {"kept": True}
        read = await c.read_resource(uri)
        assert read.contents[0].mime_type == "text/html;profile=mcp-app"
        assert "hello widget" in read.contents[0].text
        assert read.contents[0].meta["ui"]["prefersBorder"] is True
        r = await c.call_tool("py2__show_hello", {"who": "Pier"})
        assert r.content[0].text == "Hello, Pier!"


async def test_progress_is_relayed_under_the_client_s_token(gateway):
    seen = []

    async def handler(message):
        if isinstance(message, types.ProgressNotification):
            seen.append(message.params.progress)

    async with Client(gateway.pier.url, mode="2026-07-28", message_handler=handler) as c:
        for server in ["py2s", "py1", "py1sse", "stdio2"]:  # py2 answers in JSON, which carries no progress
            seen.clear()
            r = await c.call_tool(f"{server}__slow", {"seconds": 0.2}, progress_callback=lambda *a: None)
            assert r.content[0].text == "slept 0.2"
            await anyio.sleep(0.1)
            assert seen and seen[-1] == 4, (server, seen)


async def test_a_slow_upstream_past_its_timeout_is_a_tool_error(gateway):
    async with Client(gateway.pier.url, mode="2026-07-28") as c:
        started = time.monotonic()
        r = await c.call_tool("slowpoke__slow", {"seconds": 5})
        assert time.monotonic() - started < 3
        assert r.is_error is True
        assert "slowpoke" in r.content[0].text and "1 s" in r.content[0].text
        # The upstream itself keeps answering.
        assert (await c.call_tool("py2__whoami", {})).content[0].text == "py2 (mcp2)"


def stdio_child(gateway, marker: str) -> int:
    for pid in children_of(gateway.pier.process.pid):
        try:
            cmdline = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
        except OSError:
            continue
        if marker.encode() in cmdline:
            return pid
    raise AssertionError(f"no child running {marker}")


async def test_kill_9_of_a_stdio_upstream_mid_call(gateway):
    before = stdio_child(gateway, "stdio2")
    async with Client(gateway.pier.url, mode="2026-07-28") as c:
        result = {}

        async def call():
            result["r"] = await c.call_tool("stdio2__slow", {"seconds": 10})
            result["at"] = time.monotonic()

        async with anyio.create_task_group() as tg:
            tg.start_soon(call)
            await anyio.sleep(0.5)
            killed_at = time.monotonic()
            os.kill(before, signal.SIGKILL)
        assert result["r"].is_error is True
        assert result["at"] - killed_at < 1.0
        # Other upstreams keep answering meanwhile.
        assert (await c.call_tool("py2__whoami", {})).content[0].text == "py2 (mcp2)"
    # It restarts, with a new process, and is listed and callable again.
    wait_for_tools(gateway.pier.url, ["stdio2__whoami"], timeout=30)
    after = stdio_child(gateway, "stdio2")
    assert after != before
    assert process_group_members(before) == []
    async with Client(gateway.pier.url, mode="2026-07-28") as c:
        assert (await c.call_tool("stdio2__whoami", {})).content[0].text == "stdio2 (mcp2)"


async def test_an_upstream_that_is_down_drops_out_and_comes_back(gateway):
    # py1sse's server is stopped: its tools leave the list, listing still works, and they return with it.
    import subprocess

    from gateway_launch import spawn, wait_port

    index = list(gateway.ports).index("py1sse")
    process = gateway.upstreams[index]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and "py1sse__whoami" in tool_names(gateway.pier.url):
        await anyio.sleep(0.2)
    names = tool_names(gateway.pier.url)
    assert "py1sse__whoami" not in names and "py2__whoami" in names
    restarted = spawn("mcp1", "py1sse", "sse", gateway.ports["py1sse"])
    gateway.upstreams[index] = restarted
    wait_port(gateway.ports["py1sse"], restarted)
    wait_for_tools(gateway.pier.url, ["py1sse__whoami"], timeout=40)
    async with Client(gateway.pier.url, mode="2026-07-28") as c:
        assert (await c.call_tool("py1sse__whoami", {})).content[0].text == "py1sse (mcp1)"


async def test_the_read_only_connector_shows_only_read_only_tools(gateway):
    async with Client(gateway.pier.base + "/connectors/readonly/mcp", mode="auto") as c:
        assert c.server_info.name == "pier-readonly"
        tools = await all_tools(c)
        names = [t.name for t in tools]
        assert "time__get_current_time" in names and "add_numbers" in names
        assert all(t.annotations and t.annotations.read_only_hint is True for t in tools)
        assert "py2__echo" not in names
        with pytest.raises(Exception):
            await c.call_tool("py2__echo", {"text": "x"})
        r = await c.call_tool("time__get_current_time", {"timezone": "UTC"})
        assert r.is_error is not True


async def test_a_named_connector_with_a_pinned_parameter(gateway):
    async with Client(gateway.pier.base + "/connectors/clock/mcp", mode="auto") as c:
        assert c.server_info.name == "pier-clock" and c.server_info.title == "Clock"
        tools = {t.name: t for t in (await c.list_tools(cache_mode="refresh")).tools}
        assert sorted(tools) == ["paris_time", "time__convert_time"]
        assert "timezone" not in tools["paris_time"].input_schema.get("properties", {})
        assert tools["paris_time"].description == "The time in Paris."
        r = await c.call_tool("paris_time", {})
        assert r.is_error is not True and r.structured_content["timezone"] == "Europe/Paris"
        # Renamed away, and outside the connector: neither can be called through it.
        for name in ["time__get_current_time", "echo"]:
            with pytest.raises(Exception):
                await c.call_tool(name, {"timezone": "UTC", "text": "x"})


async def test_an_upstream_with_500_tools_is_paged_through(gateway):
    async with Client(gateway.pier.url, mode="2026-07-28") as c:
        names, cursor, pages = [], None, 0
        while True:
            page = await c.list_tools(cursor=cursor, cache_mode="refresh")
            pages += 1
            assert len(page.tools) <= 50
            names += [t.name for t in page.tools]
            cursor = page.next_cursor
            if cursor is None:
                break
        generated = [n for n in names if n.startswith("many__generated_")]
        assert len(generated) == 500 and len(set(names)) == len(names)
        assert pages >= 11
        r = await c.call_tool("many__generated_499", {"x": 7})
        assert r.content[0].text == "tool 499: 7"


async def test_a_wedged_stdio_upstream_is_restarted_and_reaped(gateway):
    # SIGSTOP: the process is alive but answers nothing; the health probe (every second here) must notice.
    before = stdio_child(gateway, "wedge")
    os.kill(before, signal.SIGSTOP)
    deadline = time.monotonic() + 30
    after = before
    while time.monotonic() < deadline:
        try:
            after = stdio_child(gateway, "wedge")
        except AssertionError:
            after = before
        if after != before:
            break
        await anyio.sleep(0.2)
    assert after != before, "the wedged upstream was not restarted"
    assert not os.path.exists(f"/proc/{before}"), "the wedged child was not reaped"
    wait_for_tools(gateway.pier.url, ["wedge__whoami"], timeout=30)
    async with Client(gateway.pier.url, mode="2026-07-28") as c:
        assert (await c.call_tool("wedge__whoami", {})).content[0].text == "wedge (mcp2)"


async def test_a_crash_loop_ends_failed_and_the_rest_keep_serving(gateway):
    from gateway_launch import health

    deadline = time.monotonic() + 30
    state = None
    while time.monotonic() < deadline:
        state = next(u for u in health(gateway.pier.base)["upstreams"] if u["name"] == "crashy")["state"]
        if state == "failed":
            break
        await anyio.sleep(0.2)
    assert state == "failed"
    report = health(gateway.pier.base)
    states = {u["name"]: u["state"] for u in report["upstreams"]}
    assert states["py2"] == "running" and states["time"] == "running"
    counts = {c["path"]: c["tools"] for c in report["connectors"]}
    assert counts["/connectors/clock/mcp"] == 2 and counts["/mcp"] > counts["/connectors/readonly/mcp"] > 0
    assert not [pid for pid in children_of(gateway.pier.process.pid) if b"boom" in open(f"/proc/{pid}/cmdline", "rb").read()]


@pytest.mark.parametrize("server", ["py2s", "stdio2", "py1sse"])
async def test_a_client_that_gives_up_cancels_the_upstream_call(gateway, server):
    async with Client(gateway.pier.url, mode="2026-07-28") as c:
        before = int((await c.call_tool(f"{server}__cancellations", {})).content[0].text)
        with anyio.move_on_after(0.5):
            await c.call_tool(f"{server}__slow", {"seconds": 20})
        deadline = time.monotonic() + 5
        count = before
        while time.monotonic() < deadline and count == before:
            await anyio.sleep(0.1)
            count = int((await c.call_tool(f"{server}__cancellations", {})).content[0].text)
        assert count == before + 1, f"{server} never saw the cancellation"


async def test_pier_behind_pier_keeps_its_names(gateway):
    async with Client(gateway.pier.url, mode="2026-07-28") as c:
        r = await c.call_tool("test_simple_text", {})
        assert r.content[0].text == "This is a simple text response for testing."
        r = await c.call_tool("test_structured_output", {"a": 2, "b": 40})
        assert r.structured_content == {"sum": 42}


def test_the_client_s_token_never_goes_upstream(gateway):
    from gateway_launch import modern_call

    secret = {"Authorization": "Bearer the-client-s-own-token"}
    call = lambda name: modern_call(gateway.pier.url, "tools/call", {"name": name, "arguments": {}}, headers=secret)["result"]["content"][0]["text"]
    # An upstream without credentials of its own gets none; one with its own gets exactly those.
    assert call("py2__seen_authorization") == "none"
    assert call("keyed__seen_authorization") == "Bearer upstream-token"
    assert call("stdio2__seen_authorization") == "none"
