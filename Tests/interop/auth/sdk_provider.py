"""The SDK 2.x client's OAuthClientProvider wired to sign in through Pier's form headlessly (DCR, or CIMD when
`metadata_url` is given)."""

import urllib.parse

from conftest import PASSWORD, USER
from mcp.client.auth import OAuthClientProvider
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientMetadata
from oauth_flow import REDIRECT, TokenMemory, sign_in


def provider(url: str, storage: TokenMemory, metadata_url: str | None = None, name: str = "SDK 2.x test") -> OAuthClientProvider:
    answer = {}

    async def redirect_handler(authorization_url: str) -> None:
        status, headers, text = sign_in(authorization_url, USER, PASSWORD)
        assert status == 302, text
        answer.update({k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(headers["Location"]).query).items()})

    async def callback_handler() -> AuthorizationCodeResult:
        return AuthorizationCodeResult(code=answer["code"], state=answer.get("state"), iss=answer.get("iss"))

    metadata = OAuthClientMetadata(
        redirect_uris=[REDIRECT], client_name=name, grant_types=["authorization_code", "refresh_token"], response_types=["code"],
        token_endpoint_auth_method="none")
    return OAuthClientProvider(server_url=url, client_metadata=metadata, storage=storage, redirect_handler=redirect_handler,
                               callback_handler=callback_handler, client_metadata_url=metadata_url)
