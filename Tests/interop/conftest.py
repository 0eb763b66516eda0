"""Starts a live `pier serve` for the interop tests and stops it afterwards."""

import os
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE_SIZE = 5


@dataclass
class Pier:
    url: str
    base: str
    process: subprocess.Popen


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_pier(extra_env: dict[str, str] | None = None) -> Pier:
    binary = os.environ.get("PIER_BIN", str(ROOT / ".build" / "debug" / "pier"))
    port = _free_port()
    env = dict(os.environ, PIER_PAGE_SIZE=str(PAGE_SIZE), LOG_LEVEL="warning", **(extra_env or {}))
    process = subprocess.Popen(
        [binary, "serve", "--port", str(port), "--app", "demo", "--app", "conformance"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pier exited: {process.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(base + "/health", timeout=1) as r:
                if r.status == 200:
                    return Pier(url=base + "/mcp", base=base, process=process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("pier did not become healthy in 30 s")


def stop_pier(pier: Pier) -> None:
    pier.process.terminate()
    try:
        pier.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pier.process.kill()
        raise


@pytest.fixture(scope="session")
def pier():
    p = start_pier()
    yield p
    assert p.process.poll() is None, "pier died during the tests"
    stop_pier(p)


@pytest.fixture
def anyio_backend():
    return "asyncio"


# The tools every interop run expects: demo + conformance apps.
EXPECTED_TOOLS = sorted(
    [
        "add_numbers",
        "echo",
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
