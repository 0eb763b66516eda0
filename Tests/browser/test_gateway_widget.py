"""A widget served by an upstream MCP server (the Python SDK 2.x) renders in the playground through Pier."""

import json
import os
import signal
import tempfile

import pytest
from conftest import ARTIFACTS
from gateway_launch import spawn, wait_for_tools, wait_port
from pier_launch import free_port, start_pier, stop_pier
from playground import call_tool, widget


@pytest.fixture(scope="module")
def gateway_pier():
    port = free_port()
    upstream = spawn("mcp2", "py2", "streamable-http", port, "--stateless")
    try:
        wait_port(port, upstream)
        config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump({"mcpServers": {"py2": {"url": f"http://127.0.0.1:{port}/mcp"}}}, config)
        config.close()
        pier = start_pier(["demo"], config=config.name)
        try:
            wait_for_tools(pier.url, ["py2__show_hello"])
            yield pier
        finally:
            stop_pier(pier)
            os.unlink(config.name)
    finally:
        os.killpg(upstream.pid, signal.SIGKILL)
        upstream.wait(timeout=10)


def test_an_upstream_widget_renders_in_the_playground(browser, gateway_pier):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(gateway_pier.base + "/playground")
    page.wait_for_selector("body[data-ready=true]", timeout=15000)
    # The SDK declares no hints, so the host asks before a call that may change something.
    call_tool(page, "py2__show_hello", {"who": "Pier"}, answer="allow-once")
    frame = widget(page)
    frame.wait_for_selector("#card")
    assert frame.inner_text("#card") == "hello widget"
    page.screenshot(path=str(ARTIFACTS / "upstream-widget.png"), full_page=True)
    context.close()
    assert not errors, f"page errors: {errors}"
