"""Helpers for driving `pier serve --stdio` from the interop tests."""

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1].parent
PIER = os.environ.get("PIER_BIN", str(ROOT / ".build" / "debug" / "pier"))
ARGS = ["serve", "--stdio", "--app", "demo", "--app", "conformance"]

if os.environ.get("PIER_VIA_GATEWAY") == "1":
    # A stdio Pier with no apps of its own, in front of a stdio Pier serving them (`"prefix": ""`).
    import json

    _config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump({"apps": [], "mcpServers": {"pier": {"command": PIER, "args": ARGS, "prefix": "", "env": {
        "PIER_DATA_DIR": tempfile.mkdtemp(prefix="pier-stdio-upstream-"), "LOG_LEVEL": "warning", "PIER_PAGE_SIZE": "5"}}}}, _config)
    _config.close()
    ARGS = ["serve", "--stdio", "--config", _config.name]


def stdio_env() -> dict[str, str]:
    """Environment for a stdio Pier: its own data directory, quiet logs on stderr."""
    return dict(os.environ, PIER_DATA_DIR=tempfile.mkdtemp(prefix="pier-stdio-"), LOG_LEVEL="warning", PIER_PAGE_SIZE="5")
