"""A first start on an empty PostgreSQL database: the services that use the store wait for its migrations, so
nothing is logged about tables that do not exist yet (before, presence and the registry poll raced them)."""

import os
import time

import pytest

from conftest import fresh_database
from pier_launch import start_pier, stop_pier


def test_a_first_start_on_an_empty_database_logs_no_warning():
    if os.environ.get("PIER_SKIP_POSTGRES") == "1":
        pytest.skip("PIER_SKIP_POSTGRES=1")
    p = start_pier(["demo"], {"DATABASE_URL": fresh_database(), "LOG_LEVEL": "info"})
    try:
        time.sleep(1.5)  # presence writes at once, the registry is read at once: both have had their first go
    finally:
        stop_pier(p)
    log = p.log()
    assert "store ready" in log, log
    assert [line for line in log.splitlines() if " warning " in line or " error " in line] == [], log
