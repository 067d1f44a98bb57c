"""Routing strategies: each orders candidates best first, full ones last."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from automatrix.relaycore.domain.strategies import (
    Candidate,
    Strategy,
    estimate_tokens,
    rank,
)
from automatrix.shared.contracts import DeploymentRecord


def _cand(
    name: str,
    inflight: int = 0,
    latency: float | None = None,
    error_rate: float = 0.0,
    **record: Any,
) -> Candidate:
    fields: dict[str, Any] = {"concurrency": 10}
    return Candidate(
        record=DeploymentRecord.example(name=name, **{**fields, **record}),
        inflight=inflight,
        ewma_latency_ms=latency,
        error_rate=error_rate,
    )


def _names(ranked: list[Candidate]) -> list[str]:
    return [c.record.name for c in ranked]


def _rank(strategy: Strategy, candidates: list[Candidate], **kwargs: Any) -> list[str]:
    return _names(rank(strategy, candidates, rng=random.Random(7), **kwargs))


def test_load_and_capacity() -> None:
    candidate = _cand("a", inflight=4, concurrency=8)
    assert candidate.load == 0.5
    assert candidate.has_capacity
    assert not _cand("b", inflight=8, concurrency=8).has_capacity


def test_least_loaded_by_share_then_inflight_then_name() -> None:
    candidates = [
        _cand("half", inflight=5, concurrency=10),
        _cand("quarter-big", inflight=5, concurrency=20),
        _cand("quarter-small", inflight=1, concurrency=4),
        _cand("a-quarter-small", inflight=1, concurrency=4),
        _cand("full", inflight=2, concurrency=2),
    ]
    assert _rank(Strategy.LEAST_LOADED, candidates) == [
        "a-quarter-small",
        "quarter-small",
        "quarter-big",
        "half",
        "full",
    ]


def test_latency_treats_unmeasured_as_the_median() -> None:
    candidates = [
        _cand("slow", latency=900.0),
        _cand("fast", latency=100.0),
        _cand("mid", latency=500.0, inflight=5),
        _cand("new", latency=None, inflight=1),
    ]
    # "new" counts as 500 ms, like "mid", and wins the tie on load.
    assert _rank(Strategy.LATENCY, candidates) == ["fast", "new", "mid", "slow"]


def test_latency_with_nothing_measured_falls_back_to_load() -> None:
    candidates = [_cand("b", inflight=3), _cand("a", inflight=3), _cand("c", inflight=1)]
    assert _rank(Strategy.LATENCY, candidates) == ["c", "a", "b"]


def test_latency_puts_full_deployments_last() -> None:
    candidates = [_cand("fast-full", latency=1.0, inflight=10), _cand("slow", latency=999.0)]
    assert _rank(Strategy.LATENCY, candidates) == ["slow", "fast-full"]


def test_cost_uses_token_estimate() -> None:
    cheap_in = _cand("cheap-in", cost_per_1k_input=0.1, cost_per_1k_output=10.0)
    cheap_out = _cand("cheap-out", cost_per_1k_input=10.0, cost_per_1k_output=0.1)
    both = [cheap_in, cheap_out]
    assert _rank(Strategy.COST, both, input_tokens=5000, output_tokens=10) == [
        "cheap-in",
        "cheap-out",
    ]
    assert _rank(Strategy.COST, both, input_tokens=10, output_tokens=5000) == [
        "cheap-out",
        "cheap-in",
    ]


def test_cost_ties_by_load() -> None:
    candidates = [_cand("busy", inflight=5), _cand("idle", inflight=0)]
    assert _rank(Strategy.COST, candidates) == ["idle", "busy"]


def test_weighted_follows_weights_and_error_rates() -> None:
    rng = random.Random(1)
    candidates = [
        _cand("heavy", weight=3.0),
        _cand("light", weight=1.0),
        _cand("failing", weight=3.0, error_rate=1.0),
    ]
    firsts = Counter(
        rank(Strategy.WEIGHTED, candidates, rng=rng)[0].record.name for _ in range(4000)
    )
    assert firsts["heavy"] / 4000 == pytest.approx(0.75, abs=0.03)
    assert firsts["light"] / 4000 == pytest.approx(0.25, abs=0.03)
    assert firsts["failing"] < 5  # not zero weight, but nearly


def test_weighted_is_a_permutation_with_full_ones_last() -> None:
    candidates = [_cand("full", weight=1000.0, inflight=10), _cand("a"), _cand("b")]
    for seed in range(20):
        ranked = _names(rank(Strategy.WEIGHTED, candidates, rng=random.Random(seed)))
        assert sorted(ranked) == ["a", "b", "full"]
        assert ranked[-1] == "full"


def test_weighted_is_reproducible_with_the_same_seed() -> None:
    candidates = [_cand(str(i)) for i in range(6)]
    assert _rank(Strategy.WEIGHTED, candidates) == _rank(Strategy.WEIGHTED, candidates)


def test_estimate_tokens() -> None:
    assert estimate_tokens([]) == 1
    assert estimate_tokens(["abcd"]) == 1
    assert estimate_tokens(["abcd", "e"]) == 2
    assert estimate_tokens(["x" * 4000]) == 1000
