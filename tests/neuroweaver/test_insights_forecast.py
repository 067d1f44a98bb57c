"""Volume forecasts (pure): beat naive on held-out data when there is structure; sizing advice."""

from __future__ import annotations

import numpy as np
import pytest

from automatrix.neuroweaver.insights.capacity import ScaleAction, advise
from automatrix.neuroweaver.insights.forecast import fill_series, forecast

SEASON = 24


def seasonal(seasons: int, *, seed: int) -> list[float]:
    """Counts with a daily-like cycle (peak 3x the trough) and Poisson noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(seasons * SEASON)
    mean = 60 + 40 * np.sin(2 * np.pi * t / SEASON)
    return [float(v) for v in rng.poisson(mean)]


def trending(length: int, *, seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    return [float(v) for v in rng.poisson(20 + 1.5 * t)]


def mae(predicted: tuple[float, ...], truth: list[float]) -> float:
    return float(np.mean(np.abs(np.array(predicted) - np.array(truth))))


@pytest.mark.parametrize("seed", range(3))
def test_seasonal_volume_beats_naive_out_of_sample(seed: int) -> None:
    series = seasonal(10, seed=seed)
    history, truth = series[:-SEASON], series[-SEASON:]
    result = forecast(history, horizon=SEASON, season=SEASON)
    assert result.method in {"seasonal_naive", "ridge_lags"}
    assert result.mae is not None
    assert result.naive_mae is not None
    assert result.skill is not None
    assert result.skill > 0.3
    # Judged again on data it never saw: the chosen method still beats "same as now".
    naive_values = (history[-1],) * SEASON
    assert mae(result.values, truth) < 0.6 * mae(naive_values, truth)
    assert set(result.candidates) == {"naive", "seasonal_naive", "holt", "ridge_lags"}


def test_a_trend_is_followed() -> None:
    # One last value can land near the future by luck: judge over several series.
    errors, naive_errors = [], []
    for seed in range(8):
        series = trending(80, seed=seed)
        history, truth = series[:-12], series[-12:]
        result = forecast(history, horizon=12)
        assert result.method in {"holt", "ridge_lags"}
        assert result.values[-1] > result.values[0]
        errors.append(mae(result.values, truth))
        naive_errors.append(mae((history[-1],) * 12, truth))
    assert np.mean(errors) < 0.75 * np.mean(naive_errors)


def test_flat_noise_gives_no_false_skill_and_no_negative_counts() -> None:
    rng = np.random.default_rng(11)
    series = [float(v) for v in rng.poisson(3, size=60)]
    result = forecast(series, horizon=10)
    assert all(v >= 0 for v in result.values)
    assert result.skill is not None
    assert result.skill < 0.5
    assert abs(np.mean(result.values) - 3) < 2.5


def test_short_and_empty_histories_fall_back_to_naive() -> None:
    short = forecast([5.0, 7.0, 6.0], horizon=4)
    assert (short.method, short.mae, short.skill) == ("naive", None, None)
    assert short.values == (6.0,) * 4
    assert short.history == 3
    empty = forecast([], horizon=2)
    assert empty.values == (0.0, 0.0)
    with pytest.raises(ValueError, match="horizon"):
        forecast([1.0], horizon=0)


def test_fill_series_puts_zeros_in_idle_buckets() -> None:
    assert fill_series({10: 3, 12: 1}, first=9, last=13) == [0.0, 3.0, 0.0, 1.0, 0.0]
    assert fill_series({}, first=5, last=4) == []


def test_advice_sizes_for_the_forecast_peak() -> None:
    # 600 per minute = 10 req/s; x 0.5 s = 5 in flight; at 70%: 8 slots; 4 per replica: 2.
    up = advise(
        deployment="d",
        peak_per_bucket=600,
        bucket_s=60,
        mean_latency_ms=500,
        concurrency=4,
        replicas=1,
    )
    assert (up.action, up.replicas_needed, up.slots_needed) == (ScaleAction.SCALE_UP, 2, 8)
    assert up.peak_rps == pytest.approx(10)
    assert "needs 2 replicas" in up.reason
    down = advise(
        deployment="d",
        peak_per_bucket=60,
        bucket_s=60,
        mean_latency_ms=500,
        concurrency=4,
        replicas=3,
    )
    assert (down.action, down.replicas_needed) == (ScaleAction.SCALE_DOWN, 1)
    hold = advise(
        deployment="d",
        peak_per_bucket=600,
        bucket_s=60,
        mean_latency_ms=500,
        concurrency=4,
        replicas=2,
    )
    assert hold.action is ScaleAction.HOLD
    unknown = advise(
        deployment="d",
        peak_per_bucket=600,
        bucket_s=60,
        mean_latency_ms=None,
        concurrency=4,
        replicas=0,
    )
    assert (unknown.action, unknown.replicas) == (ScaleAction.HOLD, 1)
    with pytest.raises(ValueError, match="concurrency"):
        advise(
            deployment="d",
            peak_per_bucket=1,
            bucket_s=60,
            mean_latency_ms=1,
            concurrency=0,
            replicas=1,
        )
