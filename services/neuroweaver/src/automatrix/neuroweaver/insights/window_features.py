"""What the anomaly detector model sees: one window of attempts against the baseline.

The same six numbers for a live deployment (``AnomalyDetector.features``) and for the
windows it is trained on (``anomaly_model``), computed here once, from a baseline
described by ``latency_baseline`` and ``baseline_error_rate``:

- ``latency_log_ratio``: log of the window's median latency over the baseline median;
- ``latency_z``: asinh of the robust z-score of that median (the baseline's MAD x 1.4826,
  floored as the statistical detector floors it), asinh so a huge spike stays a big number;
- ``error_rate`` of the window and ``baseline_error_rate`` (shrunk towards the prior);
- ``error_z``: asinh of the binomial z-score of the window's error rate;
- ``log_samples``: log(1 + attempts in the window).

Latency features are 0 while the window or the baseline has too few latencies to judge.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence

import numpy as np

from automatrix.neuroweaver.insights.anomaly_types import DetectorConfig

FEATURE_NAMES = (
    "latency_log_ratio",
    "latency_z",
    "error_rate",
    "baseline_error_rate",
    "error_z",
    "log_samples",
)
MAD_TO_SIGMA = 1.4826


def latency_baseline(latencies: Iterable[float]) -> tuple[float, float] | None:
    """Median and MAD of the baseline latencies; None without any."""
    values = np.fromiter(latencies, dtype=np.float64)
    if not len(values):
        return None
    median = float(np.median(values))
    return median, float(np.median(np.abs(values - median)))


def baseline_error_rate(errors: float, attempts: int, config: DetectorConfig) -> float:
    """Baseline errors shrunk towards the prior; never 0 or 1, so the z-score is defined."""
    prior = config.prior_error_rate * config.prior_weight
    rate = (errors + prior) / (attempts + config.prior_weight)
    return min(max(rate, 1e-6), 1 - 1e-6)


def window_features(
    latencies: Sequence[float],
    samples: int,
    errors: int,
    *,
    baseline_median: float | None,
    baseline_mad: float,
    baseline_error_rate: float,
    config: DetectorConfig,
) -> list[float]:
    """The six features of a window of ``samples`` attempts (``errors`` failed)."""
    log_ratio = latency_z = 0.0
    if len(latencies) >= config.min_window_samples and baseline_median:
        observed = statistics.median(latencies)
        scale = max(
            MAD_TO_SIGMA * baseline_mad,
            config.latency_relative_floor * baseline_median,
            config.latency_floor_ms,
        )
        log_ratio = math.log(max(observed, 1e-3) / baseline_median)
        latency_z = math.asinh((observed - baseline_median) / scale)
    rate = errors / samples if samples else 0.0
    expected = min(max(baseline_error_rate, 1e-6), 1 - 1e-6)
    error_z = (
        math.asinh((rate - expected) / math.sqrt(expected * (1 - expected) / samples))
        if samples
        else 0.0
    )
    return [log_ratio, latency_z, rate, expected, error_z, math.log1p(samples)]
