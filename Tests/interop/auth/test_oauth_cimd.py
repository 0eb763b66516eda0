"""Client ID Metadata Documents (CIMD): a client whose client_id is the https URL of its own metadata. The SDK 2.x
client signs in that way end to end; private_key_jwt is checked against the document's keys; and documents that
lie, or URLs that point Pier at its own network, are refused with the reason."""

import json
import time
import urllib.parse

import httpx2
import pytest
from conftest import PASSWORD, USER, oauth_env
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from oauth_flow import REDIRECT, TokenMemory, authorize_url, call, form, pkce, redirected, sign_in
from cimd_client import ASSERTION_TYPE, ClientKey, document, publish
from pier_launch import start_pier, stop_pier
from sdk_provider import provider


def code_for(pier, client_id: str, resource: str | None = None) -> tuple[str, str]:
    verifier, challenge = pkce()
    query = redirected(sign_in(authorize_url(pier.base, client_id, challenge, resource or pier.url), USER, PASSWORD))
    assert query["iss"] == pier.base
    return query["code"], verifier


def exchange(pier, client_id: str, code: str, verifier: str, **extra):
    fields = dict({"grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": client_id,
                   "redirect_uri": REDIRECT, "resource": pier.url}, **extra)
    return form(pier.base + "/auth/token", fields)


def test_the_metadata_advertises_cimd_and_private_key_jwt(pier):
    status, _, text = call("GET", pier.base + "/.well-known/oauth-authorization-server")
    metadata = json.loads(text)
    assert status == 200 and metadata["client_id_metadata_document_supported"] is True
    assert {"none", "private_key_jwt"} <= set(metadata["token_endpoint_auth_methods_supported"])
    assert "ES256" in metadata["token_endpoint_auth_signing_alg_values_supported"] and "none" not in metadata["token_endpoint_auth_signing_alg_values_supported"]



@pytest.mark.anyio
@pytest.mark.parametrize("path", ["/mcp", "/connectors/readonly/mcp"])
async def test_sdk_signs_in_with_a_metadata_document_and_calls_tools(pier, documents, path):
    client_id = publish(documents, f"/sdk{path.replace('/', '-')}.json", token_endpoint_auth_method="none")
    url = pier.base + path
    storage = TokenMemory()
    async with httpx2.AsyncClient(auth=provider(url, storage, client_id)) as http:
        async with Client(streamable_http_client(url, http_client=http), mode="2026-07-28") as c:
            names = [t.name for t in (await c.list_tools()).tools]
            assert "echo" in names and ("add_to_cart" in names) == (path == "/mcp")
            assert (await c.call_tool("echo", {"text": "by document"})).content[0].text == "by document"
    assert storage.client.client_id == client_id, "the SDK should not have fallen back to registration"
    assert documents.fetches[urllib.parse.urlparse(client_id).path] >= 1
    assert set(storage.tokens.scope.split()) == ({"mcp:read", "mcp:write"} if path == "/mcp" else {"mcp:read"})


def test_the_consent_page_names_who_publishes_the_client(pier, documents):
    client_id = publish(documents, "/consent.json")
    _, challenge = pkce()
    status, _, page = call("GET", authorize_url(pier.base, client_id, challenge, pier.url))
    assert status == 200 and "CIMD test client" in page and "published by <strong>localhost</strong>" in page


@pytest.mark.parametrize("inline", [True, False])
def test_private_key_jwt_is_checked_against_the_documents_keys(pier, documents, inline):
    key = ClientKey("k1")
    keys = {"jwks": key.jwks} if inline else {"jwks_uri": documents.serve(f"/keys-{inline}.json", key.jwks)}
    client_id = publish(documents, f"/pkjwt-{inline}.json", token_endpoint_auth_method="private_key_jwt",
                        token_endpoint_auth_methods_supported=["private_key_jwt"], **keys)
    token_url = pier.base + "/auth/token"

    code, verifier = code_for(pier, client_id)
    # No assertion: this client must use private_key_jwt.
    status, _, text = exchange(pier, client_id, code, verifier)
    assert status == 401 and json.loads(text)["error"] == "invalid_client"

    code, verifier = code_for(pier, client_id)
    wrong = ClientKey("k1")
    status, _, text = exchange(pier, client_id, code, verifier, client_assertion_type=ASSERTION_TYPE, client_assertion=wrong.assertion(client_id, token_url))
    assert status == 401 and "signature" in json.loads(text)["error_description"]

    code, verifier = code_for(pier, client_id)
    assertion = key.assertion(client_id, token_url)
    status, _, text = exchange(pier, client_id, code, verifier, client_assertion_type=ASSERTION_TYPE, client_assertion=assertion)
    assert status == 200, text
    granted = json.loads(text)
    assert call("POST", pier.url, b"{}", {"Authorization": "Bearer " + granted["access_token"]})[0] != 401

    # The same assertion again (its jti is single use), on a refresh.
    refresh = {"grant_type": "refresh_token", "refresh_token": granted["refresh_token"], "client_id": client_id}
    status, _, text = form(token_url, dict(refresh, client_assertion_type=ASSERTION_TYPE, client_assertion=assertion))
    assert status == 401 and "used already" in json.loads(text)["error_description"]
    # An assertion for another audience, or for another client.
    for bad in (key.assertion(client_id, "https://elsewhere.example/token"), key.assertion("https://localhost/other.json", token_url)):
        status, _, text = form(token_url, dict(refresh, client_assertion_type=ASSERTION_TYPE, client_assertion=bad))
        assert status == 401 and json.loads(text)["error"] == "invalid_client"
    # A fresh one works, and rotates the refresh token.
    status, _, text = form(token_url, dict(refresh, client_assertion_type=ASSERTION_TYPE, client_assertion=key.assertion(client_id, token_url)))
    assert status == 200, text


def test_a_document_client_that_allows_both_methods_may_use_either(pier, documents):
    key = ClientKey("k2")
    client_id = publish(documents, "/both.json", token_endpoint_auth_methods_supported=["none", "private_key_jwt"],
                        token_endpoint_auth_method="private_key_jwt", jwks=key.jwks)
    code, verifier = code_for(pier, client_id)
    assert exchange(pier, client_id, code, verifier)[0] == 200
    code, verifier = code_for(pier, client_id)
    status, _, text = exchange(pier, client_id, code, verifier, client_assertion_type=ASSERTION_TYPE,
                               client_assertion=key.assertion(client_id, pier.base))
    assert status == 200, text


def refused_on_the_page(pier, client_id: str, reason: str, redirect: str = REDIRECT):
    _, challenge = pkce()
    start = time.monotonic()
    status, headers, page = call("GET", authorize_url(pier.base, client_id, challenge, pier.url, redirect=redirect))
    assert status == 400, f"{status}: {page[:300]}"
    assert "Location" not in headers, "an untrusted client's error must not be redirected"
    assert reason in page, page
    return time.monotonic() - start


def test_documents_that_lie_are_refused(pier, documents):
    lying = documents.url("/lying.json")
    documents.serve("/lying.json", document("https://localhost/someone-else.json"))
    refused_on_the_page(pier, lying, "client_id is not the URL")

    big = documents.url("/big.json")
    documents.serve("/big.json", document(big, client_uri="https://localhost/" + "a" * 6000))
    refused_on_the_page(pier, big, "larger than 5120 bytes")

    nameless = documents.url("/nameless.json")
    documents.serve("/nameless.json", {"client_id": nameless, "redirect_uris": [REDIRECT]})
    refused_on_the_page(pier, nameless, "no client_name")

    scripted = documents.url("/scripted.json")
    documents.serve("/scripted.json", document(scripted, redirect_uris=["javascript:alert(1)"]))
    refused_on_the_page(pier, scripted, "redirect URI is refused")

    # A redirect URI the document does not list.
    honest = publish(documents, "/honest.json")
    refused_on_the_page(pier, honest, "redirect_uri is not one this client registered", redirect="http://127.0.0.1:9/elsewhere")

    # A redirect to the cloud metadata service is not followed (no redirect is).
    moved = documents.url("/moved.json")
    documents.serve("/moved.json", b"", status=302, headers={"Location": "https://169.254.169.254/latest/meta-data/"})
    refused_on_the_page(pier, moved, "redirect")

    missing = documents.url("/missing.json")
    refused_on_the_page(pier, missing, "HTTP 404")


def test_urls_that_point_at_pier_s_own_network_are_refused(pier):
    for client_id, reason in [
        ("https://169.254.169.254/latest/meta-data.json", "link-local"),
        ("https://10.0.0.7/client.json", "private address"),
        ("https://[fd00::1]/client.json", "unique-local"),
        ("https://[::ffff:192.168.0.1]/client.json", "private address"),
    ]:
        elapsed = refused_on_the_page(pier, client_id, reason)
        assert elapsed < 2, "refused before any connection is tried"
    # http is not a metadata document URL: it is an unknown client id.
    refused_on_the_page(pier, "http://localhost/client.json", "not registered")


def test_a_slow_document_server_is_cut_off(pier, documents):
    slow = documents.url("/slow.json")
    documents.serve("/slow.json", document(slow), delay=8)
    elapsed = refused_on_the_page(pier, slow, "took longer than")
    assert elapsed < 7


def test_documents_are_cached_as_their_server_allows(pier, documents):
    cached = documents.url("/cached.json")
    documents.serve("/cached.json", document(cached), headers={"Cache-Control": "max-age=600"})
    fresh = documents.url("/fresh.json")
    documents.serve("/fresh.json", document(fresh), headers={"Cache-Control": "no-store"})
    for _ in range(3):
        for client_id in (cached, fresh):
            _, challenge = pkce()
            assert call("GET", authorize_url(pier.base, client_id, challenge, pier.url))[0] == 200
    assert documents.fetches["/cached.json"] == 1 and documents.fetches["/fresh.json"] == 3


def test_without_the_test_switch_loopback_documents_are_refused(documents):
    env = oauth_env(documents)
    del env["PIER_OAUTH_CIMD_ALLOW_LOOPBACK"]
    strict = start_pier(["demo"], env)
    try:
        refused_on_the_page(strict, publish(documents, "/strict.json"), "loopback address")
        refused_on_the_page(strict, "https://127.0.0.1:9/client.json", "loopback address")
    finally:
        stop_pier(strict)


def test_the_host_allowlist_refuses_other_hosts(documents):
    strict = start_pier(["demo"], dict(oauth_env(documents), PIER_OAUTH_CIMD_HOSTS="chatgpt.com"))
    try:
        refused_on_the_page(strict, publish(documents, "/listed.json"), "not accepted here")
        status, _, text = call("GET", strict.base + "/.well-known/oauth-authorization-server")
        assert json.loads(text)["client_id_metadata_document_supported"] is True
    finally:
        stop_pier(strict)
