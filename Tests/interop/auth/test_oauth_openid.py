"""OpenID Connect on Pier's authorization server: discovery, an ES256 ID token (with the nonce, and the email under
`email`) verified against /auth/jwks.json, /auth/userinfo, and `pier auth rotate-keys` (a new current key, the old
one still published)."""

import json
import os
import subprocess

import jwt
from conftest import PASSWORD, USER
from oauth_flow import REDIRECT, authorize_url, call, form, pkce, redirected, register, sign_in
from pier_launch import ROOT

EMAIL_USER, EMAIL_PASSWORD, EMAIL = "grace", "grace-hopper-cobol-1959", "grace@pier.example"


def pier_cli(pier, *args, stdin: str | None = None) -> str:
    binary = os.environ.get("PIER_BIN", str(ROOT / ".build" / "debug" / "pier"))
    env = dict(os.environ, PIER_DATA_DIR=pier.data_dir, DATABASE_URL="", LOG_LEVEL="error")
    done = subprocess.run([binary, *args], env=env, input=stdin, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def keys(pier) -> dict:
    status, headers, text = call("GET", pier.base + "/auth/jwks.json")
    assert status == 200
    return {key["kid"]: jwt.PyJWK(key) for key in json.loads(text)["keys"]}


def verified(pier, id_token: str, client_id: str) -> dict:
    kid = jwt.get_unverified_header(id_token)["kid"]
    return jwt.decode(id_token, keys(pier)[kid], algorithms=["ES256"], audience=client_id, issuer=pier.base)


def sign_in_with_openid(pier, user: str, password: str, scope: str, nonce: str | None = "n-0S6_WzA2Mj"):
    client = register(pier.base)
    verifier, challenge = pkce()
    url = authorize_url(pier.base, client["client_id"], challenge, pier.url, scope=scope)
    if nonce:
        url += "&nonce=" + nonce
    query = redirected(sign_in(url, user, password))
    status, _, text = form(pier.base + "/auth/token", {
        "grant_type": "authorization_code", "code": query["code"], "code_verifier": verifier, "client_id": client["client_id"],
        "redirect_uri": REDIRECT, "resource": pier.url})
    assert status == 200, text
    return client, json.loads(text)


def test_discovery_is_the_same_document_with_the_openid_fields(pier):
    oidc = json.loads(call("GET", pier.base + "/.well-known/openid-configuration")[2])
    assert oidc == json.loads(call("GET", pier.base + "/.well-known/oauth-authorization-server")[2])
    assert oidc["jwks_uri"] == pier.base + "/auth/jwks.json" and oidc["userinfo_endpoint"] == pier.base + "/auth/userinfo"
    assert oidc["id_token_signing_alg_values_supported"] == ["ES256"] and {"openid", "email", "profile"} <= set(oidc["scopes_supported"])
    # The resource's metadata offers only the tools' scopes.
    assert json.loads(call("GET", pier.base + "/.well-known/oauth-protected-resource/mcp")[2])["scopes_supported"] == ["mcp:read", "mcp:write"]


def test_an_id_token_and_userinfo_for_openid_and_email(pier):
    pier_cli(pier, "users", "add", EMAIL_USER, "--email", EMAIL, stdin=EMAIL_PASSWORD + "\n")
    client, granted = sign_in_with_openid(pier, EMAIL_USER, EMAIL_PASSWORD, "openid email profile mcp:read")
    claims = verified(pier, granted["id_token"], client["client_id"])
    assert claims["sub"] == EMAIL_USER and claims["nonce"] == "n-0S6_WzA2Mj"
    assert claims["email"] == EMAIL and claims["email_verified"] is True and claims["preferred_username"] == EMAIL_USER
    status, _, text = call("GET", pier.base + "/auth/userinfo", headers={"Authorization": "Bearer " + granted["access_token"]})
    assert status == 200 and json.loads(text) == {"sub": EMAIL_USER, "email": EMAIL, "email_verified": True, "preferred_username": EMAIL_USER}
    # The same token still reaches the MCP endpoint it was issued for.
    assert call("POST", pier.url, b"{}", {"Authorization": "Bearer " + granted["access_token"]})[0] != 401
    # A refresh gives a new ID token (without the nonce).
    status, _, text = form(pier.base + "/auth/token", {"grant_type": "refresh_token", "refresh_token": granted["refresh_token"], "client_id": client["client_id"]})
    assert status == 200, text
    refreshed = verified(pier, json.loads(text)["id_token"], client["client_id"])
    assert refreshed["sub"] == EMAIL_USER and "nonce" not in refreshed


def test_without_openid_there_is_no_id_token_and_no_userinfo(pier):
    _, granted = sign_in_with_openid(pier, USER, PASSWORD, "mcp:read", nonce=None)
    assert "id_token" not in granted
    status, headers, _ = call("GET", pier.base + "/auth/userinfo", headers={"Authorization": "Bearer " + granted["access_token"]})
    assert status == 403 and "insufficient_scope" in headers["WWW-Authenticate"]
    status, headers, _ = call("GET", pier.base + "/auth/userinfo", headers={"Authorization": "Bearer pier_at_nonsense"})
    assert status == 401 and "invalid_token" in headers["WWW-Authenticate"]
    assert call("GET", pier.base + "/auth/userinfo")[0] == 401


def test_unknown_scopes_are_refused_with_iss(pier):
    client = register(pier.base)
    _, challenge = pkce()
    query = redirected(call("GET", authorize_url(pier.base, client["client_id"], challenge, pier.url, scope="openid admin")))
    assert query["error"] == "invalid_scope" and query["iss"] == pier.base


def test_rotating_the_keys_keeps_the_old_one_published(pier):
    client, before = sign_in_with_openid(pier, USER, PASSWORD, "openid mcp:read")
    old_kid = jwt.get_unverified_header(before["id_token"])["kid"]
    output = pier_cli(pier, "auth", "rotate-keys")
    assert "is current" in output
    client2, after = sign_in_with_openid(pier, USER, PASSWORD, "openid mcp:read")
    new_kid = jwt.get_unverified_header(after["id_token"])["kid"]
    assert new_kid != old_kid and new_kid in output
    published = keys(pier)
    assert {old_kid, new_kid} <= set(published)
    # Both tokens verify against the published set.
    assert verified(pier, before["id_token"], client["client_id"])["sub"] == USER
    assert verified(pier, after["id_token"], client2["client_id"])["sub"] == USER
