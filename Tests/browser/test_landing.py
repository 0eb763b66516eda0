"""The landing page at / in headless Chromium: every MCP URL with a working copy button, the auth mode, the apps
and upstreams, the links, no script error or CSP violation, dark mode and a 360 px screen. Screenshots go to
.build-artifacts/browser."""

from conftest import ARTIFACTS


def open_landing(browser, base, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(base + "/")
    return context, page, problems


def test_landing_lists_every_url_and_copies_it(browser, pier):
    context, page, problems = open_landing(browser, pier.base, viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=pier.base)
    assert page.title() == "Pier"
    urls = page.locator("#endpoints code.url").all_inner_texts()
    assert urls == [pier.base + "/mcp", pier.base + "/connectors/readonly/mcp"]
    main = page.locator("tr[data-endpoint=main]")
    tools = int(main.locator("td").nth(2).inner_text().split()[0])
    assert tools >= 9
    assert "read-only" in page.locator("tr[data-endpoint=readonly]").inner_text()
    main.locator("button.copy").click()
    page.wait_for_function("() => document.querySelector('tr[data-endpoint=main] button.copy').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == pier.base + "/mcp"
    assert "anyone who can reach" in page.inner_text("#auth")
    apps = page.inner_text("#apps")
    for app in ["demo", "dashboard", "gallery", "cart", "lab"]:
        assert app in apps
    assert "loopback" in page.inner_text("main")
    page.click("header a[href$='/playground']")
    page.wait_for_url(pier.base + "/playground")
    page.go_back()
    page.screenshot(path=str(ARTIFACTS / "landing.png"), full_page=True)
    context.close()
    assert not problems, problems


def test_landing_dark_and_narrow(browser, pier):
    context, page, problems = open_landing(browser, pier.base, viewport={"width": 360, "height": 780}, color_scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)", background
    # Nothing wider than the screen: the URLs wrap.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "landing-dark-360.png"), full_page=True)
    context.close()
    assert not problems, problems


def test_landing_with_base_url_and_a_failing_upstream(browser, tmp_path):
    """BASE_URL pins the URLs (https: no reachability note), connectors and upstreams show, with an upstream's error."""
    import json

    from pier_launch import start_pier, stop_pier

    config = tmp_path / "pier.json"
    config.write_text(json.dumps({
        "mcpServers": {"broken": {"command": "/nonexistent/mcp-server"}},
        "connectors": {"demo-only": {"servers": ["demo"]}},
    }))
    pier = start_pier(["demo"], {"BASE_URL": "https://pier.example.com"}, config=str(config))
    try:
        context, page, problems = open_landing(browser, pier.base, viewport={"width": 1100, "height": 900})
        urls = page.locator("#endpoints code.url").all_inner_texts()
        assert urls == ["https://pier.example.com/mcp", "https://pier.example.com/connectors/readonly/mcp", "https://pier.example.com/connectors/demo-only/mcp"]
        assert "from BASE_URL" in page.inner_text("main") and page.locator("p.note").count() == 0
        page.wait_for_timeout(300)
        page.reload()
        broken = page.locator("li[data-upstream=broken]")
        assert "broken" in broken.inner_text()
        assert broken.locator(".state.bad").count() == 1
        page.screenshot(path=str(ARTIFACTS / "landing-upstream.png"), full_page=True)
        context.close()
        assert not problems, problems
    finally:
        stop_pier(pier)
