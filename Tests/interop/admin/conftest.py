"""A live Pier with the admin API on, for each store: SQLite in a data directory, and a fresh PostgreSQL database
(from PIER_TEST_DATABASE_URL, which scripts/test.sh starts; PIER_SKIP_POSTGRES=1 leaves it out on purpose)."""

import glob
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "support"))
from pier_launch import Pier, start_pier, stop_pier  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
TIME_PYTHON = str(ROOT / ".build-peers" / "upstreams" / "bin" / "python")
KEY = "test-admin-key-" + secrets.token_hex(16)


@dataclass
class Host:
    """One Pier under test and how to start it again on the same store."""

    backend: str
    env: dict
    data_dir: str
    config: str
    pier: Pier = field(default=None)

    @property
    def api(self) -> str:
        return self.pier.base + "/api/v1"

    def client(self, key: str | None = KEY):
        """An httpx client of the admin API (httpx is in the SDK 1.x environment)."""
        import httpx

        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.api, headers=headers, timeout=60)

    def start(self) -> None:
        self.pier = start_pier([], self.env, data_dir=self.data_dir, config=self.config)

    def stop(self) -> None:
        stop_pier(self.pier)


def psql() -> str:
    found = shutil.which("psql") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))), None)
    assert found, "psql is needed for the PostgreSQL admin tests"
    return found


def fresh_database(admin_url: str) -> str:
    name = "pier_admin_" + secrets.token_hex(6)
    subprocess.run([psql(), admin_url, "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    base, _, query = admin_url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")


def backends() -> list[str]:
    return ["sqlite"] if os.environ.get("PIER_SKIP_POSTGRES") == "1" else ["sqlite", "postgres"]


@pytest.fixture(scope="module", params=backends())
def host(request):
    data_dir = tempfile.mkdtemp(prefix="pier-admin-")
    config = os.path.join(data_dir, "pier.json")
    # A server from the config file, to show it is listed (source "config") but not changed through the API.
    with open(config, "w") as f:
        json.dump({"apps": ["demo"], "mcpServers": {"clock": {"command": TIME_PYTHON, "args": ["-m", "mcp_server_time"]}}}, f)
    env = {
        "PIER_ADMIN_API_KEY": KEY,
        "PIER_ADMIN_AUTH_FAILURES": "100000",
        "PIER_REGISTRY_POLL_SECONDS": "1",
        "PIER_INSTALL_TIMEOUT": "300",
    }
    if request.param == "postgres":
        admin_url = os.environ.get("PIER_TEST_DATABASE_URL")
        assert admin_url, "PIER_TEST_DATABASE_URL is not set (scripts/test.sh starts PostgreSQL; PIER_SKIP_POSTGRES=1 skips it)"
        env["DATABASE_URL"] = fresh_database(admin_url)
    else:
        env["DATABASE_URL"] = ""
    h = Host(backend=request.param, env=env, data_dir=data_dir, config=config)
    h.start()
    yield h
    assert h.pier.process.poll() is None, "pier died during the tests"
    h.stop()
    shutil.rmtree(data_dir, ignore_errors=True)
