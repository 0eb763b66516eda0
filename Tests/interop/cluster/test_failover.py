"""Failover: two Pier instances on one PostgreSQL behind nginx (nothing sticky), under load from several clients,
and one of them killed with SIGKILL. Only requests in flight on the killed instance may fail; every record a
client was told had been written (widget state, registry entries, API keys, tasks) is there afterwards, and
legacy sessions, the SDK 1.x client's among them, carry on through the instance that is left."""

import asyncio
import os
import signal
import subprocess
import threading
import time

import httpx
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client

from conftest import ADMIN_KEY, ROOT

TIME_PYTHON = str(ROOT / ".build-peers" / "upstreams" / "bin" / "python")
TASKS = "io.modelcontextprotocol/tasks"
LEGACY = "2025-11-25"
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def rpc(client: httpx.Client, url: str, method: str, params: dict, session: str | None = None, rid: int = 1) -> httpx.Response:
    headers = dict(HEADERS)
    if session:
        headers.update({"Mcp-Session-Id": session, "MCP-Protocol-Version": LEGACY})
    return client.post(url, headers=headers, json={"jsonrpc": "2.0", "id": rid, "method": method, "params": params})


def body(r: httpx.Response) -> dict:
    """The JSON-RPC message of a response, sent as JSON or as the last event of an SSE stream."""
    if r.headers.get("content-type", "").startswith("text/event-stream"):
        data = [line[5:].strip() for line in r.text.splitlines() if line.startswith("data:") and line[5:].strip()]
        import json

        return json.loads(data[-1])
    return r.json()


def open_session(client: httpx.Client, url: str, capabilities: dict) -> str:
    r = rpc(client, url, "initialize", {"protocolVersion": LEGACY, "capabilities": capabilities, "clientInfo": {"name": "failover", "version": "1"}})
    assert r.status_code == 200, r.text
    sid = r.headers["mcp-session-id"]
    client.post(url, headers=dict(HEADERS, **{"Mcp-Session-Id": sid, "MCP-Protocol-Version": LEGACY}),
                json={"jsonrpc": "2.0", "method": "notifications/initialized"})
    return sid


class Load:
    """Clients writing records through nginx until told to stop; each keeps what Pier acknowledged."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.cart_items: dict[str, list[str]] = {}
        self.servers: list[str] = []
        self.keys: list[str] = []
        self.tasks: list[tuple[str, float]] = []
        self.session_calls: dict[str, list[tuple[float, bool]]] = {}
        # Whether each session call came back as SSE: the session's log level (set at its start) makes it so, on
        # whichever instance serves it, once an instance that took the session up before the change has looked
        # again (within 2 s).
        self.session_streams: list[tuple[float, bool]] = []
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self.carts, args=(i,)) for i in range(3)]
        self.threads += [threading.Thread(target=self.sessions, args=(i,)) for i in range(2)]
        self.threads += [threading.Thread(target=self.registry), threading.Thread(target=self.task_calls)]

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)

    def failed(self, what: str) -> None:
        with self.lock:
            self.failures.append(what)

    def carts(self, worker: int) -> None:
        with httpx.Client(timeout=30) as client:
            n = 0
            while not self.stop.is_set():
                n += 1
                # A cart holds 50 different items: a new cart every 40.
                cart = f"failover-{worker}-{n // 40}"
                self.cart_items.setdefault(cart, [])
                item = f"item-{worker}-{n}"
                try:
                    r = rpc(client, self.cluster.url, "tools/call", {"name": "add_to_cart", "arguments": {"cartId": cart, "items": [{"name": item}]}})
                    answer = body(r)
                    if r.status_code == 200 and "result" in answer and not answer["result"].get("isError"):
                        self.cart_items[cart].append(item)
                    else:
                        self.failed(f"cart {r.status_code} {r.text[:200]}")
                except (httpx.HTTPError, ValueError) as e:
                    self.failed(f"cart {e!r}")

    def sessions(self, worker: int) -> None:
        with httpx.Client(timeout=30) as client:
            sid = open_session(client, self.cluster.url, {})
            r = rpc(client, self.cluster.url, "logging/setLevel", {"level": "warning"}, session=sid)
            assert r.status_code == 200 and "result" in body(r), r.text
            calls = self.session_calls.setdefault(sid, [])
            opened = time.monotonic()
            n = 0
            while not self.stop.is_set():
                n += 1
                try:
                    r = rpc(client, self.cluster.url, "tools/call", {"name": "echo", "arguments": {"text": f"s{worker}-{n}"}}, session=sid, rid=n)
                    ok = r.status_code == 200 and r.headers.get("mcp-session-id") == sid and "result" in body(r)
                    if ok:
                        self.session_streams.append((time.monotonic() - opened, r.headers.get("content-type", "").startswith("text/event-stream")))
                    if not ok:
                        self.failed(f"session call {r.status_code} {r.headers.get('mcp-session-id')} {r.text[:200]}")
                except (httpx.HTTPError, ValueError) as e:
                    ok = False
                    self.failed(f"session call {e!r}")
                calls.append((time.monotonic(), ok))

    def registry(self) -> None:
        with httpx.Client(base_url=self.cluster.base + "/api/v1", headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=30) as api:
            n = 0
            while not self.stop.is_set():
                n += 1
                try:
                    r = api.post("/servers", json={"name": f"fo-{n}", "command": TIME_PYTHON, "args": ["-m", "mcp_server_time"], "enabled": False})
                    if r.status_code == 201:
                        self.servers.append(f"fo-{n}")
                    else:
                        self.failed(f"server {r.status_code} {r.text[:200]}")
                    r = api.post("/apikeys", json={"name": f"fo-key-{n}"})
                    if r.status_code == 201:
                        self.keys.append(f"fo-key-{n}")
                    else:
                        self.failed(f"key {r.status_code} {r.text[:200]}")
                except httpx.HTTPError as e:
                    self.failed(f"admin {e!r}")
                time.sleep(0.05)

    def task_calls(self) -> None:
        with httpx.Client(timeout=30) as client:
            sid = open_session(client, self.cluster.url, {"extensions": {TASKS: {}}})
            n = 0
            while not self.stop.is_set():
                n += 1
                try:
                    r = rpc(client, self.cluster.url, "tools/call", {"name": "slow_compute", "arguments": {"seconds": 0, "label": f"t{n}"}}, session=sid, rid=n)
                    result = r.json().get("result", {})
                    if r.status_code == 200 and result.get("taskId"):
                        self.tasks.append((result["taskId"], time.monotonic()))
                    else:
                        self.failed(f"task {r.status_code} {r.text[:200]}")
                except (httpx.HTTPError, ValueError) as e:
                    self.failed(f"task {e!r}")
                time.sleep(0.05)


def sdk_session_calls(url: str, before: threading.Event, killed: threading.Event, out: dict) -> None:
    """The SDK 1.x client: one session, calls before and after the kill, through nginx."""

    async def run():
        async with streamablehttp_client(url) as (read, write, get_id):
            async with ClientSession(read, write) as session:
                await session.initialize()
                out["session"] = get_id()
                out["before"] = (await session.call_tool("echo", {"text": "before"})).content[0].text
                before.set()
                while not killed.is_set():
                    await asyncio.sleep(0.05)
                await asyncio.sleep(1)
                answers = []
                for i in range(20):
                    answers.append((await session.call_tool("echo", {"text": f"after-{i}"})).content[0].text)
                out["after"] = answers
                out["session_after"] = get_id()

    try:
        asyncio.run(asyncio.wait_for(run(), 120))
    except BaseException as e:  # noqa: BLE001 - reported by the test
        out["error"] = repr(e)


def test_kill_one_instance_under_load_loses_nothing(cluster):
    before, killed = threading.Event(), threading.Event()
    sdk: dict = {}
    sdk_thread = threading.Thread(target=sdk_session_calls, args=(cluster.url, before, killed, sdk))
    sdk_thread.start()
    assert before.wait(60), sdk
    victim = cluster.piers[0]
    with Load(cluster) as load:
        time.sleep(4)
        kill_at = time.monotonic()
        os.kill(victim.process.pid, signal.SIGKILL)
        victim.process.wait(timeout=10)
        killed.set()
        time.sleep(6)
    sdk_thread.join(timeout=150)
    survivor = cluster.alive()
    assert len(survivor) == 1

    # The SDK client's session carried on through the other instance, under the same id.
    assert "error" not in sdk, sdk
    assert sdk["before"] == "before" and sdk["after"] == [f"after-{i}" for i in range(20)]
    assert sdk["session_after"] == sdk["session"]

    # Legacy sessions: after the kill every call succeeded, on the same session id, with the session's state.
    for sid, calls in load.session_calls.items():
        settled = [ok for at, ok in calls if at > kill_at + 1]
        assert settled and all(settled), f"session {sid}: {settled.count(False)} of {len(settled)} calls failed after the kill: {load.failures[-3:]}"
    settled_streams = [sse for since, sse in load.session_streams if since > 3]
    assert settled_streams and all(settled_streams), f"{settled_streams.count(False)} session calls lost the session's log level"
    # Only requests in flight on the killed instance failed: a handful, all around the kill.
    assert len(load.failures) <= 12, load.failures

    direct = survivor[0].url
    assert sum(len(items) for items in load.cart_items.values()) > 50
    with httpx.Client(timeout=30) as client:
        # Widget state: every acknowledged item is in its cart.
        for cart, items in load.cart_items.items():
            r = rpc(client, direct, "tools/call", {"name": "show_cart", "arguments": {"cartId": cart}})
            stored = {item["name"] for item in body(r)["result"]["structuredContent"]["items"]}
            lost = [i for i in items if i not in stored]
            assert not lost, f"{cart} lost {len(lost)} of {len(items)} acknowledged items: {lost[:5]}"
        # Tasks: every acknowledged task is readable on the survivor, and those done before the kill completed.
        sid = open_session(client, direct, {"extensions": {TASKS: {}}})
        assert load.tasks
        for task_id, at in load.tasks:
            r = rpc(client, direct, "tasks/get", {"taskId": task_id}, session=sid)
            assert r.status_code == 200 and "result" in r.json(), f"task {task_id} lost: {r.text[:200]}"
            if at < kill_at - 2:
                assert r.json()["result"]["status"] == "completed", r.json()
    print(f"\nfailover: {sum(len(i) for i in load.cart_items.values())} cart items, {len(load.tasks)} tasks, {len(load.servers)} servers, "
          f"{len(load.keys)} keys, {sum(len(c) for c in load.session_calls.values())} session calls acknowledged; "
          f"{len(load.failures)} requests failed around the kill; 0 records lost")
    with httpx.Client(base_url=survivor[0].base + "/api/v1", headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=30) as api:
        listed = {s["name"] for s in api.get("/servers").json()["servers"]}
        assert load.servers and not [s for s in load.servers if s not in listed]
        keys = {k["name"] for k in api.get("/apikeys").json()["apikeys"]}
        assert load.keys and not [k for k in load.keys if k not in keys]


def test_postgres_restarted_under_load_is_survived_without_a_restart(cluster):
    """The database goes away and comes back while clients write through nginx: requests meanwhile get errors,
    Pier reconnects by itself, and every write it acknowledged is there."""
    port = cluster.env["DATABASE_URL"].split("@", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
    acknowledged, after_restart = [], []
    stop = threading.Event()
    restarted_at = []

    def write():
        with httpx.Client(timeout=30) as client:
            n = 0
            while not stop.is_set():
                n += 1
                cart, item = f"pg-{n // 40}", f"pg-item-{n}"
                try:
                    r = rpc(client, cluster.url, "tools/call", {"name": "add_to_cart", "arguments": {"cartId": cart, "items": [{"name": item}]}})
                    answer = body(r)
                    if r.status_code == 200 and "result" in answer and not answer["result"].get("isError"):
                        acknowledged.append((cart, item))
                        if restarted_at:
                            after_restart.append(time.monotonic() - restarted_at[0])
                except (httpx.HTTPError, ValueError):
                    pass
                time.sleep(0.01)

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(2)
    subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh"), "restart", port], check=True, capture_output=True)
    restarted_at.append(time.monotonic())
    time.sleep(8)
    stop.set()
    writer.join(timeout=60)
    assert all(p.process.poll() is None for p in cluster.piers), "a Pier died when PostgreSQL restarted"
    # Writes succeeded again soon after the database was back, with no Pier restarted.
    assert after_restart and min(after_restart) < 5, after_restart[:3]
    with httpx.Client(timeout=30) as client:
        carts: dict[str, set] = {}
        for cart, _ in acknowledged:
            if cart not in carts:
                r = rpc(client, cluster.url, "tools/call", {"name": "show_cart", "arguments": {"cartId": cart}})
                carts[cart] = {i["name"] for i in body(r)["result"]["structuredContent"]["items"]}
        lost = [item for cart, item in acknowledged if item not in carts[cart]]
        assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged writes lost: {lost[:5]}"
    with httpx.Client(timeout=10) as client:
        for pier in cluster.piers:
            assert client.get(pier.base + "/ready").status_code == 200


def test_a_database_outage_leaves_both_instances_in_nginx_rotation(cluster):
    """While PostgreSQL is down, both instances answer `GET /ready` with 503. nginx must not take that for the
    instances failing: once the database is back, the next request through nginx is served, where with `http_503`
    in `proxy_next_upstream` it got 502 ("no live upstreams") for fail_timeout."""
    port = cluster.env["DATABASE_URL"].split("@", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
    postgres = ["bash", str(ROOT / "scripts" / "postgres.sh")]
    with httpx.Client(timeout=10) as client:
        subprocess.run(postgres + ["halt", port], check=True, capture_output=True)
        try:
            assert [client.get(cluster.base + "/ready").status_code for _ in range(4)] == [503] * 4
        finally:
            subprocess.run(postgres + ["resume", port], check=True, capture_output=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(client.get(p.base + "/ready").status_code != 200 for p in cluster.piers):
            time.sleep(0.1)
        r = rpc(client, cluster.url, "tools/call", {"name": "echo", "arguments": {"text": "after the outage"}})
        assert r.status_code == 200, (r.status_code, r.text[:200])
        assert body(r)["result"]["content"][0]["text"].endswith("after the outage")


def test_a_task_whose_instance_died_reads_as_failed(cluster):
    """A task running on an instance that is killed does not read as working until it expires: once the
    instance's mark in the store has lapsed (20 s), the other instance answers tasks/get with a failed task."""
    victim, survivor = cluster.piers
    with httpx.Client(timeout=30) as client:
        on_victim = open_session(client, victim.url, {"extensions": {TASKS: {}}})
        created = body(rpc(client, victim.url, "tools/call", {"name": "slow_compute", "arguments": {"seconds": 300, "label": "orphan"}}, session=on_victim))
        task_id = created["result"]["taskId"]
        on_survivor = open_session(client, survivor.url, {"extensions": {TASKS: {}}})
        # Running, and read as running from the other instance while its instance lives.
        time.sleep(1)
        assert body(rpc(client, survivor.url, "tasks/get", {"taskId": task_id}, session=on_survivor))["result"]["status"] == "working"
        os.kill(victim.process.pid, signal.SIGKILL)
        victim.process.wait(timeout=10)
        killed = time.monotonic()
        status = "working"
        while time.monotonic() - killed < 60:
            task = body(rpc(client, survivor.url, "tasks/get", {"taskId": task_id}, session=on_survivor))["result"]
            status = task["status"]
            if status != "working":
                break
            time.sleep(1)
        assert status == "failed", task
        assert "stopped" in task["statusMessage"] and task["error"]["code"] == -32603
        waited = time.monotonic() - killed
        assert waited < 45, waited
        # Stored so: a second read says the same, and cancelling it is refused as finished.
        assert body(rpc(client, survivor.url, "tasks/get", {"taskId": task_id}, session=on_survivor))["result"]["status"] == "failed"
        refused = body(rpc(client, survivor.url, "tasks/cancel", {"taskId": task_id}, session=on_survivor))
        assert "error" in refused
