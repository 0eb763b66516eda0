"""A live Pier with the widget apps, and headless Chromium (Debian's, driven by Playwright) pointed at it."""

import os
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from playground import open_playground

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from pier_launch import ROOT, start_pier, stop_pier  # noqa: E402

APPS = ["demo", "dashboard", "gallery", "cart", "lab"]
ARTIFACTS = Path(os.environ.get("PIER_ARTIFACTS", ROOT / ".build-artifacts")) / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def pier():
    p = start_pier(APPS)
    yield p
    assert p.process.poll() is None, "pier died during the tests"
    stop_pier(p)


@pytest.fixture(scope="session")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, pier, request):
    with open_playground(browser, pier.base, ARTIFACTS / f"{request.node.name}.png") as page:
        yield page
