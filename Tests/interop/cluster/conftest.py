"""Two `pier serve` instances on one fresh PostgreSQL database behind Debian's nginx running the deploy kit's
config (deploy/nginx.conf), every address on loopback. Each process is stopped by its PID."""

import glob
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "support"))
from pier_launch import Pier, free_port, start_pier, stop_pier  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
ADMIN_KEY = "cluster-admin-key-" + secrets.token_hex(16)
SECRET = secrets.token_hex(32)


def fresh_database() -> str:
    admin_url = os.environ.get("PIER_TEST_DATABASE_URL")
    assert admin_url, "PIER_TEST_DATABASE_URL is not set (scripts/test.sh starts PostgreSQL)"
    psql = shutil.which("psql") or sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1]
    name = "pier_cluster_" + secrets.token_hex(5)
    subprocess.run([psql, admin_url, "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    base, _, query = admin_url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    assert found, "nginx is needed (scripts/setup-system.sh installs Debian's nginx-light)"
    return found


@dataclass
class Cluster:
    url: str
    base: str
    piers: list[Pier]
    env: dict
    nginx: subprocess.Popen
    ports: list[int] = field(default_factory=list)

    def alive(self) -> list[Pier]:
        return [p for p in self.piers if p.process.poll() is None]


def start_nginx(ports: list[int]) -> tuple[subprocess.Popen, int, str]:
    """nginx with deploy/nginx.conf, its upstreams and listen address pointed at loopback ports."""
    prefix = tempfile.mkdtemp(prefix="pier-nginx-")
    listen = free_port()
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = site.replace("pier-1:8080", f"127.0.0.1:{ports[0]}").replace("pier-2:8080", f"127.0.0.1:{ports[1]}")
    site, n = re.subn(r"listen 80;", f"listen 127.0.0.1:{listen};", site)
    assert n == 1, "deploy/nginx.conf no longer has the listen line the test rewrites"
    Path(prefix, "pier.conf").write_text(site)
    Path(prefix, "nginx.conf").write_text(f"""
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/pier.conf;
}}
""")
    process = subprocess.Popen([nginx_binary(), "-p", prefix, "-c", f"{prefix}/nginx.conf", "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=open(f"{prefix}/stderr.log", "w"))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("nginx exited: " + Path(prefix, "stderr.log").read_text() + Path(prefix, "error.log").read_text())
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{listen}/health", timeout=1) as r:
                if r.status == 200:
                    return process, listen, prefix
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("nginx did not answer in 10 s")


def run_cluster(extra_env: dict | None = None):
    """Starts the two instances (with `extra_env`) and nginx; yields the Cluster, then stops them all."""
    if os.environ.get("PIER_SKIP_POSTGRES") == "1":
        pytest.skip("PIER_SKIP_POSTGRES=1")
    env = {
        "DATABASE_URL": fresh_database(),
        "PIER_SECRET": SECRET,
        "PIER_ADMIN_API_KEY": ADMIN_KEY,
        "PIER_ADMIN_AUTH_FAILURES": "100000",
        "PIER_REGISTRY_POLL_SECONDS": "1",
        "PIER_TRUST_FORWARDED": "true",
    }
    env.update(extra_env or {})
    ports = [free_port(), free_port()]
    piers = []
    nginx = None
    try:
        for port in ports:
            piers.append(start_pier(["demo", "cart", "conformance"], env, port=port))
        nginx, listen, _ = start_nginx(ports)
        base = f"http://127.0.0.1:{listen}"
        yield Cluster(url=base + "/mcp", base=base, piers=piers, env=env, nginx=nginx, ports=ports)
    finally:
        if nginx is not None:
            nginx.terminate()
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
        # Every instance is stopped even when one does not stop in time (that one's error is raised after).
        late = None
        for p in piers:
            if p.process.poll() is None:
                try:
                    stop_pier(p)
                except subprocess.TimeoutExpired as error:
                    late = late or error
        if late is not None:
            raise late


@pytest.fixture
def cluster():
    yield from run_cluster()


@pytest.fixture
def quiet_cluster():
    """The two instances reading the server registry only once an hour: what one changes reaches the other by
    PostgreSQL NOTIFY or not at all."""
    yield from run_cluster({"PIER_REGISTRY_POLL_SECONDS": "3600"})
