"""The conformance suite's input-required-result scenarios, replayed as raw JSON-RPC over HTTP so every field of
the wire shape is checked (fixed input keys, requestState handling, prompts/get, capability gating)."""

import httpx
import pytest

ALL_CAPS = {"elicitation": {"form": {}}, "sampling": {}, "roots": {}}


class Raw:
    def __init__(self, url, capabilities):
        self.url = url
        self.capabilities = capabilities
        self.client = httpx.Client(timeout=10)
        self.next_id = 0

    def send(self, method, params):
        self.next_id += 1
        meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": self.capabilities}
        headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
                   "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method}
        if "name" in params:
            headers["Mcp-Name"] = params["name"]
        body = {"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": dict(params, _meta=meta)}
        return self.client.post(self.url, headers=headers, json=body).json()

    def call(self, tool, **extra):
        return self.send("tools/call", dict({"name": tool, "arguments": {}}, **extra))


@pytest.fixture
def raw(pier):
    r = Raw(pier.url, ALL_CAPS)
    yield r
    r.client.close()


def accept(content):
    return {"action": "accept", "content": content}


def test_basic_elicitation_uses_the_fixed_key(raw):
    r1 = raw.call("test_input_required_result_elicitation")["result"]
    assert r1["resultType"] == "input_required"
    assert r1["inputRequests"]["user_name"] == {"method": "elicitation/create", "params": {
        "mode": "form", "message": "What is your name?",
        "requestedSchema": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}}}
    r2 = raw.call("test_input_required_result_elicitation", inputResponses={"user_name": accept({"name": "Alice"})}, requestState=r1["requestState"])
    assert r2["result"]["resultType"] == "complete" and r2["result"]["content"][0]["text"] == "Hello, Alice!"


def test_sampling_and_roots_keys(raw):
    sampling = raw.call("test_input_required_result_sampling")["result"]["inputRequests"]
    assert sampling["capital_question"]["params"]["maxTokens"] == 100
    assert sampling["capital_question"]["params"]["messages"][0]["content"]["text"] == "What is the capital of France?"
    roots = raw.call("test_input_required_result_list_roots")["result"]["inputRequests"]
    assert roots == {"client_roots": {"method": "roots/list", "params": {}}}


def test_request_state_round_trip_says_state_ok(raw):
    r1 = raw.call("test_input_required_result_request_state")["result"]
    assert isinstance(r1["requestState"], str) and list(r1["inputRequests"]) == ["confirm"]
    r2 = raw.call("test_input_required_result_request_state", inputResponses={"confirm": accept({"ok": True})}, requestState=r1["requestState"])
    assert "state-ok" in r2["result"]["content"][0]["text"]


def test_multiple_inputs_in_one_round(raw):
    r1 = raw.call("test_input_required_result_multiple_inputs")["result"]
    assert {k: v["method"] for k, v in r1["inputRequests"].items()} == {
        "user_name": "elicitation/create", "greeting": "sampling/createMessage", "client_roots": "roots/list"}
    answers = {
        "user_name": accept({"name": "Alice"}),
        "greeting": {"role": "assistant", "content": {"type": "text", "text": "Hello there!"}, "model": "m"},
        "client_roots": {"roots": [{"uri": "file:///test/root", "name": "Test Root"}]},
    }
    r2 = raw.call("test_input_required_result_multiple_inputs", inputResponses=answers, requestState=r1["requestState"])
    assert r2["result"]["content"][0]["text"] == "name=Alice greeting=Hello there! roots=1"


def test_multi_round_state_changes_each_round(raw):
    r1 = raw.call("test_input_required_result_multi_round")["result"]
    assert list(r1["inputRequests"]) == ["step1"]
    r2 = raw.call("test_input_required_result_multi_round", inputResponses={"step1": accept({"name": "Alice"})}, requestState=r1["requestState"])["result"]
    assert list(r2["inputRequests"]) == ["step2"] and r2["requestState"] != r1["requestState"]
    assert r2["inputRequests"]["step2"]["params"]["message"] == "Step 2: What is your favorite color?"
    r3 = raw.call("test_input_required_result_multi_round", inputResponses={"step2": accept({"color": "blue"})}, requestState=r2["requestState"])
    assert r3["result"]["content"][0]["text"] == "name=Alice color=blue"


def test_a_wrong_key_is_asked_again_not_an_error(raw):
    r = raw.call("test_input_required_result_elicitation", inputResponses={"wrong_key": accept({"data": "wrong"})})
    assert r["result"]["resultType"] == "input_required" and "user_name" in r["result"]["inputRequests"]


def test_tampered_state_is_a_jsonrpc_error(raw):
    r1 = raw.call("test_input_required_result_tampered_state")["result"]
    r2 = raw.call("test_input_required_result_tampered_state", inputResponses={"confirm": accept({"ok": True})}, requestState=r1["requestState"] + "-TAMPERED")
    assert r2["error"]["code"] == -32602 and "result" not in r2


def test_only_declared_capabilities_are_asked(pier):
    raw = Raw(pier.url, {"sampling": {}})
    r1 = raw.call("test_input_required_result_capabilities")["result"]
    assert [v["method"] for v in r1["inputRequests"].values()] == ["sampling/createMessage"]


def test_prompts_get_asks_too(raw):
    r1 = raw.send("prompts/get", {"name": "test_input_required_result_prompt"})["result"]
    assert r1["resultType"] == "input_required" and list(r1["inputRequests"]) == ["user_context"]
    r2 = raw.send("prompts/get", {"name": "test_input_required_result_prompt", "inputResponses": {"user_context": accept({"context": "test context"})},
                                  "requestState": r1["requestState"]})["result"]
    assert r2["resultType"] == "complete" and r2["messages"][0]["content"]["text"].endswith("test context")


def test_never_on_methods_that_cannot_ask(raw):
    r = raw.send("tools/list", {"inputResponses": {"x": accept({})}})
    assert r["result"]["resultType"] == "complete" and "inputRequests" not in r["result"]
