"""The admin API on a live Pier, on SQLite and on PostgreSQL: servers added, changed, stopped, restarted and removed
while Pier runs, seen by the official SDK 1.x client (a legacy session hears tools/list_changed), kept across a
restart on the same store; keys required on every route; bad bodies refused by field."""

import json
import os
import time

import anyio
import httpx
import mcp.types as types
import pytest
from conftest import KEY, TIME_PYTHON
from pier_launch import start_pier
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client
from mcp_lists import Inbox, tool_names_v1

# The seed's curl body (docs: "Adding MCP Servers"), with a real third-party server: mcp-server-time.
TIME_SERVER = {
    "name": "time",
    "description": "Current time and time zone conversion",
    "command": TIME_PYTHON,
    "args": ["-m", "mcp_server_time", "--local-timezone", "UTC"],
    "env": {"TIME_API_TOKEN": "not-a-secret-but-never-shown"},
    "transport_type": "stdio",
    "auto_restart": True,
}


def wait_until(predicate, timeout=30, step=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def server(api: httpx.Client, name: str) -> dict:
    r = api.get(f"/servers/{name}")
    assert r.status_code == 200, r.text
    return r.json()


def running(api: httpx.Client, name: str, timeout=30) -> dict:
    return wait_until(lambda: (s := server(api, name))["status"] == "running" and s, timeout=timeout, what=f"{name} running")


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.anyio
async def test_add_call_restart_stop_and_delete_live(host):
    api = host.client()
    inbox = Inbox()
    async with streamablehttp_client(host.pier.url) as (read, write, _), ClientSession(read, write, message_handler=inbox) as session:
        await session.initialize()
        await anyio.sleep(0.3)  # the session's GET stream opens
        assert "time__get_current_time" not in await tool_names_v1(session)

        added = api.post("/servers", json=TIME_SERVER)
        assert added.status_code == 201, added.text
        body = added.json()
        assert body["name"] == "time" and body["source"] == "api" and body["transport_type"] == "stdio"
        assert body["env"] == ["TIME_API_TOKEN"] and "never-shown" not in added.text, "env values are never returned"
        started = time.monotonic()
        with anyio.fail_after(5):
            while "time__get_current_time" not in await tool_names_v1(session):
                await anyio.sleep(0.1)
        print(f"tools listed {time.monotonic() - started:.2f} s after POST")
        with anyio.fail_after(5):
            while inbox.count(types.ToolListChangedNotification) == 0:
                await anyio.sleep(0.05)
        result = await session.call_tool("time__get_current_time", {"timezone": "UTC"})
        assert not result.isError and "UTC" in result.content[0].text

        first = running(api, "time")
        assert first["pid"] and alive(first["pid"]) and first["tools"] == 2 and first["started_at"]

        # restart: a new process, the old one gone.
        restarted = api.post("/servers/time/restart")
        assert restarted.status_code == 200 and restarted.json()["status"] in ("starting", "running")
        second = running(api, "time")
        assert second["pid"] != first["pid"] and not alive(first["pid"])
        assert second["restarts"] >= 1

        # stop: the process ends and the tools leave; start brings them back.
        stopped = api.post("/servers/time/stop").json()
        assert stopped["status"] == "stopped" and not alive(second["pid"])
        assert "time__get_current_time" not in await tool_names_v1(session)
        assert api.post("/servers/time/start").status_code == 200
        third = running(api, "time")
        with anyio.fail_after(5):
            while "time__get_current_time" not in await tool_names_v1(session):
                await anyio.sleep(0.1)

        # delete: tools gone, process gone, 404 after.
        before = inbox.count(types.ToolListChangedNotification)
        assert api.delete("/servers/time").status_code == 204
        assert not alive(third["pid"])
        assert "time__get_current_time" not in await tool_names_v1(session)
        with anyio.fail_after(5):
            while inbox.count(types.ToolListChangedNotification) == before:
                await anyio.sleep(0.05)
        assert api.get("/servers/time").status_code == 404

    actions = [e["action"] for e in api.get("/activity", params={"limit": 50}).json()["events"] if e["server"] == "time"]
    assert actions[:5] == ["server.delete", "server.start", "server.stop", "server.restart", "server.create"]
    subjects = {e["subject"] for e in api.get("/activity").json()["events"] if e["kind"] == "admin"}
    assert subjects == {"apikey:PIER_ADMIN_API_KEY"}


def test_health_logs_tools_and_patch(host):
    api = host.client()
    assert api.post("/servers", json=dict(TIME_SERVER, name="tz")).status_code == 201
    running(api, "tz")
    health = api.get("/servers/tz/health")
    assert health.status_code == 200 and health.json()["healthy"] is True and health.json()["latency_ms"] >= 0
    tools = api.get("/servers/tz/tools").json()["tools"]
    assert {(t["name"], t["exposed_as"]) for t in tools} == {("get_current_time", "tz__get_current_time"), ("convert_time", "tz__convert_time")}
    logs = api.get("/servers/tz/logs", params={"lines": 10}).json()
    assert any("running" in e["message"] for e in logs["events"])

    # PATCH: the revision moves; a stale If-Match is refused; a tools filter applies at once.
    current = api.get("/servers/tz")
    revision = current.headers["etag"].strip('"')
    patched = api.patch("/servers/tz", json={"description": "patched", "tools": {"include": ["convert_time"]}}, headers={"If-Match": f'"{revision}"'})
    assert patched.status_code == 200 and patched.json()["description"] == "patched" and patched.json()["revision"] == int(revision) + 1
    stale = api.patch("/servers/tz", json={"description": "again"}, headers={"If-Match": f'"{revision}"'})
    assert stale.status_code == 409 and "meanwhile" in stale.json()["message"]
    wait_until(lambda: api.get("/servers/tz").json()["tools"] == 1, what="the filter to apply")
    catalogue = {t["name"]: t for t in api.get("/tools").json()["tools"]}
    assert "tz__convert_time" in catalogue and "tz__get_current_time" not in catalogue
    assert catalogue["tz__convert_time"]["owner"] == "tz" and catalogue["tz__convert_time"]["owner_kind"] == "upstream"

    # A new description changes nothing that runs: the same process goes on.
    before = running(api, "tz")
    assert api.patch("/servers/tz", json={"description": "only words"}).json()["description"] == "only words"
    assert server(api, "tz")["pid"] == before["pid"]
    # A prefix another server has would clash.
    clash = api.post("/servers", json=dict(TIME_SERVER, name="other", prefix="tz"))
    assert clash.status_code == 409 and clash.json()["field"] == "prefix"
    assert api.patch("/servers/tz", json={"prefix": "clock"}).status_code == 409
    assert any("server.update by apikey:" in e["message"] for e in api.get("/servers/tz/logs").json()["events"])

    # stopped: the live check says so with 503.
    api.post("/servers/tz/stop")
    unhealthy = api.get("/servers/tz/health")
    assert unhealthy.status_code == 503 and unhealthy.json()["healthy"] is False and unhealthy.json()["status"] == "stopped"
    assert api.delete("/servers/tz").status_code == 204


def test_config_file_servers_are_listed_but_managed_in_the_file(host):
    api = host.client()
    clock = running(api, "clock")
    assert clock["source"] == "config"
    for response in (api.patch("/servers/clock", json={"description": "x"}), api.delete("/servers/clock")):
        assert response.status_code == 409 and "config file" in response.json()["message"]
    restarted = api.post("/servers/clock/restart")
    assert restarted.status_code == 200
    again = running(api, "clock")
    assert again["pid"] != clock["pid"]
    conflict = api.post("/servers", json=dict(TIME_SERVER, name="clock"))
    assert conflict.status_code == 409


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"command": "x"}, 400, "name"),
        ({"name": "bad name", "command": "x"}, 400, "name"),
        ({"name": "a", "command": "x", "args": "not a list"}, 400, "args"),
        ({"name": "a", "command": "x", "args": ["ok", 3]}, 400, "args[1]"),
        ({"name": "a", "command": "ls; rm -rf /"}, 400, "command"),
        ({"name": "a", "command": "echo $(id)"}, 400, "command"),
        ({"name": "a", "command": "sh", "args": ["-c", "id"]}, 400, "args"),
        ({"name": "a", "command": "/bin/bash", "args": ["-lc", "id"]}, 400, "args"),
        ({"name": "a", "command": "x", "env": {"LD_PRELOAD": "/tmp/x.so"}}, 403, "env.LD_PRELOAD"),
        ({"name": "a", "command": "x", "env": {"PATH": "/tmp"}}, 403, "env.PATH"),
        ({"name": "a", "command": "x", "env": {"A": 1}}, 400, "env.A"),
        ({"name": "a", "url": "ftp://example.com"}, 400, "url"),
        ({"name": "a", "url": "http://169.254.169.254/latest"}, 403, "url"),
        ({"name": "a", "command": "x", "transport_type": "carrier-pigeon"}, 400, "transport_type"),
        ({"name": "a", "command": "x", "surprise": True}, 400, "surprise"),
        ({"name": "a", "command": "x", "timeout_seconds": -1}, 400, "timeout_seconds"),
    ],
)
def test_bad_bodies_are_refused_naming_the_field(host, body, status, field):
    r = host.client().post("/servers", json=body)
    assert r.status_code == status, r.text
    assert r.json()["field"] == field and r.json()["error"] in ("invalid_request", "forbidden")


def test_unparseable_bodies(host):
    api = host.client()
    for content in (b"", b"{", b"[1]", b'"x"'):
        r = api.post("/servers", content=content, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    assert api.post("/servers", json=dict(TIME_SERVER, name="dup", enabled=False)).status_code == 201
    assert api.post("/servers", json=dict(TIME_SERVER, name="dup")).status_code == 409
    assert api.get("/servers/dup").json()["status"] == "stopped"
    assert api.delete("/servers/dup").status_code == 204


def test_no_key_or_a_wrong_key_gets_401_on_every_route(host):
    document = host.client().get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    routes = [(method.upper(), path.replace("{name}", "clock")) for path, item in document["paths"].items() for method in item]
    routes += [("GET", "/api/v1"), ("GET", "/api/v1/nothing/here"), ("PUT", "/api/v1/servers")]
    assert len(routes) >= 20
    for key in (None, "wrong-" + KEY, KEY[:-1]):
        client = httpx.Client(base_url=host.pier.base, headers={"Authorization": f"Bearer {key}"} if key else {}, timeout=10)
        for method, path in routes:
            r = client.request(method, path, json={} if method in ("POST", "PATCH") else None)
            assert r.status_code == 401, f"{method} {path} with key {key!r}: {r.status_code}"
            assert r.json()["error"] == "unauthorized" and r.headers["www-authenticate"].startswith("Bearer")
    assert httpx.get(host.api + "/servers", headers={"Authorization": f"Basic {KEY}"}).status_code == 401


def test_servers_survive_a_restart_on_the_same_store(host):
    api = host.client()
    assert api.post("/servers", json=dict(TIME_SERVER, name="keep")).status_code == 201
    running(api, "keep")
    assert api.post("/servers", json=dict(TIME_SERVER, name="parked", enabled=False)).status_code == 201
    host.stop()
    host.start()
    api = host.client()
    listed = {s["name"]: s for s in api.get("/servers").json()["servers"]}
    assert listed["keep"]["source"] == "api" and listed["parked"]["status"] == "stopped" and listed["clock"]["source"] == "config"
    running(api, "keep")
    from gateway_launch import wait_for_tools

    wait_for_tools(host.pier.url, ["keep__get_current_time"], timeout=10)

    # Started again with an allowlist the stored command is not on: listed as failed with the reason, not run.
    host.stop()
    strict = dict(host.env, PIER_ALLOWED_COMMANDS="uvx")
    host.pier = start_pier([], strict, data_dir=host.data_dir, config=host.config)
    try:
        keep = wait_until(lambda: (s := server(host.client(), "keep"))["status"] == "failed" and s, timeout=10, what="keep to be refused")
        assert "PIER_ALLOWED_COMMANDS" in keep["last_error"] and keep["pid"] is None
        assert host.client().delete("/servers/parked").status_code == 204
    finally:
        host.stop()
    host.start()
    api = host.client()
    running(api, "keep")
    assert api.delete("/servers/keep").status_code == 204


def test_sessions_and_connectors(host):
    from gateway_launch import modern_call

    modern_call(host.pier.url, "tools/list")
    api = host.client()
    sessions = api.get("/sessions").json()
    assert any(c["endpoint"] == "/mcp" and c["protocol_version"] == "2026-07-28" for c in sessions["clients"])
    connectors = {c["path"]: c for c in api.get("/connectors").json()["connectors"]}
    assert connectors["/mcp"]["url"] == host.pier.base + "/mcp" and connectors["/connectors/readonly/mcp"]["read_only"] is True


def test_a_second_instance_on_the_same_store_follows_the_registry(host):
    """Two Piers on one store (as behind a load balancer): a server added through one starts on the other within
    the registry poll (1 s here), and leaves it when deleted."""
    from conftest import Host
    from gateway_launch import tool_names, wait_for_tools

    other = Host(backend=host.backend, env=host.env, data_dir=host.data_dir, config=host.config)
    other.start()
    try:
        api, remote = host.client(), other.client()
        assert api.post("/servers", json=dict(TIME_SERVER, name="shared")).status_code == 201
        wait_until(lambda: remote.get("/servers/shared").status_code == 200, timeout=5, what="the other instance to see the server")
        there = running(remote, "shared")
        wait_for_tools(other.pier.url, ["shared__get_current_time"], timeout=5)
        assert api.patch("/servers/shared", json={"description": "changed on A"}).status_code == 200
        wait_until(lambda: remote.get("/servers/shared").json()["description"] == "changed on A", timeout=5, what="the change to reach B")
        assert api.delete("/servers/shared").status_code == 204
        wait_until(lambda: remote.get("/servers/shared").status_code == 404, timeout=5, what="B to drop the server")
        wait_until(lambda: not alive(there["pid"]), timeout=5, what="B's child to end")
        assert "shared__get_current_time" not in tool_names(other.pier.url)
    finally:
        other.stop()


def test_failed_attempts_are_rate_limited_per_address():
    """Past PIER_ADMIN_AUTH_FAILURES failures a minute, an address gets 429 with Retry-After, even with a good key."""
    p = start_pier([], {"PIER_ADMIN_API_KEY": KEY, "PIER_ADMIN_AUTH_FAILURES": "3", "DATABASE_URL": ""})
    try:
        with httpx.Client(base_url=p.base + "/api/v1", timeout=10) as client:
            assert client.get("/servers", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
            assert [client.get("/servers", headers={"Authorization": "Bearer nope"}).status_code for _ in range(3)] == [401, 401, 401]
            limited = client.get("/servers", headers={"Authorization": "Bearer nope"})
            assert limited.status_code == 429 and limited.json()["error"] == "rate_limited" and int(limited.headers["retry-after"]) >= 1
            assert client.get("/servers", headers={"Authorization": f"Bearer {KEY}"}).status_code == 429
    finally:
        from pier_launch import stop_pier

        stop_pier(p)
