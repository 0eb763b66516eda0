"""Elicitation, sampling and roots for 2026-07-28 clients through input_required results (MRTR), driven by the
official SDK 2.x and its callbacks."""

import mcp_types as types
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

pytestmark = pytest.mark.anyio


def answering(**answers):
    """An elicitation callback that fills every field it knows and records the messages and schemas asked."""
    asked = []

    async def callback(context, params):
        asked.append((params.message, params.requested_schema))
        if "decline" in answers:
            return types.ElicitResult(action="decline")
        fields = params.requested_schema["properties"]
        return types.ElicitResult(action="accept", content={k: answers[k] for k in fields if k in answers})

    return callback, asked


async def sampling(context, params):
    return types.CreateMessageResult(role="assistant", content=types.TextContent(type="text", text="Paris"), model="test-model", stop_reason="endTurn")


async def roots(context):
    return types.ListRootsResult(roots=[types.Root(uri="file:///work/project", name="project")])


async def test_elicitation_round_trip(pier):
    callback, asked = answering(username="Ada", email="ada@example.com")
    async with Client(pier.url, mode="2026-07-28", elicitation_callback=callback) as c:
        r = await c.call_tool("test_elicitation", {"message": "Who are you?"})
        assert r.content[0].text == 'User response: <action: accept, content: {"username":"Ada","email":"ada@example.com"}>'
    assert [m for m, _ in asked] == ["Who are you?"]


async def test_keyed_elicitation(pier):
    callback, asked = answering(name="Ada")
    async with Client(pier.url, mode="2026-07-28", elicitation_callback=callback) as c:
        r = await c.call_tool("test_input_required_result_elicitation", {})
        assert r.content[0].text == "Hello, Ada!"
    assert asked[0][0] == "What is your name?"


async def test_two_rounds(pier):
    callback, asked = answering(name="Ada", color="green")
    async with Client(pier.url, mode="2026-07-28", elicitation_callback=callback) as c:
        r = await c.call_tool("test_input_required_result_multi_round", {})
        assert r.content[0].text == "name=Ada color=green"
    assert [m for m, _ in asked] == ["Step 1: What is your name?", "Step 2: What is your favorite color?"]


async def test_three_kinds_of_input_in_one_round(pier):
    callback, asked = answering(name="Ada")
    async with Client(pier.url, mode="2026-07-28", elicitation_callback=callback, sampling_callback=sampling, list_roots_callback=roots) as c:
        r = await c.call_tool("test_input_required_result_multiple_inputs", {})
        assert r.content[0].text == "name=Ada greeting=Paris roots=1"


async def test_request_state_is_verified(pier):
    callback, _ = answering(ok=True)
    async with Client(pier.url, mode="2026-07-28", elicitation_callback=callback) as c:
        r = await c.call_tool("test_input_required_result_request_state", {})
        assert r.content[0].text.startswith("state-ok")


async def test_prompt_asks_for_input(pier):
    callback, asked = answering(context="gardening")
    async with Client(pier.url, mode="2026-07-28", elicitation_callback=callback) as c:
        got = await c.get_prompt("test_input_required_result_prompt", {})
        assert got.messages[0].content.text == "Answer with this context in mind: gardening"
    assert asked[0][0] == "What context should the prompt use?"


async def test_sep1034_defaults_reach_the_client(pier):
    callback, asked = answering(name="Jane", age=25, score=88.0, status="inactive", verified=False)
    async with Client(pier.url, mode="2026-07-28", elicitation_callback=callback) as c:
        r = await c.call_tool("test_elicitation_sep1034_defaults", {})
        assert r.content[0].text.startswith("Elicitation completed: action=accept")
    props = asked[0][1]["properties"]
    assert [props[k]["default"] for k in ("name", "age", "score", "status", "verified")] == ["John Doe", 30, 95.5, "active", True]


async def test_decline(pier):
    callback, _ = answering(decline=True)
    async with Client(pier.url, mode="2026-07-28", elicitation_callback=callback) as c:
        r = await c.call_tool("test_input_required_result_elicitation", {})
        assert r.content[0].text == "No name given (decline)"


async def test_an_answer_that_breaks_the_form_is_refused(pier):
    async def wrong(context, params):
        return types.ElicitResult(action="accept", content={"name": 42})

    async with Client(pier.url, mode="2026-07-28", elicitation_callback=wrong) as c:
        with pytest.raises(MCPError) as e:
            await c.call_tool("test_input_required_result_elicitation", {})
        assert e.value.error.code == -32602 and "user_name" in e.value.error.message


async def test_client_without_the_capability_gets_32021(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        with pytest.raises(MCPError) as e:
            await c.call_tool("test_input_required_result_elicitation", {})
        assert e.value.error.code == -32021
        assert e.value.error.data["requiredCapabilities"] == {"elicitation": {}}


async def test_sampling_and_roots_through_input_required(pier):
    async with Client(pier.url, mode="2026-07-28", sampling_callback=sampling, list_roots_callback=roots) as c:
        r = await c.call_tool("test_input_required_result_sampling", {})
        assert r.content[0].text == "LLM response: Paris"
        r = await c.call_tool("test_input_required_result_list_roots", {})
        assert r.content[0].text == "Roots: file:///work/project"
        r = await c.call_tool("test_sampling", {"prompt": "Capital of France?"})
        assert r.content[0].text == "LLM response: Paris"


async def test_only_declared_capabilities_are_asked(pier):
    async with Client(pier.url, mode="2026-07-28", sampling_callback=sampling) as c:
        r = await c.call_tool("test_input_required_result_capabilities", {})
        assert r.content[0].text == "capabilities-ok: answered sampling"


async def test_sampling_without_the_capability_gets_32021(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        with pytest.raises(MCPError) as e:
            await c.call_tool("test_input_required_result_sampling", {})
        assert e.value.error.code == -32021
