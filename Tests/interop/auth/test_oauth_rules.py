"""What Pier's authorization server and resource server refuse, each with the right status and error: the
negative suite of issue 12 that needs no CIMD or external IdP."""

import json
import time

import base64

from conftest import ADMIN_KEY, PASSWORD, SEED_CLIENT, SEED_SECRET, USER
from oauth_flow import REDIRECT, authorize_url, call, form, mcp, pkce, redirected, register, sign_in, tokens


def test_metadata_names_one_issuer_and_s256(pier):
    _, _, text = call("GET", pier.base + "/.well-known/oauth-authorization-server")
    meta = json.loads(text)
    _, _, prm = call("GET", pier.base + "/.well-known/oauth-protected-resource/mcp")
    prm = json.loads(prm)
    assert prm["resource"] == pier.url and prm["authorization_servers"] == [meta["issuer"]]
    assert meta["code_challenge_methods_supported"] == ["S256"] and meta["authorization_response_iss_parameter_supported"] is True
    _, _, readonly = call("GET", pier.base + "/.well-known/oauth-protected-resource/connectors/readonly/mcp")
    assert json.loads(readonly)["scopes_supported"] == ["mcp:read"]


def test_no_token_gets_the_challenge(pier):
    status, headers, _ = mcp(pier.url, None, "tools/list")
    assert status == 401
    challenge = headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer ") and f'resource_metadata="{pier.base}/.well-known/oauth-protected-resource/mcp"' in challenge
    assert 'scope="mcp:read mcp:write"' in challenge
    status, headers, _ = mcp(pier.url, "pier_at_tampered" + "x" * 30, "tools/list")
    assert status == 401 and 'error="invalid_token"' in headers["WWW-Authenticate"]
    for path in ("/sse", "/mcp/messages?sessionId=x"):
        assert call("GET" if path == "/sse" else "POST", pier.base + path, b"{}" if path != "/sse" else None, {"Accept": "text/event-stream"})[0] == 401


def test_a_read_only_token_cannot_call_a_write_tool(pier):
    _, granted = tokens(pier.base, pier.url, USER, PASSWORD, scope="mcp:read")
    assert granted["scope"] == "mcp:read"
    _, _, listed = mcp(pier.url, granted["access_token"], "tools/list")
    tools = {t["name"]: t for t in json.loads(listed)["result"]["tools"]}
    for name, scope in (("echo", "mcp:read"), ("add_to_cart", "mcp:write")):
        schemes = [{"type": "oauth2", "scopes": [scope]}]
        assert tools[name]["securitySchemes"] == schemes and tools[name]["_meta"]["securitySchemes"] == schemes, name
    status, _, text = mcp(pier.url, granted["access_token"], "tools/call", {"name": "echo", "arguments": {"text": "ok"}})
    assert status == 200 and json.loads(text)["result"]["content"][0]["text"] == "ok"
    status, headers, text = mcp(pier.url, granted["access_token"], "tools/call", {"name": "add_to_cart", "arguments": {"items": [{"name": "x"}]}})
    assert status == 403
    challenge = headers["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="mcp:read mcp:write"' in challenge and "resource_metadata=" in challenge


def test_a_batch_cannot_carry_a_write_call_past_a_read_only_token(pier):
    _, granted = tokens(pier.base, pier.url, USER, PASSWORD, scope="mcp:read")
    batch = [
        {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "a"}}},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "add_to_cart", "arguments": {"items": [{"name": "x"}]}}},
    ]
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-03-26",
               "Authorization": f"Bearer {granted['access_token']}"}
    status, answer_headers, _ = call("POST", pier.url, json.dumps(batch).encode(), headers)
    assert status == 403 and 'error="insufficient_scope"' in answer_headers["WWW-Authenticate"]
    status, _, text = call("POST", pier.url, json.dumps(batch[:1]).encode(), headers)
    assert status == 200 and json.loads(text)[0]["result"]["content"][0]["text"] == "a"


def test_a_token_is_for_its_own_endpoint_only(pier):
    _, granted = tokens(pier.base, pier.url, USER, PASSWORD)
    assert mcp(pier.base + "/connectors/readonly/mcp", granted["access_token"], "tools/list")[0] == 401
    assert mcp(pier.url, granted["access_token"], "tools/list")[0] == 200


def test_revoking_stops_a_token_at_once(pier):
    client, granted = tokens(pier.base, pier.url, USER, PASSWORD)
    assert mcp(pier.url, granted["access_token"], "tools/list")[0] == 200
    status, _, _ = form(pier.base + "/auth/revoke", {"token": granted["refresh_token"], "client_id": client["client_id"]})
    assert status == 200
    started = time.monotonic()
    assert mcp(pier.url, granted["access_token"], "tools/list")[0] == 401
    assert time.monotonic() - started < 1


def test_refresh_rotates_and_a_replay_revokes_the_family(pier):
    client, first = tokens(pier.base, pier.url, USER, PASSWORD)
    status, _, text = form(pier.base + "/auth/token", {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], "client_id": client["client_id"]})
    assert status == 200, text
    second = json.loads(text)
    assert second["refresh_token"] != first["refresh_token"] and mcp(pier.url, second["access_token"], "tools/list")[0] == 200
    status, _, text = form(pier.base + "/auth/token", {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], "client_id": client["client_id"]})
    assert status == 400 and json.loads(text)["error"] == "invalid_grant"
    assert mcp(pier.url, second["access_token"], "tools/list")[0] == 401, "the replay revoked every token of the grant"
    status, _, text = form(pier.base + "/auth/token", {"grant_type": "refresh_token", "refresh_token": second["refresh_token"], "client_id": client["client_id"]})
    assert status == 400 and json.loads(text)["error"] == "invalid_grant"


def code_for(pier, client, challenge, **kwargs):
    return redirected(sign_in(authorize_url(pier.base, client["client_id"], challenge, pier.url, **kwargs), USER, PASSWORD))


def exchange(pier, client, code, verifier, **extra):
    fields = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": client["client_id"], "redirect_uri": REDIRECT, "resource": pier.url}
    fields.update(extra)
    status, _, text = form(pier.base + "/auth/token", fields)
    return status, json.loads(text)


def test_codes_are_single_use_and_bound_to_pkce_and_the_request(pier):
    client = register(pier.base)
    verifier, challenge = pkce()
    query = code_for(pier, client, challenge)
    assert query["iss"] == pier.base and query["state"] == "xyz"
    status, body = exchange(pier, client, query["code"], pkce()[0])
    assert status == 400 and body["error"] == "invalid_grant", "a wrong verifier"
    # The code was consumed by the failed try: a new one.
    query = code_for(pier, client, challenge)
    status, body = exchange(pier, client, query["code"], verifier, resource=pier.base + "/connectors/readonly/mcp")
    assert status == 400 and body["error"] == "invalid_target"
    query = code_for(pier, client, challenge)
    status, granted = exchange(pier, client, query["code"], verifier)
    assert status == 200
    status, body = exchange(pier, client, query["code"], verifier)
    assert status == 400 and body["error"] == "invalid_grant"
    assert mcp(pier.url, granted["access_token"], "tools/list")[0] == 401, "a reused code revokes what it issued"
    other = register(pier.base)
    query = code_for(pier, client, challenge)
    status, body = exchange(pier, other, query["code"], verifier)
    assert status == 400 and body["error"] == "invalid_grant", "a code for another client"


def test_authorization_errors_are_redirected_with_iss_or_shown(pier):
    client = register(pier.base)
    _, challenge = pkce()
    plain = redirected(call("GET", authorize_url(pier.base, client["client_id"], challenge, pier.url, method="plain")))
    assert plain["error"] == "invalid_request" and plain["iss"] == pier.base and plain["state"] == "xyz"
    missing = redirected(call("GET", authorize_url(pier.base, client["client_id"], challenge, None)))
    assert missing["error"] == "invalid_target" and missing["iss"] == pier.base
    foreign = redirected(call("GET", authorize_url(pier.base, client["client_id"], challenge, "https://evil.example/mcp")))
    assert foreign["error"] == "invalid_target"
    denied = redirected(sign_in(authorize_url(pier.base, client["client_id"], challenge, pier.url), USER, PASSWORD, decision="deny"))
    assert denied["error"] == "access_denied" and denied["iss"] == pier.base
    # Not redirected: an unregistered redirect URI, or an unknown client.
    status, _, page = call("GET", authorize_url(pier.base, client["client_id"], challenge, pier.url, redirect="https://evil.example/cb"))
    assert status == 400 and "redirect_uri" in page
    status, _, _ = call("GET", authorize_url(pier.base, "pier_client_nobody", challenge, pier.url))
    assert status == 400


def test_registration_refuses_unsafe_redirects(pier):
    for uri in ("javascript:alert(1)", "data:text/html,x", "http://evil.example/cb", "https://ok.example/cb#frag", "https://user@ok.example/cb"):
        status, _, text = call("POST", pier.base + "/auth/register", json.dumps({"redirect_uris": [uri]}).encode(), {"Content-Type": "application/json"})
        assert status == 400 and json.loads(text)["error"] == "invalid_redirect_uri", uri
    confidential = register(pier.base, method="client_secret_basic")
    assert confidential["client_secret"].startswith("pier_secret_")


def test_the_preregistered_client_is_confidential_and_limited_to_its_scope(pier):
    verifier, challenge = pkce()
    client = {"client_id": SEED_CLIENT}
    asked_too_much = redirected(call("GET", authorize_url(pier.base, SEED_CLIENT, challenge, pier.url, scope="mcp:read mcp:write")))
    assert asked_too_much["error"] == "invalid_scope" and asked_too_much["iss"] == pier.base
    query = code_for(pier, client, challenge, scope="")
    fields = {"grant_type": "authorization_code", "code": query["code"], "code_verifier": verifier, "redirect_uri": REDIRECT, "resource": pier.url}
    status, _, text = form(pier.base + "/auth/token", dict(fields, client_id=SEED_CLIENT))
    assert status == 401 and json.loads(text)["error"] == "invalid_client", "a confidential client must authenticate"
    query = code_for(pier, client, challenge, scope="")
    basic = base64.b64encode(f"{SEED_CLIENT}:{SEED_SECRET}".encode()).decode()
    status, _, text = form(pier.base + "/auth/token", dict(fields, code=query["code"]), {"Authorization": f"Basic {basic}"})
    assert status == 200 and json.loads(text)["scope"] == "mcp:read", text


def test_the_tokens_subject_reaches_the_activity_log(pier):
    _, granted = tokens(pier.base, pier.url, USER, PASSWORD)
    marker = f"activity-{time.time_ns()}"
    status, _, _ = mcp(pier.url, granted["access_token"], "tools/call", {"name": "echo", "arguments": {"text": marker}})
    assert status == 200
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        _, _, text = call("GET", pier.base + "/api/v1/activity?limit=100", headers={"Authorization": "Bearer " + ADMIN_KEY})
        calls = [e for e in json.loads(text)["events"] if e["kind"] == "tool_call" and e["action"] == "echo"]
        if calls:
            break
        time.sleep(0.2)
    assert calls and calls[0]["subject"] == USER and calls[0]["server"] == "demo" and calls[0]["status"] == "ok"
    # Never the token itself.
    assert granted["access_token"] not in text


# Last: it blocks this address's sign-ins for a minute.
def test_the_form_needs_its_csrf_token_and_limits_wrong_passwords(pier):
    client = register(pier.base)
    _, challenge = pkce()
    url = authorize_url(pier.base, client["client_id"], challenge, pier.url)
    status, _, page = sign_in(url, USER, PASSWORD, csrf_override="forged")
    assert status == 403 and "expired" in page
    status, headers, page = call("GET", url)
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"
    assert "the test client" in page and "127.0.0.1" in page and "mcp:write" in page and pier.url in page
    statuses = [sign_in(url, USER, "wrong password!")[0] for _ in range(11)]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429
    assert sign_in(url, USER, PASSWORD)[0] == 429, "blocked even with the right password, for the rest of the minute"

