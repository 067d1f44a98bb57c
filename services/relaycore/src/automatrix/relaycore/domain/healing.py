"""When to drain a failing deployment and when to probe it back in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HealingPolicy:
    """Thresholds for automatic draining and re-probing."""

    error_rate: float = 0.5
    min_calls: int = 10
    probe_after_s: float = 30.0


def should_drain(error_rate: float, calls: int, policy: HealingPolicy) -> bool:
    """True when enough recent calls failed to take the deployment out of routing."""
    return calls >= policy.min_calls and error_rate >= policy.error_rate


def probe_due(drained_at: float, now: float, policy: HealingPolicy) -> bool:
    """True once a drained deployment has rested long enough to be probed."""
    return now - drained_at >= policy.probe_after_s
