"""A client that signs in with a Client ID Metadata Document: the document published on the test's https host, and
the ES256 key its private_key_jwt assertions are signed with."""

import json
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
from oauth_flow import REDIRECT

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def document(client_id: str, **extra) -> dict:
    return dict({"client_id": client_id, "client_name": "CIMD test client", "redirect_uris": [REDIRECT],
                 "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"]}, **extra)


def publish(documents, path: str, **extra) -> str:
    url = documents.url(path)
    documents.serve(path, document(url, **extra))
    return url


class ClientKey:
    """An ES256 key a client signs its assertions with, and its public JWKS."""

    def __init__(self, kid: str):
        self.kid = kid
        self.private = ec.generate_private_key(ec.SECP256R1())
        public = json.loads(ECAlgorithm.to_jwk(self.private.public_key()))
        self.jwks = {"keys": [dict(public, kid=kid, use="sig", alg="ES256")]}

    def assertion(self, client_id: str, audience: str, jti: str | None = None, lifetime: int = 60) -> str:
        now = int(time.time())
        claims = {"iss": client_id, "sub": client_id, "aud": audience, "iat": now, "exp": now + lifetime, "jti": jti or f"j-{time.time_ns()}"}
        return jwt.encode(claims, self.private, algorithm="ES256", headers={"kid": self.kid})
