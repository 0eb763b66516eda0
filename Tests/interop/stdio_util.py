"""Helpers for driving `pier serve --stdio` from the interop tests."""

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1].parent
PIER = os.environ.get("PIER_BIN", str(ROOT / ".build" / "debug" / "pier"))
ARGS = ["serve", "--stdio", "--app", "demo", "--app", "conformance"]


def stdio_env() -> dict[str, str]:
    """Environment for a stdio Pier: its own data directory, quiet logs on stderr."""
    return dict(os.environ, PIER_DATA_DIR=tempfile.mkdtemp(prefix="pier-stdio-"), LOG_LEVEL="warning", PIER_PAGE_SIZE="5")
