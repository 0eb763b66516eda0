"""The container files of the deploy kit, checked without a Docker engine: compose.yaml and the Dockerfile are
parsed and their settings compared with the configuration keys Pier reads, the ports and names they share with
deploy/nginx.conf, and what the deployment guide tells operators. (nginx.conf itself runs in test_failover.)"""

import re
import shlex

import yaml

from conftest import ROOT

DEPLOY = ROOT / "deploy"


def pier_keys() -> set[str]:
    """Every environment variable Pier's configuration reads."""
    keys = set()
    for source in (ROOT / "Sources" / "PierApplication").glob("*.swift"):
        keys |= set(re.findall(r'env: "([A-Z0-9_]+)"', source.read_text()))
    assert {"DATABASE_URL", "PIER_SECRET", "BASE_URL", "PORT", "HOST"} <= keys
    return keys


def dockerfile() -> list[tuple[str, str]]:
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def dockerfile_env() -> dict[str, str]:
    env = {}
    for instruction, rest in dockerfile():
        if instruction == "ENV":
            for pair in shlex.split(rest):
                name, _, value = pair.partition("=")
                env[name] = value
    return env


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def nginx_upstreams() -> list[str]:
    block = re.search(r"upstream pier \{(.*?)\}", (DEPLOY / "nginx.conf").read_text(), re.S).group(1)
    return re.findall(r"server (\S+)", block)


def test_dockerfile_builds_in_two_stages_and_runs_unprivileged_with_a_health_check():
    steps = dockerfile()
    stages = [rest for instruction, rest in steps if instruction == "FROM"]
    assert len(stages) == 2 and " AS build" in stages[0] and stages[1].startswith("debian:")
    build = " ".join(rest for instruction, rest in steps if instruction == "RUN")
    assert "--static-swift-stdlib" in build and "--product pier" in build and "-c release" in build
    # The resource bundles travel with the binary (widgets, pages, the OpenAPI document).
    assert "*.resources" in build
    users = [rest for instruction, rest in steps if instruction == "USER"]
    assert users and users[-1] not in ("root", "0")
    env = dockerfile_env()
    assert set(env) <= pier_keys(), set(env) - pier_keys()
    assert env["HOST"] == "0.0.0.0"
    exposed = [rest for instruction, rest in steps if instruction == "EXPOSE"]
    assert exposed == [env["PORT"]]
    health = [rest for instruction, rest in steps if instruction == "HEALTHCHECK"]
    assert len(health) == 1 and f"http://127.0.0.1:{env['PORT']}/ready" in health[0]
    assert ("CMD", '["serve"]') in steps and any(i == "ENTRYPOINT" and "pier" in r for i, r in steps)


def test_compose_runs_two_replicas_on_postgres_behind_nginx():
    doc = compose()
    services = doc["services"]
    assert set(services) == {"postgres", "pier-1", "pier-2", "nginx"}
    keys = pier_keys()
    replicas = [services["pier-1"], services["pier-2"]]
    for replica in replicas:
        env = replica["environment"]
        # Every setting is one Pier reads: a typo would be ignored silently at run time.
        assert set(env) <= keys, set(env) - keys
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["PIER_TRUST_FORWARDED"] == "true" and env["HOST"] == "0.0.0.0"
        assert replica["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert replica["build"]["dockerfile"] == "deploy/Dockerfile"
    # Both replicas share the store and the requestState secret.
    assert replicas[0]["environment"] == replicas[1]["environment"]
    port = replicas[0]["environment"]["PORT"]
    assert port == dockerfile_env()["PORT"]
    # nginx sends to exactly these replicas, on the port they listen on, with the kit's config.
    assert sorted(nginx_upstreams()) == [f"pier-1:{port}", f"pier-2:{port}"]
    assert "./nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    postgres = services["postgres"]["environment"]
    url = replicas[0]["environment"]["DATABASE_URL"]
    assert url.startswith(f"postgres://{postgres['POSTGRES_USER']}:") and url.split("/")[-1].startswith(postgres["POSTGRES_DB"])
    # Stopping a replica gives it time to drain (Pier's own grace, then a margin).
    grace = float(replicas[0]["environment"]["PIER_SHUTDOWN_GRACE_SECONDS"])
    assert float(replicas[0]["stop_grace_period"].rstrip("s")) > grace


def test_nginx_config_is_right_for_sse():
    text = (DEPLOY / "nginx.conf").read_text()
    for directive in ("proxy_buffering off;", "proxy_http_version 1.1;", 'proxy_set_header Connection "";', "proxy_cache off;"):
        assert directive in text
    assert int(re.search(r"proxy_read_timeout (\d+)s;", text).group(1)) >= 3600
    # POSTs are never repeated once sent: no non_idempotent retries. No status is retried either (see
    # test_failover's database outage for why 503 must not be).
    retried = re.search(r"proxy_next_upstream ([^;]*);", text).group(1).split()
    assert "non_idempotent" not in retried and not [c for c in retried if c.startswith("http_")], retried


def test_the_guide_explains_every_setting_the_kit_uses():
    guide = (DEPLOY / "DEPLOYING.md").read_text()
    env = compose()["services"]["pier-1"]["environment"]
    for key in ("DATABASE_URL", "PIER_SECRET", "BASE_URL", "PIER_TRUST_FORWARDED", "TLS_CERT_FILE", "TLS_KEY_FILE"):
        assert key in guide, key
    for key in env:
        assert key in guide or key in (ROOT / "README.md").read_text(), key
    for topic in ("TLS", "Proxies", "Connecting ChatGPT", "Development, staging and production"):
        assert f"## {topic}" in guide
