"""A live Pier with PIER_AUTH=external: only a resource server, for the JWTs of an identity provider this test
plays (its metadata and key set served on loopback, its keys rotated on demand)."""

import http.server
import json
import sys
import threading
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "support"))
from pier_launch import start_pier, stop_pier  # noqa: E402


class IdentityProvider:
    """Publishes OpenID discovery and a JWKS; `rotate()` swaps in a new key and drops the old one."""

    def __init__(self):
        self.keys = {}
        self.published = []
        self.jwks_fetches = 0
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    body = {"issuer": provider.issuer, "jwks_uri": provider.issuer + "/keys", "response_types_supported": ["code"]}
                elif self.path == "/keys":
                    provider.jwks_fetches += 1
                    body = {"keys": [provider.public_jwk(kid) for kid in provider.published]}
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.add_key("es-1", ec.generate_private_key(ec.SECP256R1()))
        self.add_key("rs-1", rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def add_key(self, kid: str, private_key):
        self.keys[kid] = private_key
        self.published.append(kid)

    def public_jwk(self, kid: str) -> dict:
        key = self.keys[kid]
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return dict(json.loads(ECAlgorithm.to_jwk(key.public_key())), kid=kid, use="sig", alg="ES256")
        return dict(json.loads(RSAAlgorithm.to_jwk(key.public_key())), kid=kid, use="sig", alg="RS256")

    def rotate(self, kid: str):
        """A new ES256 key is published and every old one withdrawn."""
        self.keys[kid] = ec.generate_private_key(ec.SECP256R1())
        self.published = [kid]

    def token(self, audience, scope="mcp:read mcp:write", kid="es-1", subject="grace", issuer=None, lifetime=300, **extra) -> str:
        now = int(time.time())
        claims = dict({"iss": issuer or self.issuer, "sub": subject, "aud": audience, "iat": now, "exp": now + lifetime, "scope": scope,
                       "client_id": "idp-client"}, **extra)
        key = self.keys[kid]
        algorithm = "ES256" if isinstance(key, ec.EllipticCurvePrivateKey) else "RS256"
        return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": kid})

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def idp():
    provider = IdentityProvider()
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def pier(idp):
    p = start_pier(["demo", "cart"], {"PIER_AUTH": "external", "PIER_OAUTH_ISSUER": idp.issuer, "DATABASE_URL": ""})
    yield p
    assert p.process.poll() is None, "pier died during the tests"
    stop_pier(p)


@pytest.fixture
def anyio_backend():
    return "asyncio"
