"""``bench/gateway.py`` starts a whole platform, runs every phase on small counts, prints JSON last.

The timings are not judged (they belong in docs/benchmarks.md); what is checked is that every
phase ran, that each request got the cache status it was meant to get, and that the figures
are consistent with one another.
"""

from __future__ import annotations

import pytest

from tests.bench.runner import run_bench

pytestmark = [pytest.mark.bench, pytest.mark.slow, pytest.mark.timeout(600)]

LATENCIES = ("exact", "semantic", "miss", "embeddings", "models")


def test_gateway_bench() -> None:
    figures = run_bench("gateway.py",
        "--exact", "20", "--semantic", "20", "--miss", "3", "--comparisons", "5",
        "--warmup", "2", "--clients", "4", "--seconds", "0.5",
        timeout_s=540,
    )  # fmt: skip
    assert list(figures)[:7] == [
        "exact_p50_ms",
        "exact_p99_ms",
        "semantic_p50_ms",
        "semantic_p99_ms",
        "miss_p50_ms",
        "miss_p99_ms",
        "exact_rps",
    ]
    for name in LATENCIES:
        assert 0 < figures[f"{name}_p50_ms"] <= figures[f"{name}_p99_ms"], name
    assert (figures["exact_count"], figures["semantic_count"], figures["miss_count"]) == (20, 20, 3)
    for failures in ("exact", "semantic", "miss", "exact_rps", "semantic_rps"):
        assert figures[f"{failures}_failures"] == 0, failures
    assert figures["exact_rps"] > 0
    assert figures["semantic_rps"] > 0
    assert figures["semantic_similarity_min"] >= 0.95  # a semantic hit, by the gateway's own word
    assert 0 < figures["miss_output_tokens_mean"] <= 8  # the local model answered, max_tokens 8
    # the bench started the platform, so every service's /metrics was read around the hits
    for key in ("server_exact_ms", "server_semantic_ms"):
        assert figures[key] > 0, key
    # a semantic hit does more than an exact one: an embedding and a Qdrant lookup
    assert figures["server_semantic_ms"] > figures["server_exact_ms"]
    assert figures["exact_goal_met"] == (figures["exact_p50_ms"] < 2.0)
    assert figures["semantic_goal_met"] == (figures["semantic_p50_ms"] < 10.0)
