"""Server-to-client requests (elicitation, sampling, roots) for handshake-era clients on stdio, HTTP+SSE and
Streamable HTTP, driven by the official SDK 1.x clients and their callbacks."""

import mcp.types as types
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamablehttp_client
from stdio_util import ARGS, PIER, stdio_env

pytestmark = pytest.mark.anyio

ANSWERS = {"username": "Grace", "email": "grace@example.com", "name": "Grace", "color": "blue", "ok": True, "context": "gardening"}


class Recorder:
    """The SDK callbacks, recording every request the server sent."""

    def __init__(self):
        self.elicitations = []

    async def elicit(self, context, params):
        self.elicitations.append(params)
        fields = params.requestedSchema["properties"]
        if set(fields) == {"untitledSingle", "titledSingle", "legacyEnum", "untitledMulti", "titledMulti"}:
            content = {"untitledSingle": "option1", "titledSingle": "value1", "legacyEnum": "opt1", "untitledMulti": ["option1"], "titledMulti": ["value2"]}
        elif "age" in fields:
            content = {"name": "Jane", "age": 25, "score": 88.5, "status": "inactive", "verified": False}
        else:
            content = {k: ANSWERS[k] for k in fields}
        return types.ElicitResult(action="accept", content=content)

    async def sample(self, context, params):
        return types.CreateMessageResult(role="assistant", content=types.TextContent(type="text", text="Paris"), model="test-model")

    async def roots(self, context):
        return types.ListRootsResult(roots=[types.Root(uri="file:///srv/app", name="app")])


async def exercise(read, write):
    rec = Recorder()
    async with ClientSession(read, write, elicitation_callback=rec.elicit, sampling_callback=rec.sample, list_roots_callback=rec.roots) as s:
        await s.initialize()
        r = await s.call_tool("test_elicitation", {"message": "Who are you?"})
        assert r.content[0].text == 'User response: <action: accept, content: {"username":"Grace","email":"grace@example.com"}>'
        r = await s.call_tool("test_input_required_result_multi_round", {})
        assert r.content[0].text == "name=Grace color=blue"
        r = await s.call_tool("test_sampling", {"prompt": "Capital of France?"})
        assert r.content[0].text == "LLM response: Paris"
        r = await s.call_tool("test_input_required_result_list_roots", {})
        assert r.content[0].text == "Roots: file:///srv/app"
        r = await s.call_tool("test_input_required_result_multiple_inputs", {})
        assert r.content[0].text == "name=Grace greeting=Paris roots=1"
        got = await s.get_prompt("test_input_required_result_prompt", {})
        assert got.messages[0].content.text == "Answer with this context in mind: gardening"
    return rec


async def test_stdio_server_requests():
    async with stdio_client(StdioServerParameters(command=PIER, args=ARGS, env=stdio_env())) as (read, write):
        await exercise(read, write)


async def test_http_sse_server_requests(pier):
    async with sse_client(pier.base + "/sse") as (read, write):
        await exercise(read, write)


async def test_streamable_http_server_requests_ride_the_call_stream(pier):
    async with streamablehttp_client(pier.url) as (read, write, _):
        rec = await exercise(read, write)
    assert rec.elicitations[0].message == "Who are you?"


async def test_sep1034_defaults_and_sep1330_enums(pier):
    rec = Recorder()
    async with streamablehttp_client(pier.url) as (read, write, _):
        async with ClientSession(read, write, elicitation_callback=rec.elicit) as s:
            await s.initialize()
            r = await s.call_tool("test_elicitation_sep1034_defaults", {})
            assert r.content[0].text.startswith("Elicitation completed: action=accept, content={")
            r = await s.call_tool("test_elicitation_sep1330_enums", {})
            assert r.content[0].text.startswith("Elicitation completed: action=accept")
    defaults, enums = (e.requestedSchema["properties"] for e in rec.elicitations)
    assert {k: v["default"] for k, v in defaults.items()} == {"name": "John Doe", "age": 30, "score": 95.5, "status": "active", "verified": True}
    assert defaults["age"]["type"] == "integer" and defaults["status"]["enum"] == ["active", "inactive", "pending"]
    assert enums["untitledSingle"] == {"type": "string", "enum": ["option1", "option2", "option3"]}
    assert all({"const", "title"} <= set(o) for o in enums["titledSingle"]["oneOf"]) and "enum" not in enums["titledSingle"]
    assert len(enums["legacyEnum"]["enumNames"]) == len(enums["legacyEnum"]["enum"]) == 3
    assert enums["untitledMulti"]["items"]["enum"] == ["option1", "option2", "option3"]
    assert all({"const", "title"} <= set(o) for o in enums["titledMulti"]["items"]["anyOf"])


async def test_json_only_client_gets_a_clear_tool_error(pier):
    """A client that accepts only JSON responses cannot be asked anything mid-call; it is told so."""
    import httpx

    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    async with httpx.AsyncClient(timeout=10) as c:
        init = await c.post(pier.url, headers=headers, json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {"elicitation": {}}, "clientInfo": {"name": "t", "version": "1"}}})
        h = dict(headers, **{"Mcp-Session-Id": init.headers["mcp-session-id"], "MCP-Protocol-Version": "2025-11-25"})
        r = await c.post(pier.url, headers=h, json={"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "test_input_required_result_elicitation", "arguments": {}}})
        result = r.json()["result"]
        assert result["isError"] and "cannot carry" in result["content"][0]["text"]


async def test_client_without_the_capability_gets_a_clear_error():
    async with stdio_client(StdioServerParameters(command=PIER, args=ARGS, env=stdio_env())) as (read, write):
        async with ClientSession(read, write) as s:
            await s.initialize()
            r = await s.call_tool("test_input_required_result_sampling", {})
            assert r.isError and "sampling capability" in r.content[0].text
