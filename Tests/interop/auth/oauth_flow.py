"""The OAuth steps a client takes against Pier, by hand over HTTP (urllib, no redirects followed), so each can be
checked or broken on purpose; and the sign-in form a person would fill in."""

import base64
import hashlib
import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request

REDIRECT = "http://127.0.0.1:9/callback"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def call(method: str, url: str, body: bytes | None = None, headers: dict | None = None):
    """(status, headers, body text) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with OPENER.open(request, timeout=30) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def form(url: str, fields: dict, headers: dict | None = None):
    return call("POST", url, urllib.parse.urlencode(fields).encode(), dict({"Content-Type": "application/x-www-form-urlencoded"}, **(headers or {})))


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def register(base: str, redirect_uris=(REDIRECT,), method="none") -> dict:
    status, _, text = call(
        "POST", base + "/auth/register",
        json.dumps({"redirect_uris": list(redirect_uris), "client_name": "the test client", "token_endpoint_auth_method": method}).encode(),
        {"Content-Type": "application/json"})
    assert status == 201, text
    return json.loads(text)


def sign_in(authorize_url: str, user: str, password: str, decision: str = "allow", csrf_override: str | None = None):
    """Opens the sign-in page at `authorize_url` and submits it as a person would; returns the POST's answer."""
    status, headers, page = call("GET", authorize_url)
    assert status == 200, page
    cookie = headers["Set-Cookie"].split(";")[0]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    fields = {k: html_unescape(v) for k, v in fields.items()}
    if csrf_override is not None:
        fields["csrf_token"] = csrf_override
    fields.update(username=user, password=password, decision=decision)
    base = authorize_url.split("/auth/authorize")[0]
    return form(base + "/auth/authorize", fields, {"Cookie": cookie})


def html_unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def authorize_url(base: str, client_id: str, challenge: str, resource: str, scope="mcp:read mcp:write", state="xyz", method="S256", redirect=REDIRECT) -> str:
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect, "code_challenge": challenge, "code_challenge_method": method, "state": state, "scope": scope}
    if resource is not None:
        params["resource"] = resource
    return base + "/auth/authorize?" + urllib.parse.urlencode(params)


def redirected(answer) -> dict:
    """The query of a 302's Location."""
    status, headers, text = answer
    assert status == 302, f"{status}: {text}"
    return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(headers["Location"]).query).items()}


def tokens(base: str, resource: str, user: str, password: str, scope="mcp:read mcp:write") -> tuple[dict, dict]:
    """A client registered and signed in: (client, token response)."""
    client = register(base)
    verifier, challenge = pkce()
    query = redirected(sign_in(authorize_url(base, client["client_id"], challenge, resource, scope=scope), user, password))
    status, _, text = form(base + "/auth/token", {
        "grant_type": "authorization_code", "code": query["code"], "code_verifier": verifier, "client_id": client["client_id"],
        "redirect_uri": REDIRECT, "resource": resource})
    assert status == 200, text
    return client, json.loads(text)


def mcp(url: str, token: str | None, method: str, params: dict | None = None):
    """One 2026-07-28 request with a bearer token: (status, headers, body)."""
    params = dict(params or {})
    params["_meta"] = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method}
    if params.get("name"):
        headers["Mcp-Name"] = params["name"]
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return call("POST", url, json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode(), headers)


class TokenMemory:
    """The SDK clients' TokenStorage, in memory (the same protocol in SDK 1.x and 2.x)."""

    def __init__(self):
        self.tokens = None
        self.client = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens):
        self.tokens = tokens

    async def get_client_info(self):
        return self.client

    async def set_client_info(self, client_info):
        self.client = client_info
