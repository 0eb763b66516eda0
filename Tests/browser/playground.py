"""Driving the playground like a user: pick a tool, fill its form, call it, answer the confirmation."""

import json

from playwright.sync_api import Frame, Page


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
