"""`pier doctor URL` against Pier deployed right (behind TLS, BASE_URL set), against the same Pier deployed wrong
(the lab app's undeclared origin, a missing BASE_URL, a plain http URL, tools without hints), against an OAuth
Pier, and against the official Python SDK's server: every deliberate fault is found, with its fix, and a correct
deployment passes (exit 0)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from pier_launch import ROOT, free_port, start_pier, stop_pier
from tls_proxy import TLSProxy

from gateway_launch import spawn, wait_port

BINARY = os.environ.get("PIER_BIN", str(ROOT / ".build" / "debug" / "pier"))


def doctor(url: str, *extra: str) -> tuple[int, dict]:
    done = subprocess.run([BINARY, "doctor", url, "--json", *extra], capture_output=True, text=True, timeout=120)
    return done.returncode, json.loads(done.stdout)


def levels(report: dict, check: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in report["findings"]:
        if f["check"] == check:
            found.setdefault(f["level"], []).append(f["message"])
    return found


def deployed(apps: list[str], base_url: bool = True, env: dict | None = None):
    """Pier behind a TLS proxy on https://localhost:<port>, with BASE_URL naming it (or not)."""
    port = free_port()
    proxy = TLSProxy(port)
    settings = dict(env or {})
    if base_url:
        settings["BASE_URL"] = proxy.base
    pier = start_pier(apps, settings, port=port)
    return pier, proxy


def test_a_correct_deployment_passes():
    pier, proxy = deployed(["demo", "dashboard", "gallery", "cart"])
    try:
        status, report = doctor(proxy.base + "/mcp", "--ca-file", proxy.ca_file)
        assert status == 0 and report["blocking"] is False, report
        assert report["counts"]["blocking"] == 0
        assert levels(report, "https") == {"pass": ["the URL is https", "the certificate is valid for this host"]}
        assert any("widgets readable" in m for m in levels(report, "widgets")["pass"])
        assert "warning" not in levels(report, "tools") and "warning" not in levels(report, "widgets")
        assert levels(report, "origin") == {"pass": ["a foreign Origin is refused (HTTP 403)"]}
        assert levels(report, "host") == {"pass": ["a foreign Host is refused (HTTP 421)"]}
        # The only warning: localhost is not where ChatGPT can reach it.
        assert [f["check"] for f in report["findings"] if f["level"] == "warning"] == ["url"]
        text = subprocess.run([BINARY, "doctor", proxy.base + "/mcp", "--ca-file", proxy.ca_file], capture_output=True, text=True, timeout=120).stdout
        assert "0 blocking" in text and "✔ discovery" in text
    finally:
        stop_pier(pier)
        proxy.close()


def test_an_untrusted_certificate_blocks():
    pier, proxy = deployed(["demo"])
    try:
        status, report = doctor(proxy.base + "/mcp")
        assert status == 1 and any("TLS" in m for m in levels(report, "https")["blocking"])
        assert any("Let's Encrypt" in (f["fix"] or "") for f in report["findings"])
    finally:
        stop_pier(pier)
        proxy.close()


def test_a_missing_base_url_and_the_lab_app_are_found():
    pier, proxy = deployed(["demo", "lab"], base_url=False)
    try:
        status, report = doctor(proxy.base + "/mcp", "--ca-file", proxy.ca_file)
        assert status == 1
        widgets = levels(report, "widgets")
        assert any("over plain http" in m and "127.0.0.1" in m for m in widgets["blocking"]), widgets
        assert any("BASE_URL" in (f["fix"] or "") for f in report["findings"] if f["check"] == "widgets" and f["level"] == "blocking")
        assert any("https://api.undeclared.example" in m for m in widgets["warning"]), widgets
    finally:
        stop_pier(pier)
        proxy.close()


def test_an_http_url_blocks():
    pier = start_pier(["demo"])
    try:
        status, report = doctor(pier.url)
        assert status == 1 and levels(report, "https")["blocking"][0].startswith("ChatGPT connects only to https")
        assert any("loopback" in m for m in levels(report, "url")["warning"])
        status, report = doctor("ftp://example.com/mcp")
        assert status == 1 and "not an http(s) URL" in levels(report, "url")["blocking"][0]
    finally:
        stop_pier(pier)


def test_oauth_discovery_is_followed():
    pier, proxy = deployed(["demo"], env={"PIER_AUTH": "oauth", "DATABASE_URL": "", "PIER_ADMIN_USER": "ann", "PIER_ADMIN_PASSWORD": "anns-long-password"})
    try:
        status, report = doctor(proxy.base + "/mcp", "--ca-file", proxy.ca_file)
        oauth = levels(report, "oauth")
        assert "blocking" not in oauth, oauth
        assert any("PKCE with S256" == m for m in oauth["pass"]) and any("dynamic registration" in m and "metadata documents" in m for m in oauth["pass"])
        assert any("--token" in (f["fix"] or "") for f in report["findings"] if f["check"] == "tools")
        assert status == 0
        # With a token the tools are checked too: under OAuth, Pier's tools declare their securitySchemes.
        sys.path.insert(0, str(ROOT / "Tests" / "interop" / "auth"))
        from oauth_flow import tokens
        token = tokens(pier.base, proxy.base + "/mcp", "ann", "anns-long-password")[1]["access_token"]
        status, report = doctor(proxy.base + "/mcp", "--ca-file", proxy.ca_file, "--token", token)
        assert status == 0, report
        assert any(m.endswith("tools listed") for m in levels(report, "tools")["pass"])
        assert "warning" not in levels(report, "tools"), levels(report, "tools")
        status, report = doctor(proxy.base + "/mcp", "--ca-file", proxy.ca_file, "--token", "not-a-token")
        assert status == 1 and "the given token is refused" in levels(report, "oauth")["blocking"][0]
    finally:
        stop_pier(pier)
        proxy.close()


def test_the_official_python_sdk_server():
    port = free_port()
    process = spawn("mcp2", "py2", "streamable-http", port, "--stateless")
    try:
        wait_port(port, process)
        proxy = TLSProxy(port)
        try:
            status, report = doctor(proxy.base + "/mcp", "--ca-file", proxy.ca_file)
            assert any(m.endswith("tools listed") for m in levels(report, "tools")["pass"]), report
            assert "blocking" not in levels(report, "discovery")
            # The SDK's sample tools come without the three hints ChatGPT's review wants.
            tools = levels(report, "tools")
            assert any("readOnlyHint" in m for m in tools.get("warning", [])), tools
        finally:
            proxy.close()
    finally:
        process.terminate()
        process.wait(10)
