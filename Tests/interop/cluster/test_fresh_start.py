"""A first start on an empty store (a new SQLite file, an empty PostgreSQL database): the services that use the
store wait for its migrations, so nothing is logged about tables that do not exist yet (before, presence and the
registry poll raced them)."""

import os
import time

import pytest

from conftest import fresh_database
from pier_launch import start_pier, stop_pier


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_first_start_on_an_empty_store_logs_no_warning(backend):
    if backend == "postgres" and os.environ.get("PIER_SKIP_POSTGRES") == "1":
        pytest.skip("PIER_SKIP_POSTGRES=1")
    p = start_pier(["demo"], {"DATABASE_URL": fresh_database() if backend == "postgres" else "", "LOG_LEVEL": "info"})
    try:
        time.sleep(1.5)  # presence writes at once, the registry is read at once: both have had their first go
    finally:
        stop_pier(p)
    log = p.log()
    assert "store ready" in log, log
    assert [line for line in log.splitlines() if " warning " in line or " error " in line] == [], log
