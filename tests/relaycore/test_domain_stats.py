"""Per-deployment statistics: EWMA latency, rolling error rate, counters."""

from __future__ import annotations

import pytest

from automatrix.relaycore.domain.stats import DeploymentStats


def test_ewma_starts_at_the_first_latency_then_smooths() -> None:
    stats = DeploymentStats(alpha=0.5)
    assert stats.ewma_latency_ms is None
    stats.record(True, 100.0, now=0.0)
    assert stats.ewma_latency_ms == 100.0
    stats.record(True, 200.0, now=1.0)
    assert stats.ewma_latency_ms == pytest.approx(150.0)
    stats.record(False, None, now=2.0)
    assert stats.ewma_latency_ms == pytest.approx(150.0)


def test_error_rate_and_calls_roll_with_the_window() -> None:
    stats = DeploymentStats(window_s=60.0)
    assert stats.error_rate(0.0) == 0.0
    stats.record(False, None, now=0.0)
    stats.record(True, 10.0, now=30.0)
    assert stats.calls(59.0) == 2
    assert stats.error_rate(59.0) == pytest.approx(0.5)
    assert stats.calls(60.0) == 1
    assert stats.error_rate(60.0) == 0.0
    assert (stats.total_success, stats.total_failure) == (1, 1)


def test_snapshot() -> None:
    stats = DeploymentStats()
    stats.record(True, 40.0, now=5.0)
    assert stats.snapshot(5.0) == {
        "calls": 1,
        "error_rate": 0.0,
        "ewma_latency_ms": 40.0,
        "total_success": 1,
        "total_failure": 0,
    }
