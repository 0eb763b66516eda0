"""Widgets served by upstream MCP servers render in the playground through Pier: self-contained ones from the
Python SDK 2.x (Streamable HTTP and stdio), the 1.x SDK (HTTP+SSE) and FastMCP 4; one whose script lives on an
asset origin only Pier can reach (`"assets"`), served through Pier with the HTML and both CSP dialects rewritten to
Pier's origin; and another Pier's cart widget, hashed assets and all, the same way."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import urllib.request

from pathlib import Path

import pytest
from conftest import ARTIFACTS
from gateway_launch import modern_call, spawn, wait_for_tools, wait_port
from pier_launch import free_port, start_pier, stop_pier
from playground import call_tool, open_playground, widget


@pytest.fixture(scope="module")
def gateway_pier():
    port, art_port, asset_port, sse_port, fm_port = free_port(), free_port(), free_port(), free_port(), free_port()
    asset_dir = tempfile.mkdtemp(prefix="pier-upstream-assets-")
    with open(os.path.join(asset_dir, "app.js"), "w") as f:
        f.write("document.getElementById('card').textContent = 'assets loaded through ' + document.currentScript.src.split('/upstreams/')[0];\n")
    assets = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(asset_port), "--bind", "127.0.0.1", "--directory", asset_dir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    origin = f"http://127.0.0.1:{asset_port}"
    upstreams = [spawn("mcp2", "py2", "streamable-http", port, "--stateless"),
                 spawn("mcp2", "art", "streamable-http", art_port, "--stateless", "--assets-origin", origin),
                 spawn("mcp1", "py1sse", "sse", sse_port),
                 spawn("fastmcp", "fm", "fastmcp-http", fm_port)]
    cart = start_pier(["cart"])
    try:
        for p, process in zip([port, art_port, sse_port, fm_port], upstreams):
            wait_port(p, process)
        wait_port(asset_port, assets)
        python = str(Path(__file__).resolve().parents[2] / ".build-peers" / "mcp2" / "bin" / "python")
        server = str(Path(__file__).resolve().parents[1] / "interop" / "upstreams" / "upstream_server.py")
        config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump({"mcpServers": {
            "py2": {"url": f"http://127.0.0.1:{port}/mcp"},
            "art": {"url": f"http://127.0.0.1:{art_port}/mcp", "assets": origin},
            "py1sse": {"url": f"http://127.0.0.1:{sse_port}/sse", "type": "sse"},
            "fm": {"url": f"http://127.0.0.1:{fm_port}/mcp"},
            "stdio2": {"command": python, "args": [server, "stdio2", "stdio"]},
            "cart": {"url": cart.url, "prefix": "", "assets": cart.base},
        }}, config)
        config.close()
        pier = start_pier(["demo"], config=config.name)
        pier.asset_origin = origin
        pier.cart_origin = cart.base
        try:
            wait_for_tools(pier.url, [f"{n}__show_hello" for n in ["py2", "art", "py1sse", "fm", "stdio2"]] + ["show_cart"])
            yield pier
        finally:
            stop_pier(pier)
            os.unlink(config.name)
    finally:
        stop_pier(cart)
        for process in upstreams + [assets]:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def render(page, tool):
    # The SDK declares no hints, so the host asks before a call that may change something.
    call_tool(page, tool, {"who": "Pier"}, answer="allow-once")
    frame = widget(page)
    frame.wait_for_selector("#card")
    return frame


@pytest.mark.parametrize("server", ["py2", "py1sse", "fm", "stdio2"])
def test_an_upstream_widget_renders_in_the_playground(browser, gateway_pier, server):
    with open_playground(browser, gateway_pier.base, ARTIFACTS / f"upstream-widget-{server}.png") as page:
        frame = render(page, f"{server}__show_hello")
        assert frame.inner_text("#card") == "hello widget"


def test_an_upstream_s_assets_are_served_through_pier(browser, gateway_pier):
    uri = "ui://widget/art-hello.html"
    read = modern_call(gateway_pier.url, "resources/read", {"uri": uri})["result"]["contents"][0]
    assert f"{gateway_pier.base}/upstreams/art/app.js" in read["text"]
    assert gateway_pier.asset_origin not in read["text"]
    assert read["_meta"]["ui"]["csp"]["resourceDomains"] == [gateway_pier.base]
    assert read["_meta"]["openai/widgetCSP"]["resource_domains"] == [gateway_pier.base]
    with urllib.request.urlopen(f"{gateway_pier.base}/upstreams/art/app.js") as r:
        assert r.status == 200 and "javascript" in r.headers["Content-Type"] and r.headers["Last-Modified"]
    with open_playground(browser, gateway_pier.base, ARTIFACTS / "upstream-assets.png") as page:
        frame = render(page, "art__show_hello")
        frame.wait_for_function("() => document.getElementById('card').textContent.startsWith('assets loaded')")
        assert frame.inner_text("#card") == f"assets loaded through {gateway_pier.base}"


def test_another_pier_s_cart_widget_renders_through_pier(browser, gateway_pier):
    widgets = [r for r in modern_call(gateway_pier.url, "resources/list")["result"]["resources"] if "cart" in r["uri"]]
    assert widgets, "the upstream Pier's cart widget is listed"
    read = modern_call(gateway_pier.url, "resources/read", {"uri": widgets[0]["uri"]})["result"]["contents"][0]
    assert gateway_pier.cart_origin not in read["text"]
    assert gateway_pier.cart_origin not in json.dumps(read["_meta"])
    with open_playground(browser, gateway_pier.base, ARTIFACTS / "upstream-pier-cart.png") as page:
        call_tool(page, "show_cart")
        widget(page).wait_for_selector("#count")
