"""Widgets served by an upstream MCP server (the Python SDK 2.x) render in the playground through Pier: one
self-contained, and one whose script lives on an asset origin only Pier can reach (`"assets"`), served through
Pier with the HTML and both CSP dialects rewritten to Pier's origin."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import urllib.request

import pytest
from conftest import ARTIFACTS
from gateway_launch import modern_call, spawn, wait_for_tools, wait_port
from pier_launch import free_port, start_pier, stop_pier
from playground import call_tool, widget


@pytest.fixture(scope="module")
def gateway_pier():
    port, art_port, asset_port = free_port(), free_port(), free_port()
    asset_dir = tempfile.mkdtemp(prefix="pier-upstream-assets-")
    with open(os.path.join(asset_dir, "app.js"), "w") as f:
        f.write("document.getElementById('card').textContent = 'assets loaded through ' + document.currentScript.src.split('/upstreams/')[0];\n")
    assets = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(asset_port), "--bind", "127.0.0.1", "--directory", asset_dir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    origin = f"http://127.0.0.1:{asset_port}"
    upstreams = [spawn("mcp2", "py2", "streamable-http", port, "--stateless"),
                 spawn("mcp2", "art", "streamable-http", art_port, "--stateless", "--assets-origin", origin)]
    try:
        wait_port(port, upstreams[0])
        wait_port(art_port, upstreams[1])
        wait_port(asset_port, assets)
        config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump({"mcpServers": {"py2": {"url": f"http://127.0.0.1:{port}/mcp"},
                                  "art": {"url": f"http://127.0.0.1:{art_port}/mcp", "assets": origin}}}, config)
        config.close()
        pier = start_pier(["demo"], config=config.name)
        pier.asset_origin = origin
        try:
            wait_for_tools(pier.url, ["py2__show_hello", "art__show_hello"])
            yield pier
        finally:
            stop_pier(pier)
            os.unlink(config.name)
    finally:
        for process in upstreams + [assets]:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def render(browser, pier, tool, name):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(pier.base + "/playground")
    page.wait_for_selector("body[data-ready=true]", timeout=15000)
    # The SDK declares no hints, so the host asks before a call that may change something.
    call_tool(page, tool, {"who": "Pier"}, answer="allow-once")
    frame = widget(page)
    frame.wait_for_selector("#card")
    return context, page, frame, errors


def test_an_upstream_widget_renders_in_the_playground(browser, gateway_pier):
    context, page, frame, errors = render(browser, gateway_pier, "py2__show_hello", "upstream-widget")
    assert frame.inner_text("#card") == "hello widget"
    page.screenshot(path=str(ARTIFACTS / "upstream-widget.png"), full_page=True)
    context.close()
    assert not errors, f"page errors: {errors}"


def test_an_upstream_s_assets_are_served_through_pier(browser, gateway_pier):
    uri = "ui://widget/art-hello.html"
    read = modern_call(gateway_pier.url, "resources/read", {"uri": uri})["result"]["contents"][0]
    assert f"{gateway_pier.base}/upstreams/art/app.js" in read["text"]
    assert gateway_pier.asset_origin not in read["text"]
    assert read["_meta"]["ui"]["csp"]["resourceDomains"] == [gateway_pier.base]
    assert read["_meta"]["openai/widgetCSP"]["resource_domains"] == [gateway_pier.base]
    with urllib.request.urlopen(f"{gateway_pier.base}/upstreams/art/app.js") as r:
        assert r.status == 200 and "javascript" in r.headers["Content-Type"] and r.headers["Last-Modified"]
    context, page, frame, errors = render(browser, gateway_pier, "art__show_hello", "upstream-assets")
    frame.wait_for_function("() => document.getElementById('card').textContent.startsWith('assets loaded')")
    assert frame.inner_text("#card") == f"assets loaded through {gateway_pier.base}"
    page.screenshot(path=str(ARTIFACTS / "upstream-assets.png"), full_page=True)
    context.close()
    assert not errors, f"page errors: {errors}"
