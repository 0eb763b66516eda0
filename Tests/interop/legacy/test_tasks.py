"""The tasks extension (io.modelcontextprotocol/tasks) as the conformance suite drives it: raw JSON-RPC over HTTP,
from handshake-era sessions and from stateless 2026-07-28 requests."""

import json
import time

import httpx
import pytest

EXT = "io.modelcontextprotocol/tasks"
ACCEPT = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
ISO = "%Y-%m-%dT%H:%M:%S"


class RpcError(Exception):
    def __init__(self, error, status):
        super().__init__(error["message"])
        self.code, self.data, self.status = error["code"], error.get("data"), status


class Session:
    """A raw client: a handshake-era session (`capabilities` at initialize), or stateless 2026-07-28 requests."""

    def __init__(self, url, capabilities, modern=False):
        self.url, self.capabilities, self.modern = url, capabilities, modern
        self.http = httpx.Client(timeout=30)
        self.next_id = 0
        self.headers = dict(ACCEPT)
        if not modern:
            self.initialize_result = self.request("initialize", {"protocolVersion": "2025-11-25", "capabilities": capabilities,
                                                                 "clientInfo": {"name": "tasks-test", "version": "1"}})
            self.headers.update({"MCP-Protocol-Version": "2025-11-25", "Mcp-Session-Id": self.last.headers["mcp-session-id"]})

    def request(self, method, params=None, meta=None):
        self.next_id += 1
        params = dict(params or {})
        headers = dict(self.headers)
        if self.modern:
            params["_meta"] = dict({"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                                    "io.modelcontextprotocol/clientCapabilities": self.capabilities}, **(meta or {}))
            headers.update({"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method})
            name = params.get("name") or params.get("taskId")
            if name:
                headers["Mcp-Name"] = name
        elif meta:
            params["_meta"] = meta
        self.last = self.http.post(self.url, headers=headers, json={"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        if self.last.headers.get("content-type", "").startswith("text/event-stream"):
            messages = [json.loads(line[6:]) for line in self.last.text.splitlines() if line.startswith("data: ") and line[6:].strip()]
            message = next(m for m in messages if m.get("id") == self.next_id)
        else:
            message = self.last.json()
        if "error" in message:
            raise RpcError(message["error"], self.last.status_code)
        return message["result"]

    def wait(self, task_id, statuses=("completed", "failed", "cancelled"), timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            task = self.request("tasks/get", {"taskId": task_id})
            if task["status"] in statuses:
                return task
            time.sleep(0.1)
        raise AssertionError(f"task {task_id} never reached {statuses}")


@pytest.fixture
def tasks(pier):
    s = Session(pier.url, {"elicitation": {}, "sampling": {}, "extensions": {EXT: {}}})
    yield s
    s.http.close()


@pytest.fixture
def plain(pier):
    s = Session(pier.url, {})
    yield s
    s.http.close()


def test_the_extension_is_advertised(tasks):
    caps = tasks.initialize_result["capabilities"]
    assert EXT in caps["extensions"] and "tasks" not in caps


def test_without_the_extension_tasks_are_refused_and_tools_run_in_place(plain):
    for method, params in [("tasks/get", {"taskId": "x"}), ("tasks/update", {"taskId": "x", "inputResponses": {}}), ("tasks/cancel", {"taskId": "x"})]:
        with pytest.raises(RpcError) as e:
            plain.request(method, params)
        assert e.value.code == -32021 and e.value.data["requiredCapabilities"] == {"extensions": {EXT: {}}}
    r = plain.request("tools/call", {"name": "slow_compute", "arguments": {"seconds": 0, "label": "sync"}})
    assert "taskId" not in r and r["content"][0]["text"] == "Computed sync in 0.0 s"
    with pytest.raises(RpcError) as e:
        plain.request("tools/call", {"name": "failing_job", "arguments": {}})
    assert e.value.code == -32021 and EXT in e.value.data["requiredCapabilities"]["extensions"]


def test_a_request_may_opt_in_through_its_meta(plain, tasks):
    r = plain.request("tools/call", {"name": "slow_compute", "arguments": {"seconds": 1}},
                      meta={"io.modelcontextprotocol/clientCapabilities": {"extensions": {EXT: {}}}})
    assert r["resultType"] == "task" and r["taskId"]
    tasks.request("tasks/cancel", {"taskId": r["taskId"]})


def test_lifecycle_create_poll_complete(tasks):
    greet = tasks.request("tools/call", {"name": "greet", "arguments": {"name": "World"}})
    assert greet["content"][0]["text"] == "Hello, World!" and "taskId" not in greet
    created = tasks.request("tools/call", {"name": "slow_compute", "arguments": {"seconds": 1, "label": "life"}})
    assert created["resultType"] == "task" and created["status"] == "working" and "task" not in created
    for absent in ("result", "error", "inputRequests", "requestState", "ttl", "pollInterval"):
        assert absent not in created
    for stamp in ("createdAt", "lastUpdatedAt"):
        time.strptime(created[stamp][:19], ISO)
    assert isinstance(created["ttlMs"], int) and created["ttlMs"] > 0 and isinstance(created["pollIntervalMs"], int)
    working = tasks.request("tasks/get", {"taskId": created["taskId"]})
    assert working["taskId"] == created["taskId"] and working["status"] == "working" and "result" not in working
    done = tasks.wait(created["taskId"])
    assert done["status"] == "completed" and done["result"]["content"][0]["text"] == "Computed life in 1.0 s"
    assert "io.modelcontextprotocol/related-task" not in done["result"].get("_meta", {}) and "requestState" not in done
    time.sleep(0.5)
    assert tasks.request("tasks/get", {"taskId": created["taskId"]})["status"] == "completed"


def test_tool_errors_complete_and_protocol_errors_fail(tasks):
    failing = tasks.request("tools/call", {"name": "failing_job", "arguments": {}})
    done = tasks.wait(failing["taskId"])
    assert done["status"] == "completed" and done["result"]["isError"] is True
    broken = tasks.request("tools/call", {"name": "protocol_error_job", "arguments": {}})
    failed = tasks.wait(broken["taskId"])
    assert failed["status"] == "failed" and failed["error"] == {"code": -32603, "message": "Protocol task failed"} and "result" not in failed


def test_cancel_acks_then_settles_and_a_finished_task_cannot_be_cancelled(tasks):
    created = tasks.request("tools/call", {"name": "slow_compute", "arguments": {"seconds": 60}})
    ack = tasks.request("tasks/cancel", {"taskId": created["taskId"]})
    assert ack == {"resultType": "complete"}
    assert tasks.wait(created["taskId"])["status"] == "cancelled"
    with pytest.raises(RpcError) as e:
        tasks.request("tasks/cancel", {"taskId": created["taskId"]})
    assert e.value.code == -32602


def test_unknown_tasks_and_removed_methods(tasks):
    with pytest.raises(RpcError) as e:
        tasks.request("tasks/get", {"taskId": "tsk_nope"})
    assert e.value.code == -32602 and e.value.args[0] == "Invalid task"
    for method in ("tasks/result", "tasks/list"):
        with pytest.raises(RpcError) as e:
            tasks.request(method, {"taskId": "tsk_nope"})
        assert e.value.code == -32601


def test_input_required_then_update_resumes(tasks):
    created = tasks.request("tools/call", {"name": "confirm_delete", "arguments": {"filename": "a.txt"}})
    parked = tasks.wait(created["taskId"], ("input_required",))
    (key, request), = parked["inputRequests"].items()
    assert request["method"] == "elicitation/create" and "a.txt" in request["params"]["message"]
    ack = tasks.request("tasks/update", {"taskId": created["taskId"], "inputResponses": {key: {"action": "accept", "content": {"confirm": True}}}})
    assert ack == {"resultType": "complete"}
    assert tasks.wait(created["taskId"])["result"]["content"][0]["text"] == "Deleted a.txt"


def test_partial_answers_keep_the_rest_pending(tasks):
    created = tasks.request("tools/call", {"name": "multi_input", "arguments": {}})
    parked = tasks.wait(created["taskId"], ("input_required",))
    first, second = parked["inputRequests"]
    tasks.request("tasks/update", {"taskId": created["taskId"], "inputResponses": {first: {"action": "accept", "content": {"name": "A"}}, "bogus": {}}})
    still = tasks.request("tasks/get", {"taskId": created["taskId"]})
    assert still["status"] == "input_required" and list(still["inputRequests"]) == [second]
    tasks.request("tasks/update", {"taskId": created["taskId"], "inputResponses": {second: {"action": "accept", "content": {"name": "B"}}}})
    assert tasks.wait(created["taskId"])["result"]["content"][0]["text"] == "Got A and B"


def test_stateless_input_first_then_a_task(pier):
    s = Session(pier.url, {"elicitation": {"form": {}}, "extensions": {EXT: {}}}, modern=True)
    first = s.request("tools/call", {"name": "test_tool_with_task", "arguments": {}})
    assert first["resultType"] == "input_required" and "taskId" not in first and list(first["inputRequests"]) == ["user_name"]
    created = s.request("tools/call", {"name": "test_tool_with_task", "arguments": {},
                                       "inputResponses": {"user_name": {"action": "accept", "content": {"name": "Zed"}}},
                                       "requestState": first["requestState"]})
    assert created["resultType"] == "task" and "requestState" not in created
    assert s.wait(created["taskId"])["result"]["content"][0]["text"] == "Hello, Zed!"
    # Mcp-Name, when sent for a task method, must name the task in the body.
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": s.capabilities}
    r = s.http.post(pier.url, headers=dict(ACCEPT, **{"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tasks/get", "Mcp-Name": "tsk_other"}),
                    json={"jsonrpc": "2.0", "id": 99, "method": "tasks/get", "params": {"taskId": created["taskId"], "_meta": meta}})
    assert r.status_code == 400 and r.json()["error"]["code"] == -32020
    s.http.close()


def test_stateless_client_without_the_extension_gets_32021_with_http_400(pier):
    s = Session(pier.url, {}, modern=True)
    with pytest.raises(RpcError) as e:
        s.request("tools/call", {"name": "failing_job", "arguments": {}})
    assert e.value.code == -32021 and e.value.status == 400
    s.http.close()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def two_instances(request):
    """Two Piers sharing one store, as two instances behind a load balancer (no sticky sessions): one SQLite file,
    or the PostgreSQL server scripts/test.sh starts."""
    import os
    import tempfile

    from pier_launch import start_pier, stop_pier

    env = {}
    if request.param == "postgres":
        if os.environ.get("PIER_SKIP_POSTGRES") == "1":
            pytest.skip("PIER_SKIP_POSTGRES=1")
        url = os.environ.get("PIER_TEST_DATABASE_URL")
        assert url, "PIER_TEST_DATABASE_URL is not set (scripts/test.sh starts PostgreSQL and sets it)"
        env = {"DATABASE_URL": url}
    shared = tempfile.mkdtemp(prefix="pier-shared-")
    a = start_pier(["demo", "conformance"], env, data_dir=shared)
    b = start_pier(["demo", "conformance"], env, data_dir=shared)
    yield a, b
    stop_pier(a)
    stop_pier(b)


def test_a_task_started_on_one_instance_is_served_by_another(two_instances):
    a, b = (Session(p.url, {"elicitation": {"form": {}}, "extensions": {EXT: {}}}, modern=True) for p in two_instances)
    created = a.request("tools/call", {"name": "slow_compute", "arguments": {"seconds": 0.5, "label": "shared"}})
    assert b.request("tasks/get", {"taskId": created["taskId"]})["status"] == "working"
    assert b.wait(created["taskId"])["result"]["content"][0]["text"] == "Computed shared in 0.5 s"

    # Input asked on A, answered through B.
    asking = a.request("tools/call", {"name": "confirm_delete", "arguments": {"filename": "x.txt"}})
    parked = b.wait(asking["taskId"], ("input_required",))
    (key, _), = parked["inputRequests"].items()
    ack = b.request("tasks/update", {"taskId": asking["taskId"], "inputResponses": {key: {"action": "accept", "content": {"confirm": True}}}})
    assert ack["resultType"] == "complete" and "status" not in ack
    assert b.wait(asking["taskId"])["result"]["content"][0]["text"] == "Deleted x.txt"

    # Cancelled through B while A runs it; B then refuses a second cancel.
    slow = a.request("tools/call", {"name": "slow_compute", "arguments": {"seconds": 60}})
    assert b.request("tasks/cancel", {"taskId": slow["taskId"]})["resultType"] == "complete"
    assert a.wait(slow["taskId"])["status"] == "cancelled"
    assert b.wait(slow["taskId"])["status"] == "cancelled"
    with pytest.raises(RpcError) as e:
        b.request("tasks/cancel", {"taskId": slow["taskId"]})
    assert e.value.code == -32602
    with pytest.raises(RpcError) as e:
        b.request("tasks/get", {"taskId": "tsk_" + "0" * 32})
    assert e.value.args[0] == "Invalid task"
