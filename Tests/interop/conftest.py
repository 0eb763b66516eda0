"""Starts a live `pier serve` for the interop tests and stops it afterwards."""

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from pier_launch import Pier, start_pier as launch, stop_pier  # noqa: E402

PAGE_SIZE = 5


# With PIER_VIA_GATEWAY=1 every interop test runs through a Pier gateway in front of the Pier under test
# (`"prefix": ""`), which must make no difference to any client.
VIA_GATEWAY = os.environ.get("PIER_VIA_GATEWAY") == "1"
_upstreams: dict[int, Pier] = {}


def start_pier(extra_env: dict[str, str] | None = None) -> Pier:
    env = dict({"PIER_PAGE_SIZE": str(PAGE_SIZE)}, **(extra_env or {}))
    if not VIA_GATEWAY:
        return launch(["demo", "conformance"], env)
    from gateway_launch import wait_for_tools

    upstream = launch(["demo", "conformance"], env)
    config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump({"apps": [], "mcpServers": {"pier": {"url": upstream.url, "prefix": ""}}}, config)
    config.close()
    front = launch([], env, config=config.name)
    _upstreams[front.process.pid] = upstream
    wait_for_tools(front.url, EXPECTED_TOOLS)
    return front


def stop(p: Pier) -> None:
    try:
        stop_pier(p)
    finally:
        upstream = _upstreams.pop(p.process.pid, None)
        if upstream:
            stop_pier(upstream)


@pytest.fixture(scope="session")
def pier():
    p = start_pier()
    yield p
    assert p.process.poll() is None, "pier died during the tests"
    stop(p)


@pytest.fixture(scope="session")
def gateway():
    """A Pier gateway in front of real upstream servers (see Tests/support/gateway_launch.py)."""
    from gateway_launch import start_gateway, stop_gateway

    g = start_gateway()
    yield g
    assert g.pier.process.poll() is None, "pier died during the tests"
    stop_gateway(g)


@pytest.fixture
def anyio_backend():
    return "asyncio"


# The tools every interop run expects: demo + conformance apps.
EXPECTED_TOOLS = sorted(
    [
        "add_numbers",
        "confirm_delete",
        "echo",
        "failing_job",
        "greet",
        "multi_input",
        "protocol_error_job",
        "slow_compute",
        "test_tool_with_task",
        "json_schema_2020_12_tool",
        "test_elicitation",
        "test_elicitation_sep1034_defaults",
        "test_elicitation_sep1330_enums",
        "test_audio_content",
        "test_embedded_resource",
        "test_error_handling",
        "test_image_content",
        "test_input_required_result_capabilities",
        "test_input_required_result_elicitation",
        "test_input_required_result_list_roots",
        "test_input_required_result_multi_round",
        "test_input_required_result_multiple_inputs",
        "test_input_required_result_request_state",
        "test_input_required_result_sampling",
        "test_input_required_result_tampered_state",
        "test_missing_capability",
        "test_multiple_content_types",
        "test_sampling",
        "test_simple_text",
        "test_slow_operation",
        "test_slow_operation_stats",
        "test_structured_output",
        "test_tool_with_logging",
        "test_tool_with_progress",
        "test_toggle_dynamic_tool",
        "test_update_watched_resource",
    ]
)
