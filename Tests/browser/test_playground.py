"""The playground in headless Chromium: tools, confirmations, the cart widget through the MCP Apps bridge, state
kept across reloads, themes, widths, window.openai, and CSP enforcement."""

import pytest
from conftest import ARTIFACTS
from playground import call_tool, set_dark, widget


def items(frame):
    return {li.get_attribute("data-item"): int(li.query_selector(".qty").inner_text()) for li in frame.query_selector_all("#items li")}


def test_tools_are_listed_with_annotations_and_security_schemes(page):
    assert int(page.inner_text("#tool-count")) >= 10
    add = page.inner_text("button[data-tool=add_to_cart]")
    assert "writes" in add and "auth: noauth" in add and "widget" in add
    assert "read-only" in page.inner_text("button[data-tool=show_cart]")
    assert "destructive" in page.inner_text("button[data-tool=checkout]")
    assert "app only" in page.inner_text("button[data-tool=dashboard_stats]")


def test_cart_round_trip_through_the_bridge_and_a_reload(page, pier):
    call_tool(page, "add_to_cart", {"items": [{"name": "eggs"}, {"name": "milk"}]}, answer="allow-once")
    assert '"method": "tools/call"' in page.inner_text("#request")
    assert "structuredContent" in page.inner_text("#response")
    frame = widget(page)
    frame.wait_for_selector("li[data-item=milk]")
    assert items(frame) == {"eggs": 1, "milk": 1}

    # A widget button calls add_to_cart through the MCP Apps bridge; the host asks first.
    frame.click("li[data-item=eggs] >> button[aria-label='Add one eggs']")
    page.wait_for_selector("dialog[open]")
    assert "Allow Add to cart?" in page.inner_text("#confirm-title")
    page.click("#allow-once")
    frame.wait_for_function("() => document.querySelector('li[data-item=eggs] .qty').textContent === '2'")
    assert "← tools/call" in page.inner_text("#bridge-log")

    # Denied: nothing changes, and the widget says why.
    frame.click("li[data-item=milk] >> button[aria-label='Remove every milk']")
    page.wait_for_selector("dialog[open]")
    page.click("#deny")
    frame.wait_for_selector("#error:not([hidden])")
    assert "denied" in frame.inner_text("#error")
    assert items(frame) == {"eggs": 2, "milk": 1}

    # The cart lives in Pier's store, keyed by the widget session: a reload finds it.
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    call_tool(page, "show_cart")
    frame = widget(page)
    frame.wait_for_selector("li[data-item=milk]")
    assert items(frame) == {"eggs": 2, "milk": 1}
    page.screenshot(path=str(ARTIFACTS / "cart-after-reload.png"), full_page=True)


def test_always_allow_skips_later_confirmations(page):
    call_tool(page, "add_to_cart", {"items": [{"name": "bread"}]}, answer="allow-always")
    call_tool(page, "add_to_cart", {"items": [{"name": "butter"}]})
    assert not page.is_visible("dialog[open]")
    assert "butter" in items(widget(page))


def test_dark_theme_reaches_the_widget_and_window_openai(page):
    call_tool(page, "show_cart")
    frame = widget(page)
    frame.wait_for_function("() => window.openai && window.openai.toolOutput && Array.isArray(window.openai.toolOutput.items)")
    frame.evaluate("() => { window.__globals = []; window.addEventListener('openai:set_globals', e => window.__globals.push(e.detail.globals)); }")
    set_dark(page, True)
    frame.wait_for_function("() => document.documentElement.dataset.theme === 'dark'")
    assert frame.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(17, 19, 21)"
    frame.wait_for_function("() => window.__globals.some(g => g.theme === 'dark') && window.openai.theme === 'dark'")
    set_dark(page, False)
    frame.wait_for_function("() => document.documentElement.dataset.theme === 'light'")


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("tool,ready", [("show_cart", "#count"), ("show_dashboard", "#uptime"), ("list_widgets", "#widgets li")])
def test_every_widget_renders_in_both_themes_at_both_widths(page, tool, ready, theme, width):
    page.set_viewport_size({"width": width, "height": 900})
    set_dark(page, theme == "dark")
    call_tool(page, tool)
    frame = widget(page)
    frame.wait_for_selector(ready)
    frame.wait_for_function(f"() => document.documentElement.dataset.theme === '{theme}'")
    overflow = frame.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{tool} overflows by {overflow}px at {width}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"{tool}-{theme}-{width}.png"), full_page=True)


def test_dashboard_refreshes_through_an_app_only_tool(page):
    call_tool(page, "show_dashboard")
    frame = widget(page)
    frame.wait_for_selector("#recent li")
    before = int(frame.inner_text("#calls"))
    frame.click("#refresh")
    frame.wait_for_function(f"() => Number(document.getElementById('calls').textContent) > {before}")
    assert "dashboard_stats" in page.inner_text("#request")


def test_gallery_lists_every_widget_and_previews_one(page):
    call_tool(page, "list_widgets")
    frame = widget(page)
    frame.wait_for_selector("li[data-widget=cart]")
    names = {li.get_attribute("data-widget") for li in frame.query_selector_all("#widgets li")}
    assert {"cart", "dashboard", "gallery", "csp-probe"} <= names
    frame.click("button[aria-label='Preview Shopping cart']")
    preview = frame.wait_for_selector("#frame").content_frame()
    preview.wait_for_selector("li[data-item=eggs]")
    assert preview.inner_text("#count") == "14 items"


def test_an_undeclared_origin_is_blocked_and_shown(page):
    call_tool(page, "csp_probe")
    frame = widget(page)
    frame.wait_for_selector("#outcome.error")
    page.wait_for_selector("#violations li")
    violation = page.inner_text("#violations")
    assert "connect-src" in violation and "api.undeclared.example" in violation


def test_follow_up_message_and_display_mode_through_the_bridge(page):
    call_tool(page, "add_to_cart", {"items": [{"name": "flour"}]}, answer="allow-always")
    frame = widget(page)
    frame.wait_for_selector("li[data-item=flour]")
    frame.click("#ideas")
    page.wait_for_selector("#messages li")
    assert "Suggest a recipe I can make with" in page.inner_text("#messages") and "flour" in page.inner_text("#messages")
    frame.click("#expand")
    page.wait_for_function("() => document.getElementById('display-mode').textContent === 'fullscreen'")
    assert page.evaluate("() => document.getElementById('frame-wrap').classList.contains('fullscreen')")
    frame.wait_for_function("() => document.getElementById('expand').textContent === 'Close'")
    page.screenshot(path=str(ARTIFACTS / "cart-fullscreen.png"))
    frame.click("#expand")
    page.wait_for_function("() => document.getElementById('display-mode').textContent === 'inline'")


def test_widgets_work_on_an_older_host_with_window_openai_only(page):
    page.select_option("#host-api", "openai")
    call_tool(page, "add_to_cart", {"items": [{"name": "rice"}]}, answer="allow-always")
    frame = widget(page)
    frame.wait_for_selector("li[data-item=rice]", timeout=10000)
    assert "ui/initialize" not in page.inner_text("#bridge-log")
    frame.click("li[data-item=rice] >> button[aria-label='Add one rice']")
    frame.wait_for_function("() => document.querySelector('li[data-item=rice] .qty').textContent === '2'")
    assert frame.evaluate("() => window.openai.widgetState.items.some(i => i.name === 'rice')")
    set_dark(page, True)
    frame.wait_for_function("() => document.documentElement.dataset.theme === 'dark'")
    frame.click("#ideas")
    page.wait_for_selector("#messages li")
    page.select_option("#host-api", "apps")
