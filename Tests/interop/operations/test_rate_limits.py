"""Rate limits keyed on identity — the token's subject, else the client's address (behind a trusted proxy, the
first X-Forwarded-For) — never the session. Over the limit: 429 with Retry-After and a JSON-RPC error a client
can show; the other callers go on. On PostgreSQL, two instances count against one limit."""

import concurrent.futures
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import anyio
import httpx2 as httpx
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from metrics import scrape, value
from pier_launch import ROOT, start_pier, stop_pier

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "auth"))
from oauth_flow import tokens  # noqa: E402

MODERN = {"MCP-Protocol-Version": "2026-07-28", "Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
LIMIT_CODE = -32029


def echo(url: str, headers: dict, i: int = 1, tool: str = "echo") -> httpx.Response:
    body = {"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {"name": tool, "arguments": {"text": "x"}, "_meta": META}}
    with httpx.Client(timeout=10) as client:
        return client.post(url, headers=dict(MODERN, **{"Mcp-Method": "tools/call", "Mcp-Name": tool}, **headers), json=body)


def load(urls: list[str], callers: dict[str, int]) -> dict[str, list[httpx.Response]]:
    """`callers[address]` requests from each address at once, spread over `urls`; the answers by address."""
    jobs = [(address, n) for address, count in callers.items() for n in range(count)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda job: (job[0], echo(urls[job[1] % len(urls)], {"X-Forwarded-For": job[0]}, job[1])), jobs))
    by_caller: dict[str, list[httpx.Response]] = {address: [] for address in callers}
    for address, answer in answers:
        by_caller[address].append(answer)
    return by_caller


def check_refusal(r: httpx.Response) -> None:
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) >= 1
    error = r.json()["error"]
    assert error["code"] == LIMIT_CODE and "Rate limit exceeded" in error["message"] and error["data"]["retryAfterSeconds"] >= 1


def test_only_the_caller_over_the_limit_gets_429():
    p = start_pier(["demo"], {"RATE_LIMIT_PER_MINUTE": "30", "PIER_TRUST_FORWARDED": "true"})
    try:
        answers = load([p.url], {"10.0.0.1": 60, "10.0.0.2": 10, "10.0.0.3": 25})
        heavy = answers["10.0.0.1"]
        ok = [r for r in heavy if r.status_code == 200]
        refused = [r for r in heavy if r.status_code != 200]
        # A bucket of 30; the test takes a second or two, in which about one more token comes back.
        assert 30 <= len(ok) <= 33, [r.status_code for r in heavy]
        for r in refused:
            check_refusal(r)
        assert all(r.status_code == 200 for r in answers["10.0.0.2"] + answers["10.0.0.3"])
        assert value(scrape(p.base), "pier_rate_limited_total", endpoint="main", limit="caller") == len(refused)
    finally:
        stop_pier(p)


def test_the_tool_limit_is_per_caller_and_tool_and_reaches_the_client_as_an_error():
    p = start_pier(["demo", "conformance"], {"TOOL_RATE_LIMIT": "5", "PIER_TRUST_FORWARDED": "true"})
    try:
        a = {"X-Forwarded-For": "10.1.0.1"}
        answers = [echo(p.url, a, i) for i in range(8)]
        assert [r.status_code for r in answers] == [200] * 5 + [429] * 3
        for i, r in enumerate(answers[5:], start=5):
            check_refusal(r)
            assert r.json()["id"] == i and r.json()["error"]["data"]["tool"] == "echo"
        # Another tool, and another caller, have their own buckets.
        assert echo(p.url, a, 9, tool="test_simple_text").status_code == 200
        assert echo(p.url, {"X-Forwarded-For": "10.1.0.2"}, 10).status_code == 200

        # What the official SDK 2.x client makes of it: an error carrying the message (the client's address is the
        # peer's here, a fresh bucket).
        async def sdk():
            async with Client(p.url, mode="2026-07-28") as client:
                for _ in range(5):
                    await client.call_tool("echo", {"text": "y"})
                with pytest.raises(MCPError) as refused:
                    await client.call_tool("echo", {"text": "y"})
                assert "Rate limit exceeded for echo" in str(refused.value)

        anyio.run(sdk)
        assert value(scrape(p.base), "pier_rate_limited_total", endpoint="main", limit="tool") == 4
    finally:
        stop_pier(p)


def test_the_key_is_the_token_subject_not_the_session():
    data = tempfile.mkdtemp(prefix="pier-limits-")
    binary = os.environ.get("PIER_BIN", str(ROOT / ".build" / "debug" / "pier"))
    env = dict(os.environ, PIER_DATA_DIR=data, LOG_LEVEL="warning", DATABASE_URL="")
    subprocess.run([binary, "users", "add", "bob"], input=b"bobs-long-password\n", env=env, check=True, capture_output=True)
    p = start_pier(["demo"], {"PIER_AUTH": "oauth", "PIER_ADMIN_USER": "ann", "PIER_ADMIN_PASSWORD": "anns-long-password", "DATABASE_URL": "",
                              "RATE_LIMIT_PER_MINUTE": "8"}, data_dir=data)
    try:
        ann = tokens(p.base, p.url, "ann", "anns-long-password")[1]["access_token"]
        bob = tokens(p.base, p.url, "bob", "bobs-long-password")[1]["access_token"]
        legacy = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json", "Authorization": f"Bearer {ann}"}
        statuses = []
        with httpx.Client(timeout=10) as client:
            # A new session for every request changes nothing: ann is ann.
            for i in range(10):
                init = {"jsonrpc": "2.0", "id": i, "method": "initialize",
                        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": f"c{i}", "version": "1"}}}
                statuses.append(client.post(p.url, headers=legacy, json=init).status_code)
        assert statuses == [200] * 8 + [429] * 2
        assert echo(p.url, {"Authorization": f"Bearer {bob}"}).status_code == 200
        check_refusal(echo(p.url, {"Authorization": f"Bearer {ann}"}))
    finally:
        stop_pier(p)


def test_two_instances_on_postgres_share_the_limit():
    admin_url = os.environ.get("PIER_TEST_DATABASE_URL")
    if os.environ.get("PIER_SKIP_POSTGRES") == "1":
        pytest.skip("PIER_SKIP_POSTGRES=1")
    assert admin_url, "PIER_TEST_DATABASE_URL is not set (scripts/test.sh starts PostgreSQL)"
    import shutil
    psql = shutil.which("psql") or sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))[-1]
    name = "pier_limits_" + secrets.token_hex(5)
    subprocess.run([str(psql), admin_url, "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    base, _, query = admin_url.partition("?")
    url = base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")
    env = {"DATABASE_URL": url, "RATE_LIMIT_PER_MINUTE": "30", "PIER_TRUST_FORWARDED": "true"}
    first = start_pier(["demo"], env)
    second = start_pier(["demo"], env)
    try:
        answers = load([first.url, second.url], {"10.2.0.1": 60, "10.2.0.2": 20})
        heavy = answers["10.2.0.1"]
        ok = [r for r in heavy if r.status_code == 200]
        # One bucket of 30 for both instances: not 30 each.
        assert 30 <= len(ok) <= 33, [r.status_code for r in heavy]
        for r in heavy:
            if r.status_code != 200:
                check_refusal(r)
        assert all(r.status_code == 200 for r in answers["10.2.0.2"])
        refused = sum(value(scrape(p.base), "pier_rate_limited_total", endpoint="main", limit="caller") for p in (first, second))
        assert refused == len(heavy) - len(ok) and refused > 0
    finally:
        stop_pier(first)
        stop_pier(second)


def test_the_admin_api_is_limited_per_key():
    key = "k" * 40
    p = start_pier(["demo"], {"RATE_LIMIT_PER_MINUTE": "10", "PIER_ADMIN_API_KEY": key})
    try:
        with httpx.Client(timeout=10) as client:
            answers = [client.get(p.base + "/api/v1/servers", headers={"Authorization": f"Bearer {key}"}) for _ in range(12)]
        assert [r.status_code for r in answers] == [200] * 10 + [429] * 2
        refused = answers[-1]
        assert int(refused.headers["retry-after"]) >= 1 and refused.json()["error"] == "rate_limited" and "per key" in refused.json()["message"]
        # The MCP endpoint counts the address, not the key: its own bucket is untouched.
        assert echo(p.url, {}).status_code == 200
    finally:
        stop_pier(p)
