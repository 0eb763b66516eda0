"""POST /api/v1/servers/from-github clones a git repository the test makes (file://), installs its Python project
into a virtualenv with pip, and runs its console script as a stdio server; a failed install leaves the server
`failed` with the reason; `pier servers` and `pier apikey` drive the same API from the command line."""

import os
import subprocess
import tempfile
import textwrap

import httpx
from conftest import KEY
from test_admin_api import running, wait_until

# A small MCP server written with the official SDK 1.x, as someone would publish it.
SERVER = '''
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("hello-from-git")


@mcp.tool()
def hello(name: str) -> str:
    """Greets someone."""
    return f"hello {name}, from a git checkout"


def main():
    mcp.run()
'''

PYPROJECT = '''
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "hello-mcp"
version = "0.1.0"
dependencies = ["mcp==1.30.0"]

[project.scripts]
hello-mcp = "hello_mcp:main"

[tool.setuptools]
py-modules = ["hello_mcp"]
'''


def git(*args: str, cwd: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def make_repository(files: dict[str, str]) -> str:
    folder = tempfile.mkdtemp(prefix="pier-git-")
    for path, text in files.items():
        full = os.path.join(folder, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(textwrap.dedent(text))
    git("init", "-q", "-b", "main", cwd=folder)
    git("add", ".", cwd=folder)
    git("commit", "-q", "-m", "the server", cwd=folder)
    return folder


def test_from_github_installs_and_runs_a_python_server(host):
    repo = make_repository({"server/hello_mcp.py": SERVER, "server/pyproject.toml": PYPROJECT, "README.md": "# hello\n"})
    git("tag", "v0.1.0", cwd=repo)
    api = host.client()
    r = api.post("/servers/from-github", json={"github_url": f"file://{repo}", "name": "hello", "ref": "v0.1.0", "subdirectory": "server"})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "starting" and r.json()["github_url"] == f"file://{repo}"
    hello = running(api, "hello", timeout=240)
    assert hello["command"] is None and hello["ref"] == "v0.1.0" and hello["subdirectory"] == "server", "the view shows the body (no command given)"
    from gateway_launch import modern_call, wait_for_tools

    wait_for_tools(host.pier.url, ["hello__hello"], timeout=10)
    result = modern_call(host.pier.url, "tools/call", {"name": "hello__hello", "arguments": {"name": "Ada"}})["result"]
    assert result["content"][0]["text"] == "hello Ada, from a git checkout"
    messages = [e["message"] for e in api.get("/servers/hello/logs", params={"lines": 200}).json()["events"]]
    assert any(m.startswith("cloning file://") for m in messages) and any("pip install" in m for m in messages)
    assert any(m.startswith("installed: ") and "/venv/bin/hello-mcp" in m for m in messages)
    assert api.delete("/servers/hello").status_code == 204
    assert not os.path.exists(os.path.join(host.data_dir, "servers", "hello"))


def test_a_requirements_project_runs_the_given_command(host):
    repo = make_repository({"server.py": SERVER + "\n\nif __name__ == '__main__':\n    main()\n", "requirements.txt": "mcp==1.30.0\n"})
    api = host.client()
    body = {"github_url": f"file://{repo}", "name": "reqs", "command": "python", "args": ["server.py"]}
    assert api.post("/servers/from-github", json=body).status_code == 201
    running(api, "reqs", timeout=240)
    tools = api.get("/servers/reqs/tools").json()["tools"]
    assert [(t["name"], t["exposed_as"]) for t in tools] == [("hello", "reqs__hello")]
    messages = [e["message"] for e in api.get("/servers/reqs/logs", params={"lines": 200}).json()["events"]]
    assert any(m == "pip install requirements.txt" for m in messages) and any("/venv/bin/python server.py" in m for m in messages)
    assert api.delete("/servers/reqs").status_code == 204


def test_a_failed_install_leaves_the_server_failed_with_the_reason(host):
    repo = make_repository({"README.md": "# not a Python project\n"})
    api = host.client()
    assert api.post("/servers/from-github", json={"github_url": f"file://{repo}", "name": "broken"}).status_code == 201
    failed = wait_until(lambda: (s := api.get("/servers/broken").json())["status"] == "failed" and s, timeout=60, what="the install to fail")
    assert "no Python project" in failed["last_error"]
    missing = api.post("/servers/from-github", json={"github_url": f"file://{repo}/nope", "name": "missing"})
    assert missing.status_code == 201
    failed = wait_until(lambda: (s := api.get("/servers/missing").json())["status"] == "failed" and s, timeout=60, what="the clone to fail")
    assert "git clone failed" in failed["last_error"]
    assert api.get("/servers/missing/health").status_code == 503
    for name in ("broken", "missing"):
        assert api.delete(f"/servers/{name}").status_code == 204
    for body, field in (({"name": "x"}, "github_url"), ({"name": "x", "github_url": "ext::sh -c id"}, "github_url"), ({"name": "x", "github_url": "https://h/r", "ref": "--upload-pack=x"}, "ref"), ({"name": "x", "github_url": "https://h/r", "subdirectory": "../etc"}, "subdirectory")):
        r = api.post("/servers/from-github", json=body)
        assert r.status_code == 400 and r.json()["field"] == field, r.text


def pier(*args: str, key: str | None = KEY, host=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PIER_DATA_DIR=host.data_dir, DATABASE_URL=host.env.get("DATABASE_URL", ""))
    env.pop("PIER_ADMIN_API_KEY", None)
    if key:
        env["PIER_ADMIN_API_KEY"] = key
    binary = os.environ.get("PIER_BIN", "pier")
    return subprocess.run([binary, *args], capture_output=True, text=True, env=env, timeout=120)


def test_the_command_line(host):
    from conftest import TIME_PYTHON

    url = ["--url", host.pier.base]
    added = pier("servers", "add", "cli-time", "--command", TIME_PYTHON, "--arg", "-m", "--arg", "mcp_server_time", "--env", "A=1", *url, host=host)
    assert added.returncode == 0 and added.stdout.startswith("added cli-time"), added.stderr
    running(host.client(), "cli-time")
    table = pier("servers", "list", *url, host=host).stdout
    assert table.splitlines()[0].split()[:3] == ["NAME", "STATUS", "SOURCE"] and any(line.startswith("cli-time") and "running" in line for line in table.splitlines())
    assert '"name":"cli-time"' in pier("servers", "list", "--json", *url, host=host).stdout
    assert pier("servers", "restart", "cli-time", *url, host=host).returncode == 0
    assert "running" in pier("servers", "logs", "cli-time", "--lines", "20", *url, host=host).stdout
    refused = pier("servers", "remove", "clock", *url, host=host)
    assert refused.returncode != 0 and "config file" in refused.stderr
    assert pier("servers", "list", *url, key="wrong-key-" + "x" * 30, host=host).returncode == 77
    assert pier("servers", "remove", "cli-time", *url, host=host).stdout.strip() == "removed cli-time"

    # Keys made offline on the same store work against the running Pier at once; revoked ones stop working.
    created = pier("apikey", "create", "ops", key=None, host=host)
    assert created.returncode == 0, created.stderr
    new_key = created.stdout.strip()
    assert new_key.startswith("pier_") and len(new_key) >= 40
    assert httpx.get(host.api + "/servers", headers={"Authorization": f"Bearer {new_key}"}).status_code == 200
    listing = pier("apikey", "list", key=None, host=host).stdout
    assert "ops" in listing and new_key not in listing
    assert pier("apikey", "create", "ops", key=None, host=host).returncode != 0, "a live key of that name exists"
    assert pier("apikey", "revoke", "ops", key=None, host=host).returncode == 0
    assert httpx.get(host.api + "/servers", headers={"Authorization": f"Bearer {new_key}"}).status_code == 401
    keys = host.client().get("/apikeys").json()["apikeys"]
    assert [k["name"] for k in keys if k["source"] == "environment"] == ["PIER_ADMIN_API_KEY"]
    assert any(k["name"] == "ops" and k["revoked_at"] for k in keys)
