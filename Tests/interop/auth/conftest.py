"""A live Pier with PIER_AUTH=oauth (its own authorization server) and a user to sign in as."""

import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "support"))
from pier_launch import start_pier, stop_pier  # noqa: E402

USER, PASSWORD = "ada", "correct-horse-battery-staple"


@pytest.fixture(scope="module")
def pier():
    p = start_pier(
        ["demo", "cart"],
        {"PIER_AUTH": "oauth", "PIER_ADMIN_USER": USER, "PIER_ADMIN_PASSWORD": PASSWORD, "DATABASE_URL": "", "ACCESS_TOKEN_EXPIRE_MINUTES": "5"},
        data_dir=tempfile.mkdtemp(prefix="pier-auth-"),
    )
    yield p
    assert p.process.poll() is None, "pier died during the tests"
    stop_pier(p)


@pytest.fixture
def anyio_backend():
    return "asyncio"
