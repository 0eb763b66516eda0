"""A live Pier with PIER_AUTH=oauth (its own authorization server) and a user to sign in as."""

import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "support"))
from document_host import DocumentHost  # noqa: E402
from pier_launch import free_port, start_pier, stop_pier  # noqa: E402

USER, PASSWORD = "ada", "correct-horse-battery-staple"
# The seed's pre-registered confidential client.
SEED_CLIENT, SEED_SECRET = "seed-client", "seed-secret-" + "s" * 32
ADMIN_KEY = "admin-key-" + "k" * 32


@pytest.fixture(scope="module")
def documents():
    """An https host on loopback for client metadata documents (its CA is given to Pier)."""
    host = DocumentHost()
    yield host
    host.stop()


def oauth_env(documents: DocumentHost) -> dict:
    return {"PIER_AUTH": "oauth", "PIER_ADMIN_USER": USER, "PIER_ADMIN_PASSWORD": PASSWORD, "DATABASE_URL": "", "ACCESS_TOKEN_EXPIRE_MINUTES": "5",
            "OAUTH_CLIENT_ID": SEED_CLIENT, "OAUTH_CLIENT_SECRET": SEED_SECRET, "OAUTH_REDIRECT_URI": "http://127.0.0.1:9/callback", "OAUTH_SCOPE": "mcp:read",
            # The test switch: the documents are served from loopback, by a CA only this test trusts.
            "PIER_OAUTH_CIMD_ALLOW_LOOPBACK": "1", "PIER_OAUTH_CIMD_CA_FILE": documents.ca_file, "PIER_ADMIN_API_KEY": ADMIN_KEY}


@pytest.fixture(scope="module")
def pier(documents):
    data_dir = tempfile.mkdtemp(prefix="pier-auth-")
    port = free_port()
    # BASE_URL set, as an operator would: it is the issuer and names each endpoint's resource.
    p = start_pier(["demo", "cart"], dict(oauth_env(documents), BASE_URL=f"http://127.0.0.1:{port}"), data_dir=data_dir, port=port)
    assert p.base == f"http://127.0.0.1:{port}"
    p.data_dir = data_dir
    yield p
    assert p.process.poll() is None, "pier died during the tests"
    stop_pier(p)


@pytest.fixture
def anyio_backend():
    return "asyncio"
