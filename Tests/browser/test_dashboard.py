"""The dashboard in headless Chromium: sign-in (the first user Pier makes, a wrong password, sign-out), every page,
a restart from the UI with the live state, adding and removing a server, a tool call from the playground arriving
live in Activity, the stale-connector warning, ending a session, CSRF, dark mode and a 360 px screen.
Screenshots go to .build-artifacts/browser (dashboard-*.png)."""

import json
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ARTIFACTS
from playground import call_tool, open_playground
from pier_launch import ROOT, start_pier, stop_pier

TIME_SERVER = str(ROOT / ".build-peers" / "upstreams" / "bin" / "mcp-server-time")
META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "ChatGPT", "version": "test"}}


@pytest.fixture(scope="module")
def site():
    data = tempfile.mkdtemp(prefix="pier-dashboard-")
    config = Path(data) / "pier.json"
    config.write_text(json.dumps({"mcpServers": {"time": {"command": TIME_SERVER, "args": ["--local-timezone", "UTC"]}}}))
    p = start_pier(["demo", "conformance"], {"DATABASE_URL": ""}, data_dir=data, config=str(config))
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(p.base + "/ready", timeout=5):
                    break
            except urllib.error.HTTPError:
                time.sleep(0.2)
    except BaseException:
        stop_pier(p)
        raise
    p.data_dir = data
    yield p
    assert p.process.poll() is None, "pier died during the tests"
    stop_pier(p)


def mcp(url: str, method: str, params: dict | None = None):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": dict(params or {}, _meta=META)}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method}
    if method == "tools/call":
        headers["Mcp-Name"] = params["name"]
    with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=10) as r:
        return json.loads(r.read())


def watch(page):
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return problems


def sign_in(browser, site, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    problems = watch(page)
    page.goto(site.base + "/dashboard")
    assert page.url.startswith(site.base + "/dashboard/login")
    password = (Path(site.data_dir) / "initial-admin-password").read_text().strip()
    page.fill("#username", "admin")
    page.fill("#password", password)
    page.click("#login button[type=submit]")
    page.wait_for_url(site.base + "/dashboard")
    return context, page, problems


def test_sign_in_wrong_password_and_sign_out(browser, site):
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    page.goto(site.base + "/dashboard/activity")
    assert "/dashboard/login" in page.url
    assert "initial-admin-password" in page.inner_text("#hint")
    page.fill("#username", "admin")
    page.fill("#password", "not-the-password")
    page.click("#login button[type=submit]")
    assert "Wrong user name or password" in page.inner_text("#error")
    page.screenshot(path=str(ARTIFACTS / "dashboard-login.png"))
    context.close()

    context, page, problems = sign_in(browser, site, viewport={"width": 1100, "height": 800})
    cookie = next(c for c in context.cookies() if c["name"] == "pier_dashboard")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/dashboard"
    # A form POST without the CSRF token is refused, even with the session cookie.
    refused = context.request.post(site.base + "/dashboard/servers/time/stop", form={"x": "1"}, max_redirects=0)
    assert refused.status == 403
    page.click("#logout")
    page.wait_for_url("**/dashboard/login")
    page.goto(site.base + "/dashboard")
    assert "/dashboard/login" in page.url
    context.close()
    assert not problems, problems


def test_every_page_and_a_restart_from_the_ui(browser, site):
    context, page, problems = sign_in(browser, site, viewport={"width": 1280, "height": 900})
    rows = page.locator("#servers tbody tr")
    names = [rows.nth(i).get_attribute("data-server") for i in range(rows.count())]
    assert {"demo", "conformance", "time"} <= set(names)
    assert page.inner_text("tr[data-server=time] [data-field=state]") == "running"
    page.screenshot(path=str(ARTIFACTS / "dashboard-servers.png"), full_page=True)

    page.click("tr[data-server=time] button[data-action=restart]")
    page.wait_for_url("**/dashboard/servers/time?notice=restarted")
    assert page.inner_text("#notice") == "restarted"
    # The live stream brings the new state and the restart count without a reload.
    page.wait_for_function("() => document.getElementById('restarts').textContent === '1'", timeout=20000)
    page.wait_for_function("() => document.getElementById('state').textContent === 'running'", timeout=20000)
    page.screenshot(path=str(ARTIFACTS / "dashboard-server.png"), full_page=True)

    for path, marker in [("/dashboard/sessions", "#sessions"), ("/dashboard/activity", "#activity"), ("/dashboard/connectors", "section.connector")]:
        page.goto(site.base + path)
        page.wait_for_selector(marker)
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{path.rsplit('/', 1)[1]}.png"), full_page=True)
    restart = page.goto(site.base + "/dashboard/activity?kind=admin")
    assert restart.ok and "server.restart" in page.inner_text("#activity") and "user:admin" in page.inner_text("#activity")
    context.close()
    assert not problems, problems


def test_a_playground_call_appears_live_in_activity(browser, site):
    context, page, problems = sign_in(browser, site, viewport={"width": 1280, "height": 900})
    page.goto(site.base + "/dashboard/activity?kind=tool_call")
    page.wait_for_selector("body[data-ready=true]")
    before = page.locator("#activity tbody tr").count()
    with open_playground(browser, site.base) as playground:
        call_tool(playground, "echo", {"text": "from the playground"})
    page.wait_for_function("n => document.querySelectorAll('#activity tbody tr').length > n", arg=before, timeout=15000)
    newest = page.locator("#activity tbody tr").first
    assert "echo" in newest.inner_text() and "demo" in newest.inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard-activity-live.png"), full_page=True)
    context.close()
    assert not problems, problems


def test_add_remove_and_the_stale_connector_warning(browser, site):
    context, page, problems = sign_in(browser, site, viewport={"width": 1280, "height": 900})
    # "ChatGPT" fetches /mcp's tools, then the list changes under it.
    mcp(site.url, "tools/list")
    page.fill("#add-server input[name=name]", "clock")
    page.fill("#add-server input[name=command]", TIME_SERVER)
    page.fill("#add-server input[name=args]", "--local-timezone UTC")
    page.click("#add-server button[type=submit]")
    page.wait_for_url("**/dashboard?notice=added%20clock")
    page.wait_for_selector("tr[data-server=clock]")
    deadline = time.monotonic() + 30
    while "clock__get_current_time" not in json.dumps(mcp(site.url.replace("/mcp", "/connectors/readonly/mcp"), "tools/list")):
        assert time.monotonic() < deadline, "the added server's tools never arrived"
        time.sleep(0.3)
    page.goto(site.base + "/dashboard/connectors")
    main = page.locator("section[data-connector=main]")
    warning = main.locator(".stale")
    assert warning.count() == 1 and "Refresh" in warning.inner_text()
    assert any(item.startswith("ChatGPT: fetched") for item in warning.locator("li").all_inner_texts())
    assert "2 added" in warning.inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard-stale.png"), full_page=True)
    # A fresh fetch clears it for that client (the playground's older copy may still be listed).
    mcp(site.url, "tools/list")
    page.reload()
    stale = page.locator("section[data-connector=main] .stale")
    assert stale.count() == 0 or not any(item.startswith("ChatGPT:") for item in stale.locator("li").all_inner_texts())

    page.goto(site.base + "/dashboard")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("tr[data-server=clock] button[data-action=remove]")
    page.wait_for_url("**/dashboard?notice=removed%20clock")
    assert page.locator("tr[data-server=clock]").count() == 0
    context.close()
    assert not problems, problems


def test_end_a_session(browser, site):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "legacy-client", "version": "9"}}}).encode()
    request = urllib.request.Request(site.url, data=body, headers={"Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
    with urllib.request.urlopen(request, timeout=10) as r:
        session = r.headers["Mcp-Session-Id"]
    context, page, problems = sign_in(browser, site, viewport={"width": 1280, "height": 900})
    page.goto(site.base + "/dashboard/sessions")
    row = page.locator(f"tr[data-session='{session}']")
    assert "legacy-client 9" in row.inner_text()
    row.locator("button").click()
    page.wait_for_url("**/dashboard/sessions?notice=*")
    assert page.locator(f"tr[data-session='{session}']").count() == 0
    ping = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "ping"}).encode()
    gone = urllib.request.Request(site.url, data=ping, headers={"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
                                                                "Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-11-25"})
    with pytest.raises(urllib.error.HTTPError) as ended:
        urllib.request.urlopen(gone, timeout=10)
    assert ended.value.code == 404
    context.close()
    assert not problems, problems


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard/activity", "/dashboard/connectors", "/dashboard/sessions"])
def test_dark_and_narrow(browser, site, path):
    context, page, problems = sign_in(browser, site, viewport={"width": 360, "height": 780}, color_scheme="dark")
    page.goto(site.base + path)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page is wider than the screen"
    page.screenshot(path=str(ARTIFACTS / f"dashboard-dark-360{path.replace('/', '-')}.png"), full_page=True)
    context.close()
    assert not problems, problems


def test_clients_grants_and_keys_with_revoke(browser):
    """Under PIER_AUTH=oauth: a client that registered itself and the grant a user gave it, revoked from the
    dashboard (its token stops working at once); an API key, revoked."""
    import os
    import subprocess
    import sys

    sys.path.insert(0, str(ROOT / "Tests" / "interop" / "auth"))
    from oauth_flow import tokens

    data = tempfile.mkdtemp(prefix="pier-clients-")
    binary = os.environ.get("PIER_BIN", str(ROOT / ".build" / "debug" / "pier"))
    env = dict(os.environ, PIER_DATA_DIR=data, LOG_LEVEL="warning", DATABASE_URL="")
    subprocess.run([binary, "apikey", "create", "ci-bot"], env=env, check=True, capture_output=True)
    p = start_pier(["demo"], {"PIER_AUTH": "oauth", "PIER_ADMIN_USER": "ann", "PIER_ADMIN_PASSWORD": "anns-long-password", "DATABASE_URL": ""}, data_dir=data)
    try:
        client, grant = tokens(p.base, p.url, "ann", "anns-long-password")
        token = grant["access_token"]

        def listed():
            request = urllib.request.Request(p.url, data=json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": META}}).encode(),
                                             headers={"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
                                                      "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list", "Authorization": f"Bearer {token}"})
            try:
                with urllib.request.urlopen(request, timeout=10) as r:
                    return r.status
            except urllib.error.HTTPError as e:
                return e.code

        assert listed() == 200
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        problems = watch(page)
        page.goto(p.base + "/dashboard/login")
        page.fill("#username", "ann")
        page.fill("#password", "anns-long-password")
        page.click("#login button[type=submit]")
        page.wait_for_url(p.base + "/dashboard")
        page.click("nav a[href='/dashboard/clients']")
        page.wait_for_selector("#oauth-clients")
        row = page.locator(f"tr[data-client='{client['client_id']}']")
        assert "DCR" in row.inner_text() and row.locator("td").nth(4).inner_text() == "1"
        grant_row = page.locator("#grants tbody tr[data-grant]")
        assert grant_row.count() == 1 and "ann" in grant_row.inner_text() and "mcp:write" in grant_row.inner_text()
        assert "ci-bot" in page.inner_text("#keys") and "pier_" in page.inner_text("#keys")
        page.screenshot(path=str(ARTIFACTS / "dashboard-clients.png"), full_page=True)
        grant_row.locator("button").click()
        page.wait_for_url("**/dashboard/clients?notice=*")
        assert page.locator("#grants tbody tr[data-grant]").count() == 0
        assert listed() == 401, "a revoked grant's token stops working"
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator("tr[data-key=ci-bot] button").click()
        page.wait_for_url("**/dashboard/clients?notice=*")
        assert page.locator("tr[data-key=ci-bot] td").nth(3).inner_text() != ""
        page.goto(p.base + "/dashboard/activity?kind=admin")
        activity = page.inner_text("#activity")
        assert "oauth.grant.revoke" in activity and "apikey.revoke" in activity and "user:ann" in activity
        context.close()
        assert not problems, problems
    finally:
        stop_pier(p)
