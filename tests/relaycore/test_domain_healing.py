"""Automatic draining and re-probing thresholds."""

from __future__ import annotations

from automatrix.relaycore.domain.healing import HealingPolicy, probe_due, should_drain

POLICY = HealingPolicy()


def test_drain_needs_both_enough_calls_and_a_high_error_rate() -> None:
    assert should_drain(0.5, 10, POLICY)
    assert not should_drain(0.49, 10, POLICY)
    assert not should_drain(1.0, 9, POLICY)


def test_probe_due_after_rest() -> None:
    assert not probe_due(100.0, 129.9, POLICY)
    assert probe_due(100.0, 130.0, POLICY)
