"""/ready beside /health: ready once the store answers and no enabled upstream is still starting; 503 with the
reason while one starts or the store is gone, while /health stays 200 (the process is alive)."""

import json
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from pier_launch import ROOT, free_port, start_pier, stop_pier

from gateway_launch import PEERS


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_not_ready_while_an_upstream_starts():
    time_server = str(PEERS / "upstreams" / "bin" / "mcp-server-time")
    config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump({"mcpServers": {"late": {"command": "/bin/sh", "args": ["-c", f"sleep 3; exec {time_server} --local-timezone UTC"]}}}, config)
    config.close()
    p = start_pier(["demo"], config=config.name)
    try:
        status, report = get(p.base + "/ready")
        assert status == 503 and report == {"status": "not_ready", "store": "ok", "starting": ["late"]}
        assert get(p.base + "/health")[0] == 200
        deadline = time.monotonic() + 30
        while get(p.base + "/ready")[0] != 200:
            assert time.monotonic() < deadline, "never became ready"
            time.sleep(0.2)
        assert get(p.base + "/ready")[1] == {"status": "ready", "store": "ok", "starting": []}
    finally:
        stop_pier(p)


def test_not_ready_when_the_store_is_gone():
    port = free_port()
    url = subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh"), "start", str(port)], check=True, capture_output=True, text=True).stdout.strip()
    p = start_pier(["demo"], {"DATABASE_URL": url})
    try:
        assert get(p.base + "/ready") == (200, {"status": "ready", "store": "ok", "starting": []})
        subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh"), "stop", str(port)], check=True, capture_output=True)
        started = time.monotonic()
        status, report = get(p.base + "/ready")
        assert status == 503 and report["status"] == "not_ready" and report["store"] in ("unreachable", "timed out after 2 s")
        assert time.monotonic() - started < 5
        assert get(p.base + "/health")[0] == 200
    finally:
        stop_pier(p)
        subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh"), "stop", str(port)], capture_output=True)
