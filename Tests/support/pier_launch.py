"""Starts a live `pier serve` on a free port for a Python test suite, and stops it."""

import os
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Pier:
    url: str
    base: str
    process: subprocess.Popen
    log_path: str = ""

    def log(self) -> str:
        """What Pier wrote to stderr so far."""
        return Path(self.log_path).read_text(errors="replace") if self.log_path else ""


def log_file(prefix: str):
    """A file for a child's stderr. A pipe nobody reads fills up (64 KiB) and then blocks every write the child
    makes to it, logging included: a server that logs a warning per failed request stops answering."""
    fd, path = tempfile.mkstemp(prefix=prefix, suffix=".log")
    os.close(fd)
    return open(path, "w+b")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_pier(
    apps: list[str],
    extra_env: dict[str, str] | None = None,
    data_dir: str | None = None,
    config: str | None = None,
    port: int | None = None,
    ca_file: str | None = None,
) -> Pier:
    """Runs the built `pier` (or $PIER_BIN) with `apps` and waits for /health. Each gets its own data directory
    unless `data_dir` names one to share (two instances on one SQLite file, as behind a load balancer). `config`
    is a config file to pass with `--config`; `port` one to listen on (else a free one). With `ca_file`, Pier
    serves HTTPS (`extra_env` names its certificate) and /health is checked against that CA."""
    binary = os.environ.get("PIER_BIN", str(ROOT / ".build" / "debug" / "pier"))
    port = port or free_port()
    # The suites make far more than the default 100 requests a minute from one address; the rate-limit tests set
    # their own limits.
    env = dict(os.environ, LOG_LEVEL="warning", RATE_LIMIT_PER_MINUTE="0", PIER_DATA_DIR=data_dir or tempfile.mkdtemp(prefix="pier-test-"))
    env.update(extra_env or {})
    args = [binary, "serve", "--port", str(port)]
    for app in apps:
        args += ["--app", app]
    if config:
        args += ["--config", config]
    log = log_file("pier-stderr-")
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=log)
    log.close()
    base = f"{'https' if ca_file else 'http'}://127.0.0.1:{port}"
    context = ssl.create_default_context(cafile=ca_file) if ca_file else None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pier exited: {Path(log.name).read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(base + "/health", timeout=1, context=context) as r:
                if r.status == 200:
                    return Pier(url=base + "/mcp", base=base, process=process, log_path=log.name)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("pier did not become healthy in 30 s")


def stop_pier(pier: Pier) -> None:
    pier.process.terminate()
    try:
        pier.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        # Killed and reaped before the test hears that it did not stop in time.
        pier.process.kill()
        pier.process.wait(timeout=10)
        raise
