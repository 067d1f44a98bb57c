"""Scaling advice per deployment from its queue, load and latency."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

MAX_SCALE_STEP = 10


@dataclass(frozen=True)
class ScalingPolicy:
    """Thresholds for scaling advice."""

    target_latency_ms: float = 2000
    queue_per_slot_high: float = 2.0
    utilisation_low: float = 0.2


class ScaleAction(StrEnum):
    """What to do with a deployment's replica count."""

    SCALE_UP = "scale_up"
    SCALE_DOWN = "scale_down"
    HOLD = "hold"


@dataclass(frozen=True)
class Recommendation:
    """Scaling advice with the figures it rests on."""

    deployment: str
    action: ScaleAction
    replicas_delta: int
    reason: str
    waiting: int
    inflight: int
    concurrency: int
    ewma_latency_ms: float | None


def recommend(
    *,
    deployment: str,
    waiting: int,
    inflight: int,
    concurrency: int,
    ewma_latency_ms: float | None,
    policy: ScalingPolicy,
) -> Recommendation:
    """Advise scaling one deployment up, down, or not at all."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    queue_per_slot = waiting / concurrency
    utilisation = inflight / concurrency
    latency = "unknown" if ewma_latency_ms is None else f"{ewma_latency_ms:.0f} ms"
    slow = ewma_latency_ms is not None and ewma_latency_ms > policy.target_latency_ms
    saturated = inflight >= concurrency

    if queue_per_slot >= policy.queue_per_slot_high or (slow and saturated):
        delta = min(MAX_SCALE_STEP, max(1, math.ceil(queue_per_slot / policy.queue_per_slot_high)))
        if queue_per_slot >= policy.queue_per_slot_high:
            reason = (
                f"{waiting} waiting for {concurrency} slots ({queue_per_slot:.1f} per slot, "
                f"high is {policy.queue_per_slot_high:.1f})"
            )
        else:
            reason = (
                f"latency {latency} above the {policy.target_latency_ms:.0f} ms target "
                f"with all {concurrency} slots busy"
            )
        action = ScaleAction.SCALE_UP
    elif (
        waiting == 0
        and utilisation <= policy.utilisation_low
        and (ewma_latency_ms is None or ewma_latency_ms < policy.target_latency_ms / 2)
    ):
        delta = -1
        action = ScaleAction.SCALE_DOWN
        reason = (
            f"idle: nothing waiting, {inflight} of {concurrency} slots busy "
            f"({utilisation:.0%}), latency {latency}"
        )
    else:
        delta = 0
        action = ScaleAction.HOLD
        reason = (
            f"within bounds: {waiting} waiting, {inflight} of {concurrency} slots busy, "
            f"latency {latency}"
        )
    return Recommendation(
        deployment=deployment,
        action=action,
        replicas_delta=delta,
        reason=reason,
        waiting=waiting,
        inflight=inflight,
        concurrency=concurrency,
        ewma_latency_ms=ewma_latency_ms,
    )
