"""A Pier gateway in front of real upstream servers (see Tests/support/gateway_launch.py)."""

import pytest
from gateway_launch import start_gateway, stop_gateway


@pytest.fixture(scope="session")
def gateway():
    g = start_gateway()
    yield g
    assert g.pier.process.poll() is None, "pier died during the tests"
    stop_gateway(g)
