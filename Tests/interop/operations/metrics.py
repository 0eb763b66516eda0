"""Reading /metrics the way Prometheus does: the text format parsed by prometheus_client's own parser."""

import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def scrape(base: str, headers: dict | None = None) -> dict[tuple, float]:
    """Every sample of `base`/metrics, keyed by (name, sorted labels)."""
    request = urllib.request.Request(base + "/metrics", headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = r.read().decode()
    samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples: dict, name: str, **labels) -> float:
    """The sample `name` with exactly `labels`, or 0 when there is none yet."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def total(samples: dict, name: str, **labels) -> float:
    """The sum of every sample `name` whose labels include `labels`."""
    return sum(v for (n, ls), v in samples.items() if n == name and all(dict(ls).get(k) == w for k, w in labels.items()))
