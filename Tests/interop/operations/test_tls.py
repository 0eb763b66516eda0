"""Pier serving HTTPS itself (TLS_CERT_FILE / TLS_KEY_FILE) with a certificate this test makes: the official
Python SDK 2.x client over HTTP/1.1 and over HTTP/2 (ALPN), a client that does not trust the CA refused, the
certificate replaced and reloaded on SIGHUP while a connection made before stays open, a broken replacement
leaving the old certificate in use, and start-up refusing incomplete or unreadable TLS settings."""

import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time

import httpx2
import pytest
from cryptography import x509
from document_host import make_certificates
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from pier_launch import ROOT, free_port, start_pier, stop_pier

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def tls_pier():
    directory = tempfile.mkdtemp(prefix="pier-tls-files-")
    ca, cert, key = make_certificates(directory)
    pier = start_pier(["demo"], {"TLS_CERT_FILE": cert, "TLS_KEY_FILE": key}, ca_file=ca)
    pier.ca, pier.cert, pier.key, pier.directory = ca, cert, key, directory
    yield pier
    assert pier.process.poll() is None, "pier died during the TLS tests"
    stop_pier(pier)
    shutil.rmtree(directory, ignore_errors=True)


def context(ca: str, alpn: list[str] | None = None) -> ssl.SSLContext:
    c = ssl.create_default_context(cafile=ca)
    if alpn:
        c.set_alpn_protocols(alpn)
    return c


def handshake(pier, ca: str, alpn: list[str] | None = None) -> tuple[ssl.SSLSocket, int]:
    """A new TLS connection to Pier and the serial number of the certificate it presented."""
    port = int(pier.base.rsplit(":", 1)[1])
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    tls = context(ca, alpn).wrap_socket(raw, server_hostname="localhost")
    serial = x509.load_der_x509_certificate(tls.getpeercert(binary_form=True)).serial_number
    return tls, serial


def health_on(tls: ssl.SSLSocket) -> int:
    tls.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        data += tls.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += tls.recv(65536)
    return int(head.split(b" ")[1])


async def test_sdk_client_over_https_http1(tls_pier):
    async with httpx2.AsyncClient(verify=context(tls_pier.ca)) as http:
        async with Client(streamable_http_client(tls_pier.url, http_client=http), mode="2026-07-28") as c:
            assert "echo" in [t.name for t in (await c.list_tools()).tools]
            assert (await c.call_tool("echo", {"text": "over tls"})).content[0].text == "over tls"
        r = await http.get(tls_pier.base + "/health")
        assert r.status_code == 200 and r.http_version == "HTTP/1.1"


async def test_sdk_client_over_http2(tls_pier):
    async with httpx2.AsyncClient(http2=True, verify=context(tls_pier.ca)) as http:
        r = await http.get(tls_pier.base + "/health")
        assert r.status_code == 200 and r.http_version == "HTTP/2"
        async with Client(streamable_http_client(tls_pier.url, http_client=http), mode="2026-07-28") as c:
            assert (await c.call_tool("echo", {"text": "over h2"})).content[0].text == "over h2"
            assert (await c.call_tool("add_numbers", {"a": 2, "b": 3})).content[0].text == "{\"sum\":5}"
        # A handshake-era session, with its GET stream, on the same HTTP/2 connection.
        async with Client(streamable_http_client(tls_pier.url, http_client=http)) as c:
            assert (await c.call_tool("echo", {"text": "legacy on h2"})).content[0].text == "legacy on h2"


def test_alpn_offers_h2_and_http1(tls_pier):
    tls, _ = handshake(tls_pier, tls_pier.ca, ["h2", "http/1.1"])
    assert tls.selected_alpn_protocol() == "h2"
    tls.close()
    tls, _ = handshake(tls_pier, tls_pier.ca, ["http/1.1"])
    assert tls.selected_alpn_protocol() == "http/1.1"
    assert health_on(tls) == 200
    tls.close()


def test_a_client_that_does_not_trust_the_ca_is_refused(tls_pier):
    other_ca, _, _ = make_certificates(tempfile.mkdtemp(prefix="pier-tls-other-"))
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(tls_pier, other_ca)
    # Plain HTTP on the TLS port gets no HTTP answer.
    port = int(tls_pier.base.rsplit(":", 1)[1])
    with pytest.raises(httpx2.HTTPError):
        httpx2.get(f"http://127.0.0.1:{port}/health", timeout=3)


def replace_files(pier, files: tuple[str, str, str]):
    shutil.copyfile(files[1], pier.cert)
    shutil.copyfile(files[2], pier.key)


def wait_for_serial(pier, ca: str, changed_from: int) -> int:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            tls, serial = handshake(pier, ca)
            tls.close()
            if serial != changed_from:
                return serial
        except ssl.SSLError:
            pass
        time.sleep(0.1)
    raise AssertionError("the certificate did not change after SIGHUP")


def test_sighup_reloads_the_certificate_without_dropping_connections(tls_pier):
    before, old_serial = handshake(tls_pier, tls_pier.ca)
    assert health_on(before) == 200
    fresh = make_certificates(tempfile.mkdtemp(prefix="pier-tls-new-"))
    replace_files(tls_pier, fresh)
    # Not re-read until told: new connections still get the old certificate.
    tls, serial = handshake(tls_pier, tls_pier.ca)
    assert serial == old_serial
    tls.close()
    tls_pier.process.send_signal(signal.SIGHUP)
    new_serial = wait_for_serial(tls_pier, fresh[0], old_serial)
    assert new_serial != old_serial
    # The connection made before the reload is still served.
    assert health_on(before) == 200
    before.close()
    # A broken replacement is refused and the certificate in use stays.
    with open(tls_pier.cert, "w") as f:
        f.write("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n")
    tls_pier.process.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    tls, serial = handshake(tls_pier, fresh[0])
    assert serial == new_serial and health_on(tls) == 200
    tls.close()
    # A key that does not fit the certificate is refused too.
    third = make_certificates(tempfile.mkdtemp(prefix="pier-tls-third-"))
    shutil.copyfile(fresh[1], tls_pier.cert)
    shutil.copyfile(third[2], tls_pier.key)
    tls_pier.process.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    tls, serial = handshake(tls_pier, fresh[0])
    assert serial == new_serial
    tls.close()
    tls_pier.ca = fresh[0]
    shutil.copyfile(fresh[2], tls_pier.key)


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"TLS_CERT_FILE": "CERT"}, "TLS_CERT_FILE/TLS_KEY_FILE"),
        ({"TLS_KEY_FILE": "KEY"}, "TLS_CERT_FILE/TLS_KEY_FILE"),
        ({"TLS_CERT_FILE": "/nonexistent/cert.pem", "TLS_KEY_FILE": "KEY"}, "/nonexistent/cert.pem"),
        ({"TLS_CERT_FILE": "CERT", "TLS_KEY_FILE": "/nonexistent/key.pem"}, "/nonexistent/key.pem"),
        ({"TLS_CERT_FILE": "CERT", "TLS_KEY_FILE": "OTHERKEY"}, "does not fit"),
    ],
)
def test_start_up_refuses_unusable_tls_settings(settings, message):
    directory = tempfile.mkdtemp(prefix="pier-tls-bad-")
    _, cert, key = make_certificates(directory)
    _, _, other_key = make_certificates(tempfile.mkdtemp(prefix="pier-tls-bad2-"))
    names = {"CERT": cert, "KEY": key, "OTHERKEY": other_key}
    env = dict(os.environ, PIER_DATA_DIR=directory, LOG_LEVEL="warning", **{k: names.get(v, v) for k, v in settings.items()})
    binary = os.environ.get("PIER_BIN", str(ROOT / ".build" / "debug" / "pier"))
    done = subprocess.run([binary, "serve", "--port", str(free_port())], env=env, capture_output=True, timeout=60)
    assert done.returncode == 78, done.stderr.decode()
    assert message in done.stderr.decode()
