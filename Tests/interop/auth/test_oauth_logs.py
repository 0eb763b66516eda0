"""Nothing Pier logs holds a secret: a whole OAuth flow (registration with a client secret, sign-in, code, tokens,
refresh, revocation, bearer calls, a wrong password; then a metadata-document client with a private_key_jwt
assertion and an ID token) with Pier logging at trace level, then its log searched for every secret the flow used."""

import json
import os
import subprocess
import tempfile
import time
import urllib.request

from conftest import PASSWORD, USER
from oauth_flow import REDIRECT, authorize_url, form, mcp, pkce, redirected, register, sign_in
from pier_launch import ROOT, free_port
from cimd_client import ASSERTION_TYPE, ClientKey, publish


def test_no_secret_reaches_the_log(documents):
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    env = dict(os.environ, LOG_LEVEL="trace", PIER_DATA_DIR=tempfile.mkdtemp(), PIER_AUTH="oauth", PIER_ADMIN_USER=USER, PIER_ADMIN_PASSWORD=PASSWORD, DATABASE_URL="",
               PIER_OAUTH_CIMD_ALLOW_LOOPBACK="1", PIER_OAUTH_CIMD_CA_FILE=documents.ca_file)
    binary = os.environ.get("PIER_BIN", str(ROOT / ".build" / "debug" / "pier"))
    process = subprocess.Popen([binary, "serve", "--port", str(port), "--app", "demo", "--app", "cart"], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        secrets_seen = [PASSWORD]
        client = register(base, method="client_secret_post")
        secrets_seen.append(client["client_secret"])
        sign_in(authorize_url(base, client["client_id"], pkce()[1], base + "/mcp"), USER, "a wrong password, logged?")
        secrets_seen.append("a wrong password, logged?")
        verifier, challenge = pkce()
        query = redirected(sign_in(authorize_url(base, client["client_id"], challenge, base + "/mcp"), USER, PASSWORD))
        secrets_seen += [query["code"], verifier]
        fields = {"grant_type": "authorization_code", "code": query["code"], "code_verifier": verifier, "client_id": client["client_id"],
                  "client_secret": client["client_secret"], "redirect_uri": REDIRECT, "resource": base + "/mcp"}
        status, _, text = form(base + "/auth/token", fields)
        assert status == 200, text
        granted = json.loads(text)
        secrets_seen += [granted["access_token"], granted["refresh_token"]]
        assert mcp(base + "/mcp", granted["access_token"], "tools/call", {"name": "echo", "arguments": {"text": "x"}})[0] == 200
        status, _, text = form(base + "/auth/token", {"grant_type": "refresh_token", "refresh_token": granted["refresh_token"], "client_id": client["client_id"], "client_secret": client["client_secret"]})
        refreshed = json.loads(text)
        secrets_seen += [refreshed["access_token"], refreshed["refresh_token"]]
        form(base + "/auth/revoke", {"token": refreshed["refresh_token"], "client_id": client["client_id"], "client_secret": client["client_secret"]})
        assert mcp(base + "/mcp", refreshed["access_token"], "tools/list")[0] == 401
        # A metadata-document client with private_key_jwt, asking for an ID token.
        key = ClientKey("log-key")
        client_id = publish(documents, "/logs-client.json", token_endpoint_auth_method="private_key_jwt", jwks=key.jwks)
        verifier, challenge = pkce()
        query = redirected(sign_in(authorize_url(base, client_id, challenge, base + "/mcp", scope="openid mcp:read"), USER, PASSWORD))
        assertion = key.assertion(client_id, base + "/auth/token")
        status, _, text = form(base + "/auth/token", {
            "grant_type": "authorization_code", "code": query["code"], "code_verifier": verifier, "client_id": client_id, "redirect_uri": REDIRECT,
            "resource": base + "/mcp", "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion})
        assert status == 200, text
        granted = json.loads(text)
        secrets_seen += [query["code"], verifier, assertion, granted["access_token"], granted["refresh_token"], granted["id_token"]]
    finally:
        process.terminate()
        process.wait(timeout=10)
    text = open(log.name).read()
    assert len(text) > 1000, "trace logging wrote something"
    leaked = [s[:12] + "…" for s in secrets_seen if s in text]
    assert not leaked, f"secrets in the log: {leaked}"
