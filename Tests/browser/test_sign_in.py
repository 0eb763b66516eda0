"""Pier's sign-in and consent page (PIER_AUTH=oauth) in headless Chromium: what it shows, a wrong password, Deny
and Allow (the redirect carries the code, state and iss), a narrow screen and dark mode. Screenshots go to
.build-artifacts/browser."""

import base64
import hashlib
import json
import secrets
import tempfile
import urllib.parse
import urllib.request

import pytest
from conftest import ARTIFACTS
from pier_launch import start_pier, stop_pier

USER, PASSWORD = "grace", "a-long-enough-password"
REDIRECT = "http://127.0.0.1:9/callback"


@pytest.fixture(scope="module")
def oauth_pier():
    p = start_pier(["demo"], {"PIER_AUTH": "oauth", "PIER_ADMIN_USER": USER, "PIER_ADMIN_PASSWORD": PASSWORD, "DATABASE_URL": ""}, data_dir=tempfile.mkdtemp())
    yield p
    stop_pier(p)


def authorize_url(base: str) -> str:
    body = json.dumps({"redirect_uris": [REDIRECT], "client_name": "Browser Test App", "token_endpoint_auth_method": "none"}).encode()
    request = urllib.request.Request(base + "/auth/register", data=body, headers={"Content-Type": "application/json"})
    client = json.loads(urllib.request.urlopen(request, timeout=10).read())
    challenge = base64.urlsafe_b64encode(hashlib.sha256(secrets.token_urlsafe(48).encode()).digest()).rstrip(b"=").decode()
    query = {
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT, "code_challenge": challenge,
        "code_challenge_method": "S256", "state": "st8", "resource": base + "/mcp", "scope": "mcp:read mcp:write",
    }
    return base + "/auth/authorize?" + urllib.parse.urlencode(query)


def test_sign_in_page(browser, oauth_pier):
    context = browser.new_context(viewport={"width": 900, "height": 800})
    page = context.new_page()
    redirects = []
    page.route("http://127.0.0.1:9/**", lambda route: (redirects.append(route.request.url), route.fulfill(status=200, body="done"))[-1])
    page.goto(authorize_url(oauth_pier.base))
    assert page.title() == "Sign in to Pier"
    text = page.inner_text("body")
    assert "Browser Test App" in text and "127.0.0.1" in text and "mcp:write" in text and oauth_pier.base + "/mcp" in text
    page.screenshot(path=str(ARTIFACTS / "sign-in.png"))
    page.fill("input[name=username]", USER)
    page.fill("input[name=password]", "not the password")
    page.click("button[value=allow]")
    assert "wrong" in page.inner_text(".error")
    page.screenshot(path=str(ARTIFACTS / "sign-in-wrong-password.png"))
    page.fill("input[name=username]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[value=allow]")
    page.wait_for_url("http://127.0.0.1:9/**")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(redirects[-1]).query)
    assert query["code"][0].startswith("pier_code_") and query["state"] == ["st8"] and query["iss"] == [oauth_pier.base]
    context.close()


def test_deny_narrow_and_dark(browser, oauth_pier):
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme="dark")
    page = context.new_page()
    redirects = []
    page.route("http://127.0.0.1:9/**", lambda route: (redirects.append(route.request.url), route.fulfill(status=200, body="done"))[-1])
    page.goto(authorize_url(oauth_pier.base))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways at 360 px ({width})"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in background[background.index("(") + 1 : background.index(")")].split(",")[:3]]
    assert max(channels) < 80, f"dark mode keeps a light background ({background})"
    page.screenshot(path=str(ARTIFACTS / "sign-in-360-dark.png"), full_page=True)
    page.click("button[value=deny]")
    page.wait_for_url("http://127.0.0.1:9/**")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(redirects[-1]).query)
    assert query["error"] == ["access_denied"] and query["iss"] == [oauth_pier.base]
    context.close()


def test_the_playground_signs_in_like_chatgpt(browser, oauth_pier):
    """Under PIER_AUTH=oauth the playground meets the 401, registers, sends the person to the sign-in page, comes back
    with the code (state and iss checked), and then lists and calls tools with its token."""
    page = browser.new_context().new_page()
    page.goto(oauth_pier.base + "/playground?tool=echo")
    page.wait_for_url("**/auth/authorize?**")
    assert "Pier playground" in page.inner_text("body")
    page.fill("input[name=username]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[value=allow]")
    page.wait_for_selector("body[data-ready=true]", timeout=15000)
    assert page.url == oauth_pier.base + "/playground", "the code is taken off the address bar"
    assert "signed in" in page.inner_text("#endpoint")
    assert "(echo)" in page.inner_text("#tool-name"), "the tool asked for before the sign-in is selected after it"
    page.fill("#form input[name=text]", "from the playground")
    page.click("#call")
    page.wait_for_function("document.getElementById('status').textContent === 'Done.'", timeout=15000)
    assert "from the playground" in page.inner_text("#response")
    page.screenshot(path=str(ARTIFACTS / "playground-signed-in.png"))
