"""Driving the playground like a user: pick a tool, fill its form, call it, answer the confirmation."""

import json
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Frame, Page


@contextmanager
def open_playground(browser: Browser, base: str, screenshot: Path | None = None):
    """The playground of the Pier at `base`, loaded and ready, in a fresh 1280×900 context; on the way out a
    full-page screenshot (when asked for), and a failure if the page threw."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/playground")
    page.wait_for_selector("body[data-ready=true]", timeout=15000)
    try:
        yield page
    finally:
        if screenshot:
            page.screenshot(path=str(screenshot), full_page=True)
        context.close()
    assert not errors, f"page errors: {errors}"


def call_tool(page: Page, name: str, args: dict | None = None, answer: str | None = None) -> None:
    """Calls `name` with `args` through the form; `answer` is the confirmation button to press, if one is expected."""
    page.click(f"button[data-tool={name}]")
    for key, value in (args or {}).items():
        field = page.locator(f"#field-{key}")
        if isinstance(value, (list, dict)):
            field.fill(json.dumps(value))
        else:
            field.fill(str(value))
    before = page.locator("#response").inner_text()
    page.click("#call")
    if answer:
        page.wait_for_selector("dialog[open]")
        page.click(f"#{answer}")
    if answer != "deny":
        page.wait_for_function("before => document.getElementById('response').textContent !== before", arg=before)


def widget(page: Page) -> Frame:
    """The widget's frame, once it has rendered."""
    page.wait_for_selector("#widget-area:not([hidden])")
    frame = page.query_selector("#widget").content_frame()
    frame.wait_for_load_state()
    return frame


def set_dark(page: Page, dark: bool) -> None:
    if page.is_checked("#dark") != dark:
        page.click("#dark")
