"""Every benchmark runs end to end on small inputs and prints its figures as JSON last.

The figures themselves are not judged here (timings belong in docs/benchmarks.md); what is
checked is that each script works and that its figures are consistent with one another.
"""

from __future__ import annotations

import os

import pytest

from tests.bench.runner import run_bench

pytestmark = [pytest.mark.bench, pytest.mark.timeout(300)]


def test_bus_bench() -> None:
    figures = run_bench(
        "bus.py", "--events", "600", "--latency-events", "200", "--rounds", "1", "--rate", "500"
    )
    assert figures["raw_eps"] > 0
    assert figures["bus_eps"] > 0
    assert figures["ratio"] == pytest.approx(figures["bus_eps"] / figures["raw_eps"], rel=0.01)
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]


def test_embeddings_bench() -> None:
    figures = run_bench("embeddings.py", "--seconds", "0.5", "--rounds", "1", "--warmup", "0.2")
    assert figures["eps_1"] > 0
    assert figures["eps_32_unbatched"] > 0
    assert figures["batching_ratio"] == pytest.approx(
        figures["eps_32_batched"] / figures["eps_32_unbatched"], rel=0.01
    )
    assert figures["mean_batch_32_batched"] > 1, "the batched model never batched"


def test_local_chat_bench() -> None:
    figures = run_bench("local_chat.py", "--rounds", "1", "--max-tokens", "8")
    for key in ("tok_s_service", "tok_s_triton", "tok_s_direct", "ttft_ms_service"):
        assert figures[key] > 0, key
    assert 0 < figures["output_tokens_per_path"] <= 4 * 8  # 4 prompts, at most 8 tokens each


@pytest.mark.parametrize("pinned", [False, True], ids=["shared", "relay-cpu"])
def test_router_bench(pinned: bool) -> None:
    cpus = sorted(os.sched_getaffinity(0))
    if pinned and len(cpus) < 2:
        pytest.skip("--relay-cpu needs two CPUs")
    pin = ["--relay-cpu", str(cpus[-1])] if pinned else []
    figures = run_bench("router.py", "--requests", "100", "--warmup", "20", "--rounds", "1", *pin)
    assert list(figures)[:3] == ["decisions_per_s", "p50_ms", "p99_ms"]
    assert figures["requests"] == 100
    assert figures["deployments"] == 20
    assert figures["dispatched"] == 100, "not every queued request was dispatched"
    assert figures["duplicates"] == 0
    assert figures["decisions_per_s"] > 0
    assert 0 < figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert figures["deployments_used"] > 1, "every request went to one deployment"
    assert figures["relay_cpu"] == (cpus[-1] if pinned else None)
    for part in ("ledger", "publish"):  # the two parts of the added latency
        assert 0 < figures[f"{part}_p50_ms"] <= figures[f"{part}_p99_ms"] <= figures["max_ms"]
