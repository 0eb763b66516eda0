"""Prints an access token for the Pier at URL (PIER_AUTH=oauth): registers a client, signs in as USER with
PASSWORD through the sign-in form, and exchanges the code, as Tests/interop/auth does.
    python Benchmarks/auth_token.py BASE_URL USER PASSWORD"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "interop" / "auth"))
from oauth_flow import tokens  # noqa: E402

base, user, password = sys.argv[1:4]
print(tokens(base, base + "/mcp", user, password)[1]["access_token"])
