"""The admin tests' live Pier (one per store), for the SDK 2.x client: the fixture of ../admin/conftest.py."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("admin_conftest", Path(__file__).resolve().parents[1] / "admin" / "conftest.py")
admin = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(admin)

host = admin.host
