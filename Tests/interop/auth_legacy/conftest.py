"""The OAuth tests' live Pier (PIER_AUTH=oauth), for the SDK 1.x client: the fixture of ../auth/conftest.py."""

import importlib.util
import sys
from pathlib import Path

_auth = Path(__file__).resolve().parents[1] / "auth"
sys.path.insert(0, str(_auth))
_spec = importlib.util.spec_from_file_location("auth_conftest", _auth / "conftest.py")
auth = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(auth)

documents = auth.documents
pier = auth.pier
anyio_backend = auth.anyio_backend
