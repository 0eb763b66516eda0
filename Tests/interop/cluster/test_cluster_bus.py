"""What one instance does reaches the other at once, over PostgreSQL LISTEN/NOTIFY: a resource changed on B is heard
on a GET stream held by A; a subscription or a DELETE made through B holds on A without waiting for a session touch;
a client's answer POSTed to A reaches the call on B that asked; a POST stream of A resumes on B with Last-Event-ID;
an HTTP+SSE stream held by A takes the messages POSTed to B; a server added through A's API runs on B although B
reads the registry only once an hour. The SDK 1.x client does the same through nginx, where its requests alternate
between the two instances."""

import asyncio
import json
import queue
import subprocess
import threading
import time

import httpx
import pytest
from mcp import ClientSession, types
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamablehttp_client
from pydantic import AnyUrl

from conftest import ADMIN_KEY, ROOT
from test_cluster_state import modern_call
from test_failover import HEADERS, LEGACY, TIME_PYTHON, body, open_session, rpc

WATCHED = "test://watched-resource"


def session_headers(sid: str, **extra) -> dict:
    return dict(HEADERS, **{"Mcp-Session-Id": sid, "MCP-Protocol-Version": LEGACY}, **extra)


def events(lines, within: float = 60):
    """SSE events from an iterator of lines: dicts with the event's id, name and JSON data (None for none). Fails
    after `within` seconds (a stream kept open by keep-alives alone would otherwise hang the test)."""
    deadline = time.monotonic() + within
    event: dict = {}
    for line in lines:
        assert time.monotonic() < deadline, f"no end of the stream within {within} s"
        if line == "":
            if event:
                yield event
            event = {}
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "id":
            event["id"] = value
        elif field == "event":
            event["event"] = value
        elif field == "data" and value.strip():
            try:
                event["data"] = json.loads(value)
            except ValueError:
                event["data"] = value


class StreamReader(threading.Thread):
    """Reads one SSE stream (a GET) into a queue until it ends; `ended` is set then."""

    def __init__(self, url: str, headers: dict):
        super().__init__(daemon=True)
        self.url, self.headers = url, headers
        self.queue: queue.Queue = queue.Queue()
        self.opened = threading.Event()
        self.ended = threading.Event()
        self.status = None

    def run(self):
        try:
            with httpx.Client(timeout=httpx.Timeout(5, read=60)) as client:
                with client.stream("GET", self.url, headers=self.headers) as r:
                    self.status = r.status_code
                    self.opened.set()
                    for event in events(r.iter_lines()):
                        self.queue.put(event)
        except httpx.HTTPError:
            pass
        finally:
            self.opened.set()
            self.ended.set()

    def next_message(self, method: str, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event = self.queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                return None
            data = event.get("data")
            if isinstance(data, dict) and data.get("method") == method:
                return data
        return None


def open_get_stream(url: str, sid: str) -> StreamReader:
    reader = StreamReader(url, {"Accept": "text/event-stream", "Mcp-Session-Id": sid, "MCP-Protocol-Version": LEGACY})
    reader.start()
    assert reader.opened.wait(10) and reader.status == 200, reader.status
    return reader


def test_a_resource_changed_on_one_instance_is_heard_by_an_sdk_session_on_the_other(cluster):
    a, b = cluster.piers
    heard = []

    async def scenario():
        updated = asyncio.Event()

        async def on_message(message):
            if isinstance(message, types.ServerNotification) and isinstance(message.root, types.ResourceUpdatedNotification):
                heard.append(str(message.root.params.uri))
                updated.set()

        async with streamablehttp_client(a.url) as (read, write, _):
            async with ClientSession(read, write, message_handler=on_message) as session:
                await session.initialize()
                await session.subscribe_resource(AnyUrl(WATCHED))
                # The SDK opens its GET stream on A after initialize; give it a moment before the change.
                await asyncio.sleep(1)
                with httpx.Client(timeout=30) as client:
                    changed = await asyncio.to_thread(modern_call, client, b.url, "test_update_watched_resource")
                assert "result" in changed, changed
                await asyncio.wait_for(updated.wait(), 5)

    asyncio.run(scenario())
    assert heard == [WATCHED]


def test_a_subscription_and_a_delete_made_through_one_instance_hold_on_the_other_at_once(cluster):
    a, b = cluster.piers
    with httpx.Client(timeout=30) as client:
        sid = open_session(client, a.url, {})
        stream = open_get_stream(a.url, sid)
        # Subscribed through B, changed through B: A's stream hears it without A having seen a request since.
        assert "result" in body(rpc(client, b.url, "resources/subscribe", {"uri": WATCHED}, session=sid))
        assert "result" in modern_call(client, b.url, "test_update_watched_resource")
        update = stream.next_message("notifications/resources/updated", timeout=5)
        assert update and update["params"]["uri"] == WATCHED, update
        # Ended through B: A ends the stream it holds at once (not at its next touch, which never comes here).
        started = time.monotonic()
        assert client.delete(b.url, headers={"Mcp-Session-Id": sid, "MCP-Protocol-Version": LEGACY}).status_code == 204
        assert stream.ended.wait(5), "A kept the GET stream of a session deleted through B"
        print(f"\nGET stream on A ended {time.monotonic() - started:.3f} s after the DELETE on B")
        assert rpc(client, a.url, "ping", {}, session=sid).status_code == 404


@pytest.mark.parametrize("size", [10, 20_000], ids=["small", "larger-than-notify"])
def test_an_answer_posted_to_one_instance_reaches_the_call_on_the_other(cluster, size):
    """The 20,000-byte answer is more than NOTIFY carries: it crosses through the store by reference."""
    a, b = cluster.piers
    name = "a" * size
    with httpx.Client(timeout=httpx.Timeout(10, read=30)) as client:
        sid = open_session(client, a.url, {"elicitation": {}})
        call = {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "test_elicitation", "arguments": {"message": "Who?"}}}
        with client.stream("POST", b.url, headers=session_headers(sid), json=call) as r:
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
            messages = events(r.iter_lines())
            asked = next(e["data"] for e in messages if isinstance(e.get("data"), dict) and e["data"].get("method") == "elicitation/create")
            answer = {"jsonrpc": "2.0", "id": asked["id"], "result": {"action": "accept", "content": {"username": name, "email": "ada@example.com"}}}
            # The answer goes to A, which holds no call waiting for it: A passes it to B.
            assert client.post(a.url, headers=session_headers(sid), json=answer).status_code == 202
            result = next(e["data"] for e in messages if isinstance(e.get("data"), dict) and e["data"].get("id") == 7)
        text = result["result"]["content"][0]["text"]
        assert "action: accept" in text and "ada@example.com" in text and name in text, str(result)[:300]


def test_sdk_client_through_nginx_answers_elicitation_and_sampling_whichever_instance_it_reaches(cluster):
    async def elicit(context, params):
        return types.ElicitResult(action="accept", content={"username": "grace", "email": "grace@example.com"})

    async def sample(context, params):
        return types.CreateMessageResult(role="assistant", content=types.TextContent(type="text", text="forty-two"), model="stub")

    async def scenario():
        async with streamablehttp_client(cluster.url) as (read, write, _):
            async with ClientSession(read, write, elicitation_callback=elicit, sampling_callback=sample) as session:
                await session.initialize()
                texts = []
                for n in range(4):
                    elicited = await asyncio.wait_for(session.call_tool("test_elicitation", {"message": f"round {n}"}), 15)
                    sampled = await asyncio.wait_for(session.call_tool("test_sampling", {"prompt": f"round {n}"}), 15)
                    texts += [elicited.content[0].text, sampled.content[0].text]
                return texts

    texts = asyncio.run(scenario())
    assert sum("grace@example.com" in t for t in texts) == 4, texts
    assert sum("forty-two" in t for t in texts) == 4, texts


def test_a_post_stream_of_one_instance_resumes_on_the_other(cluster):
    a, b = cluster.piers
    with httpx.Client(timeout=httpx.Timeout(10, read=30)) as client:
        sid = open_session(client, a.url, {})
        call = {"jsonrpc": "2.0", "id": 9, "method": "tools/call",
                "params": {"name": "test_slow_operation", "arguments": {"seconds": 2}, "_meta": {"progressToken": "p"}}}
        seen = []
        with client.stream("POST", a.url, headers=session_headers(sid), json=call) as r:
            assert r.status_code == 200
            for event in events(r.iter_lines()):
                if "id" in event:
                    seen.append(event)
                if sum(1 for e in seen if "data" in e) >= 3:
                    break  # the client leaves A mid-call; the call goes on there
        last = seen[-1]["id"]
        stream, sequence, owner = last.split("-")
        # Resumed on B: the rest of A's stream comes through B, up to the response.
        resumed = []
        with client.stream("GET", b.url, headers={"Accept": "text/event-stream", "Mcp-Session-Id": sid, "MCP-Protocol-Version": LEGACY,
                                                  "Last-Event-ID": last}) as r:
            assert r.status_code == 200, r.read()
            for event in events(r.iter_lines()):
                resumed.append(event)
        assert resumed, "B sent nothing of A's stream"
        ids = [e["id"] for e in resumed]
        assert all(i.split("-")[0] == stream and i.endswith("-" + owner) for i in ids), ids
        assert [int(i.split("-")[1]) for i in ids] == list(range(int(sequence) + 1, int(sequence) + 1 + len(ids))), ids
        final = resumed[-1]["data"]
        assert final["id"] == 9 and "result" in final, final
        progress = [e["data"]["params"]["progress"] for e in resumed if e["data"].get("method") == "notifications/progress"]
        assert progress and progress == sorted(progress), progress
        # An id naming an instance that is not there: 404, not a hang.
        gone = client.get(b.url, headers={"Accept": "text/event-stream", "Mcp-Session-Id": sid, "MCP-Protocol-Version": LEGACY,
                                          "Last-Event-ID": f"{stream}-1-deadbeef"})
        assert gone.status_code == 404, gone.text


def test_an_http_sse_stream_of_one_instance_takes_messages_posted_to_the_other(cluster):
    a, b = cluster.piers
    reader = StreamReader(a.base + "/sse", {"Accept": "text/event-stream"})
    reader.start()
    assert reader.opened.wait(10) and reader.status == 200
    endpoint = reader.queue.get(timeout=10)
    assert endpoint["event"] == "endpoint", endpoint
    post_to_b = b.base + endpoint["data"] if isinstance(endpoint["data"], str) else None
    assert post_to_b and "sessionId=" in post_to_b
    with httpx.Client(timeout=30) as client:
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "cluster", "version": "1"}}}
        assert client.post(post_to_b, json=init).status_code == 202
        assert client.post(post_to_b, json={"jsonrpc": "2.0", "method": "notifications/initialized"}).status_code == 202
        assert client.post(post_to_b, json={"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                            "params": {"name": "echo", "arguments": {"text": "via b"}}}).status_code == 202
        replies = {}
        deadline = time.monotonic() + 10
        while len(replies) < 2 and time.monotonic() < deadline:
            try:
                data = reader.queue.get(timeout=1).get("data")
            except queue.Empty:
                continue
            if isinstance(data, dict) and "id" in data:
                replies[data["id"]] = data
        assert replies[1]["result"]["protocolVersion"] == "2024-11-05", replies
        assert replies[2]["result"]["content"][0]["text"] == "via b", replies
        # A stream no instance holds: 404 once nobody took the message.
        unknown = post_to_b.split("sessionId=")[0] + "sessionId=" + "0" * 32
        assert client.post(unknown, json={"jsonrpc": "2.0", "id": 3, "method": "ping"}).status_code == 404


def test_sdk_http_sse_client_through_nginx(cluster):
    async def scenario():
        async with sse_client(cluster.base + "/sse") as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                names = {t.name for t in (await session.list_tools()).tools}
                texts = [(await asyncio.wait_for(session.call_tool("echo", {"text": f"n{n}"}), 10)).content[0].text for n in range(6)]
                return names, texts

    names, texts = asyncio.run(scenario())
    assert "echo" in names
    assert texts == [f"n{n}" for n in range(6)]


def modern_tool_names(client: httpx.Client, url: str) -> set:
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
    listed = client.post(url, headers=dict(HEADERS, **{"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list"}),
                         json={"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": meta}}).json()
    return {t["name"] for t in listed["result"]["tools"]}


def wait_for_clock(client: httpx.Client, url: str, present: bool) -> set:
    """B's tool names once the `clock` server's tools are there (or gone), or after 20 s."""
    deadline = time.monotonic() + 20
    while True:
        names = modern_tool_names(client, url)
        if any(n.startswith("clock") for n in names) == present or time.monotonic() > deadline:
            return names
        time.sleep(0.2)


def test_a_server_added_through_one_instance_runs_on_the_other_at_once(quiet_cluster):
    a, b = quiet_cluster.piers
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    with httpx.Client(timeout=30) as client:
        assert not any(n.startswith("clock") for n in modern_tool_names(client, b.url))
        started = time.monotonic()
        r = client.post(a.base + "/api/v1/servers", headers=admin,
                        json={"name": "clock", "command": TIME_PYTHON, "args": ["-m", "mcp_server_time"], "prefix": "clock"})
        assert r.status_code in (200, 201), r.text
        # B reads the registry once an hour: only A's NOTIFY can make it start the server now.
        names = wait_for_clock(client, b.url, present=True)
        assert any(n.startswith("clock") for n in names), sorted(names)
        print(f"\nserver added on A was serving on B after {time.monotonic() - started:.2f} s")
        assert client.delete(a.base + "/api/v1/servers/clock", headers=admin).status_code in (200, 204)
        names = wait_for_clock(client, b.url, present=False)
        assert not any(n.startswith("clock") for n in names), sorted(names)


def test_a_task_cancelled_through_one_instance_stops_on_the_other_at_once(cluster):
    """tasks/cancel on B leaves the message in the store and wakes the task's relay on A with a NOTIFY; without
    it A would look only every 2 s. Each of three cancels must show on B within a second."""
    a, b = cluster.piers
    tasks = {"extensions": {"io.modelcontextprotocol/tasks": {}}}
    took = []
    with httpx.Client(timeout=30) as client:
        on_a = open_session(client, a.url, tasks)
        on_b = open_session(client, b.url, tasks)
        for n in range(3):
            created = body(rpc(client, a.url, "tools/call", {"name": "slow_compute", "arguments": {"seconds": 300, "label": f"c{n}"}}, session=on_a))
            task_id = created["result"]["taskId"]
            time.sleep(0.3)
            started = time.monotonic()
            assert "result" in body(rpc(client, b.url, "tasks/cancel", {"taskId": task_id}, session=on_b))
            status = None
            while time.monotonic() - started < 5:
                status = body(rpc(client, b.url, "tasks/get", {"taskId": task_id}, session=on_b))["result"]["status"]
                if status == "cancelled":
                    break
                time.sleep(0.02)
            assert status == "cancelled", status
            took.append(time.monotonic() - started)
    print(f"\ncancel on B to cancelled on B: {', '.join(f'{t:.3f}' for t in took)} s")
    assert max(took) < 1.0, took


def test_a_get_stream_resumed_on_the_other_instance_replays_what_the_client_missed(cluster):
    """The standalone stream left on A; two changes while no stream is open; GET on B with A's last event id: B
    sends what A logged meanwhile, then goes on with its own events."""
    a, b = cluster.piers
    with httpx.Client(timeout=30) as client:
        sid = open_session(client, a.url, {})
        assert "result" in body(rpc(client, a.url, "resources/subscribe", {"uri": WATCHED}, session=sid))
        with client.stream("GET", a.url, headers={"Accept": "text/event-stream", "Mcp-Session-Id": sid, "MCP-Protocol-Version": LEGACY}) as r:
            assert r.status_code == 200
            assert "result" in modern_call(client, b.url, "test_update_watched_resource")
            last = next(e for e in events(r.iter_lines()) if isinstance(e.get("data"), dict))["id"]
        assert last.startswith("0-") and last.count("-") == 2, last
        for _ in range(2):
            assert "result" in modern_call(client, b.url, "test_update_watched_resource")
        time.sleep(0.5)
        resumed = StreamReader(b.url, {"Accept": "text/event-stream", "Mcp-Session-Id": sid, "MCP-Protocol-Version": LEGACY, "Last-Event-ID": last})
        resumed.start()
        assert resumed.opened.wait(10) and resumed.status == 200, resumed.status
        missed = [resumed.next_message("notifications/resources/updated", timeout=5) for _ in range(2)]
        assert all(m and m["params"]["uri"] == WATCHED for m in missed), missed
        assert "result" in modern_call(client, a.url, "test_update_watched_resource")
        assert resumed.next_message("notifications/resources/updated", timeout=5), "B's own events did not follow the replay"


def test_the_instances_hear_one_another_again_after_postgres_restarts(cluster):
    """LISTEN's connection dies with the database; each instance listens again once PostgreSQL is back."""
    a, b = cluster.piers
    port = cluster.env["DATABASE_URL"].split("@", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
    subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh"), "restart", port], check=True, capture_output=True)
    restarted = time.monotonic()
    with httpx.Client(timeout=30) as client:
        while True:
            try:
                sid = open_session(client, a.url, {})
                break
            except (AssertionError, httpx.HTTPError):
                assert time.monotonic() - restarted < 20, "Pier did not serve again after PostgreSQL came back"
                time.sleep(0.2)
        assert "result" in body(rpc(client, a.url, "resources/subscribe", {"uri": WATCHED}, session=sid))
        stream = open_get_stream(a.url, sid)
        heard = None
        while heard is None and time.monotonic() - restarted < 30:
            assert "result" in modern_call(client, b.url, "test_update_watched_resource")
            heard = stream.next_message("notifications/resources/updated", timeout=1)
        assert heard, "A no longer hears B after PostgreSQL restarted"
        print(f"\nA heard B again {time.monotonic() - restarted:.2f} s after PostgreSQL restarted")
