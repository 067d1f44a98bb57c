"""The anomaly detector (pure): silent on normal jitter, quick on faults, one alert per episode."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from automatrix.neuroweaver.insights.anomaly import (
    AnomalyDetector,
    Attempt,
    DetectorConfig,
    Transition,
)
from automatrix.shared.contracts import AnomalyKind

START = 1_750_000_000.0
RATE = 5.0
"""Attempts per second on the deployment."""

Fault = Callable[[float], tuple[float, float]]
"""Seconds since start -> (latency multiplier, error probability)."""


def normal(_: float) -> tuple[float, float]:
    return 1.0, 0.0


def run(
    detector: AnomalyDetector,
    seconds: float,
    *,
    seed: int,
    fault: Fault = normal,
    deployment: str = "dep-a",
    start: float = START,
    rate: float = RATE,
) -> list[Transition]:
    """Poisson arrivals; log-normal latency around 120 ms with 1% slow outliers, 0.5% errors."""
    rng = np.random.default_rng(seed)
    changes: list[Transition] = []
    t = start
    while t < start + seconds:
        t += float(rng.exponential(1 / rate))
        factor, error_p = fault(t - start)
        latency = float(rng.lognormal(math.log(120), 0.3)) * factor
        if rng.random() < 0.01:
            latency *= 5  # a slow request now and then is normal
        failed = bool(rng.random() < max(0.005, error_p))
        attempt = Attempt(t, None if failed else latency, failed)
        changes += detector.observe(deployment, attempt, model_group="grp")
    return changes


@pytest.mark.parametrize("seed", range(5))
def test_a_clean_run_raises_nothing(seed: int) -> None:
    detector = AnomalyDetector()
    assert run(detector, 900, seed=seed) == []
    status = detector.status("dep-a")
    assert status is not None
    assert status.baseline_samples >= detector.config.min_baseline_samples
    assert status.baseline_latency_ms is not None
    assert 100 < status.baseline_latency_ms < 140


@pytest.mark.parametrize("seed", range(3))
def test_a_latency_spike_is_flagged_within_30_s_once(seed: int) -> None:
    detector = AnomalyDetector()
    assert run(detector, 180, seed=seed) == []
    injected = START + 180

    def spike(elapsed: float) -> tuple[float, float]:
        return (4.0, 0.0) if elapsed < 120 else (1.0, 0.0)

    changes = run(detector, 240, seed=seed + 100, fault=spike, start=injected)
    opened = [c for c in changes if c.opened]
    assert len(opened) == 1, changes
    first = opened[0]
    assert first.kind is AnomalyKind.LATENCY_SPIKE
    assert first.at - injected <= 30
    assert first.reading.observed >= detector.config.latency_min_ratio * first.reading.baseline
    assert first.reading.score >= detector.config.latency_enter
    assert first.model_group == "grp"
    closed = [c for c in changes if not c.opened]
    assert [c.kind for c in closed] == [AnomalyKind.LATENCY_SPIKE]
    assert closed[0].at > injected + 120  # only once the spike is over
    assert closed[0].started_at == first.at


@pytest.mark.parametrize("seed", range(3))
def test_an_error_burst_is_flagged_within_30_s_once(seed: int) -> None:
    detector = AnomalyDetector()
    assert run(detector, 180, seed=seed) == []
    injected = START + 180

    def burst(elapsed: float) -> tuple[float, float]:
        return (1.0, 0.4) if elapsed < 90 else (1.0, 0.0)

    changes = run(detector, 200, seed=seed + 200, fault=burst, start=injected)
    opened = [c for c in changes if c.opened]
    assert [c.kind for c in opened] == [AnomalyKind.ERROR_BURST], changes
    assert opened[0].at - injected <= 30
    assert opened[0].reading.observed >= 0.2
    assert [c.kind for c in changes if not c.opened] == [AnomalyKind.ERROR_BURST]


def test_a_flapping_fault_is_one_episode() -> None:
    detector = AnomalyDetector()
    run(detector, 180, seed=7)

    def flapping(elapsed: float) -> tuple[float, float]:
        # Bad for 6 s, fine for 4 s, over and over: calm never lasts clear_after_s.
        return (1.0, 0.6) if elapsed % 10 < 6 else (1.0, 0.0)

    changes = run(detector, 120, seed=8, fault=flapping, start=START + 180)
    assert len([c for c in changes if c.opened]) == 1


def test_same_input_same_answer() -> None:
    def spike(elapsed: float) -> tuple[float, float]:
        return (5.0, 0.5) if 200 < elapsed < 260 else (1.0, 0.0)

    first = run(AnomalyDetector(), 400, seed=3, fault=spike)
    again = run(AnomalyDetector(), 400, seed=3, fault=spike)
    assert first == again
    assert {c.kind for c in first} == {AnomalyKind.LATENCY_SPIKE, AnomalyKind.ERROR_BURST}


def test_no_latency_verdict_before_the_baseline_is_learned() -> None:
    detector = AnomalyDetector()

    def slow_from_the_start(_: float) -> tuple[float, float]:
        return 10.0, 0.0

    # 8 s at 5/s: the window fills, but fewer than min_baseline_samples left it.
    assert run(detector, 8, seed=1, fault=slow_from_the_start) == []


def test_episode_is_not_learned_as_normal() -> None:
    detector = AnomalyDetector()
    run(detector, 180, seed=4)
    before = detector.status("dep-a")
    assert before is not None
    assert before.baseline_latency_ms is not None

    def spike(_: float) -> tuple[float, float]:
        return 6.0, 0.0

    run(detector, 300, seed=5, fault=spike, start=START + 180)
    during = detector.status("dep-a")
    assert during is not None
    assert during.open == (AnomalyKind.LATENCY_SPIKE,)
    assert during.baseline_latency_ms == pytest.approx(before.baseline_latency_ms, rel=0.1)


def test_a_long_episode_becomes_the_new_normal() -> None:
    config = DetectorConfig(max_episode_s=120)
    detector = AnomalyDetector(config)
    run(detector, 180, seed=6)

    def slower(_: float) -> tuple[float, float]:
        return 4.0, 0.0

    changes = run(detector, 400, seed=9, fault=slower, start=START + 180)
    kinds = [(c.kind, c.opened) for c in changes]
    assert kinds[:2] == [(AnomalyKind.LATENCY_SPIKE, True), (AnomalyKind.LATENCY_SPIKE, False)]
    assert "new normal" in changes[1].reason
    # Relearned at the new level: no new episode for the same latency.
    assert len(changes) == 2, changes


def test_idle_episodes_close_and_adopted_ones_follow_the_owner() -> None:
    detector = AnomalyDetector(DetectorConfig(idle_resolve_s=60))
    run(detector, 180, seed=2)
    assert detector.adopt("dep-a", AnomalyKind.ERROR_BURST, START + 170, START + 180)
    assert not detector.adopt("dep-a", AnomalyKind.ERROR_BURST, START + 170, START + 180)
    status = detector.status("dep-a")
    assert status is not None
    assert status.open == (AnomalyKind.ERROR_BURST,)
    assert detector.sweep(START + 200) == []
    closed = detector.sweep(START + 300)
    assert [(c.kind, c.opened) for c in closed] == [(AnomalyKind.ERROR_BURST, False)]
    assert "no traffic" in closed[0].reason
    assert detector.adopt("dep-a", AnomalyKind.LATENCY_SPIKE, START, START + 300)
    assert detector.release("dep-a", AnomalyKind.LATENCY_SPIKE)
    assert not detector.release("dep-a", AnomalyKind.LATENCY_SPIKE)


def test_out_of_order_attempts_do_not_run_time_backwards() -> None:
    detector = AnomalyDetector()
    detector.observe("dep-a", Attempt(START + 10, 100.0, False))
    detector.observe("dep-a", Attempt(START + 5, 100.0, False))
    status = detector.status("dep-a")
    assert status is not None
    assert status.last_seen == START + 10
    assert status.window_samples == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"window_s": 0}, "window_s"),
        ({"min_window_samples": 1}, "at least 2"),
        ({"latency_exit": 5.0}, "exit"),
        ({"latency_min_ratio": 1.0}, "latency_min_ratio"),
        ({"baseline_size": 10}, "baseline_size"),
        ({"max_episode_s": 5.0}, "max_episode_s"),
    ],
)
def test_bad_config_says_what_is_wrong(fields: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DetectorConfig(**fields)  # type: ignore[arg-type]
