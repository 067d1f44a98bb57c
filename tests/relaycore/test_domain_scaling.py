"""Scaling advice."""

from __future__ import annotations

from automatrix.relaycore.domain.scaling import ScaleAction, ScalingPolicy, recommend

POLICY = ScalingPolicy()


def _advise(
    waiting: int, inflight: int, concurrency: int = 5, latency: float | None = None
) -> tuple[ScaleAction, int]:
    rec = recommend(
        deployment="d",
        waiting=waiting,
        inflight=inflight,
        concurrency=concurrency,
        ewma_latency_ms=latency,
        policy=POLICY,
    )
    return rec.action, rec.replicas_delta


def test_scale_up_on_queue_depth() -> None:
    assert _advise(waiting=10, inflight=5) == (ScaleAction.SCALE_UP, 1)
    assert _advise(waiting=11, inflight=5) == (ScaleAction.SCALE_UP, 2)
    assert _advise(waiting=9, inflight=5, latency=100.0) == (ScaleAction.HOLD, 0)


def test_scale_up_is_capped() -> None:
    assert _advise(waiting=10_000, inflight=5) == (ScaleAction.SCALE_UP, 10)


def test_scale_up_on_slow_and_saturated() -> None:
    assert _advise(waiting=0, inflight=5, latency=2500.0) == (ScaleAction.SCALE_UP, 1)
    assert _advise(waiting=0, inflight=4, latency=2500.0) == (ScaleAction.HOLD, 0)


def test_scale_down_when_idle_and_fast() -> None:
    assert _advise(waiting=0, inflight=1, latency=500.0) == (ScaleAction.SCALE_DOWN, -1)
    assert _advise(waiting=0, inflight=0) == (ScaleAction.SCALE_DOWN, -1)
    assert _advise(waiting=0, inflight=1, latency=1000.0) == (ScaleAction.HOLD, 0)
    assert _advise(waiting=1, inflight=0) == (ScaleAction.HOLD, 0)
    assert _advise(waiting=0, inflight=2) == (ScaleAction.HOLD, 0)


def test_recommendation_carries_its_figures_and_a_reason() -> None:
    rec = recommend(
        deployment="gpt",
        waiting=12,
        inflight=5,
        concurrency=5,
        ewma_latency_ms=800.0,
        policy=POLICY,
    )
    assert (rec.deployment, rec.waiting, rec.inflight, rec.concurrency) == ("gpt", 12, 5, 5)
    assert rec.ewma_latency_ms == 800.0
    assert "12 waiting" in rec.reason
