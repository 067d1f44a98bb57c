"""Scaling advice from a volume forecast: replicas needed for the forecast peak (Little's law).

Requests in flight = arrival rate x time in service, so the forecast peak rate times the mean
latency is the concurrency the deployment must sustain; kept at ``target_utilisation`` of its
slots, that divided by the concurrency limit of one replica is the replicas it needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class ScaleAction(StrEnum):
    """What to do with a deployment's replica count."""

    SCALE_UP = "scale_up"
    SCALE_DOWN = "scale_down"
    HOLD = "hold"


@dataclass(frozen=True)
class CapacityAdvice:
    """Replicas needed for the forecast peak, with the figures it rests on."""

    deployment: str
    action: ScaleAction
    replicas: int
    replicas_needed: int
    slots_needed: int
    peak_rps: float
    mean_latency_ms: float | None
    concurrency: int
    reason: str


def advise(
    *,
    deployment: str,
    peak_per_bucket: float,
    bucket_s: float,
    mean_latency_ms: float | None,
    concurrency: int,
    replicas: int,
    target_utilisation: float = 0.7,
) -> CapacityAdvice:
    """Scale up, down or hold so the forecast peak runs at ``target_utilisation``."""
    if concurrency < 1 or replicas < 0 or bucket_s <= 0:
        raise ValueError("concurrency must be >= 1, replicas >= 0 and bucket_s > 0")
    if not 0 < target_utilisation <= 1:
        raise ValueError("target_utilisation must lie in (0, 1]")
    peak_rps = max(0.0, peak_per_bucket) / bucket_s
    current = max(1, replicas)
    if mean_latency_ms is None:
        return CapacityAdvice(
            deployment, ScaleAction.HOLD, current, current, 0, peak_rps, None, concurrency,
            "no latency measured yet: cannot size it",
        )  # fmt: skip
    in_flight = peak_rps * mean_latency_ms / 1000
    slots = math.ceil(in_flight / target_utilisation - 1e-9)
    needed = max(1, math.ceil(slots / concurrency))
    figures = (
        f"forecast peak {peak_rps:.2f} req/s x {mean_latency_ms:.0f} ms = {in_flight:.1f} in "
        f"flight; at {target_utilisation:.0%} of {concurrency} slots per replica"
    )
    if needed > current:
        action, verdict = ScaleAction.SCALE_UP, f"needs {needed} replicas, has {current}"
    elif needed < current:
        action, verdict = ScaleAction.SCALE_DOWN, f"{needed} replicas would do, has {current}"
    else:
        action, verdict = ScaleAction.HOLD, f"{current} replicas fit"
    return CapacityAdvice(
        deployment=deployment,
        action=action,
        replicas=current,
        replicas_needed=needed,
        slots_needed=slots,
        peak_rps=peak_rps,
        mean_latency_ms=mean_latency_ms,
        concurrency=concurrency,
        reason=f"{figures}: {verdict}",
    )
