"""Elicitation for 2026-07-28 clients through input_required results (MRTR), with the official SDK 2.x."""

import mcp_types as types
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

pytestmark = pytest.mark.anyio


def answering(**answers):
    asked = []

    async def callback(context, params):
        asked.append(params.message)
        if "decline" in answers:
            return types.ElicitResult(action="decline")
        key = next(iter(params.requested_schema["properties"]))
        return types.ElicitResult(action="accept", content={key: answers[key]})

    return callback, asked


async def test_elicitation_round_trip(pier):
    callback, asked = answering(username="Ada")
    async with Client(pier.url, mode="2026-07-28", elicitation_callback=callback) as c:
        r = await c.call_tool("test_elicitation", {})
        assert r.content[0].text == "User provided: Ada"
    assert asked == ["Please provide your username"]


async def test_two_rounds(pier):
    callback, asked = answering(username="Ada", color="green")
    async with Client(pier.url, mode="2026-07-28", elicitation_callback=callback) as c:
        r = await c.call_tool("test_elicitation_multi_round", {})
        assert r.content[0].text == "name=Ada color=green"
    assert asked == ["Please provide your username", "Pick a color"]


async def test_decline(pier):
    callback, _ = answering(decline=True)
    async with Client(pier.url, mode="2026-07-28", elicitation_callback=callback) as c:
        r = await c.call_tool("test_elicitation", {})
        assert r.content[0].text == "User declined the request"


async def test_client_without_the_capability_gets_32021(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        with pytest.raises(MCPError) as e:
            await c.call_tool("test_elicitation", {})
        assert e.value.error.code == -32021


async def test_sampling_and_roots_through_input_required(pier):
    asked = []

    async def sampling(context, params):
        asked.append(params.messages[0].content.text)
        return types.CreateMessageResult(role="assistant", content=types.TextContent(type="text", text="Paris"), model="test-model", stop_reason="endTurn")

    async def roots(context):
        return types.ListRootsResult(roots=[types.Root(uri="file:///work/project", name="project")])

    async with Client(pier.url, mode="2026-07-28", sampling_callback=sampling, list_roots_callback=roots) as c:
        r = await c.call_tool("test_input_required_result_sampling", {})
        assert r.content[0].text == "LLM response: Paris"
        r = await c.call_tool("test_input_required_result_list_roots", {})
        assert r.content[0].text == "Roots: file:///work/project"
    assert asked == ["What is the capital of France?"]


async def test_sampling_without_the_capability_gets_32021(pier):
    async with Client(pier.url, mode="2026-07-28") as c:
        with pytest.raises(MCPError) as e:
            await c.call_tool("test_input_required_result_sampling", {})
        assert e.value.error.code == -32021
