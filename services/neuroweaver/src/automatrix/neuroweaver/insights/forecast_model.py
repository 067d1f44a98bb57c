"""The capacity forecaster as a fitted model: one ridge regression on lags, for every series.

Each sample is the ``LAGS`` buckets of request counts before a bucket, and that bucket's count;
both are divided by the lags' mean + 1 so quiet and busy deployments teach the same shape
(the ONNX graph divides and multiplies back itself: it takes and returns request counts).
Series are every deployment's recorded volume and seeded bootstrap series (a daily season,
a trend, Poisson noise), so a fresh platform trains on something and real volume refines it.

The held-out set is the last ``TEST_SHARE`` of every series' positions; the model's MAE there
is reported beside naive's (the last bucket again), with the skill 1 - MAE / naive MAE.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import Ridge  # type: ignore[import-untyped]

from automatrix.neuroweaver.onnx_graphs import TrainedGraph, scaled_lag_regressor

LAGS = 24
INPUT_NAME = "lags"
OUTPUT_NAME = "forecast"
TEST_SHARE = 0.2
DEFAULT_ALPHA = 1.0
BOOTSTRAP_SEASON = 24


def bootstrap_series(*, seed: int, count: int = 8, buckets: int = 480) -> dict[str, list[float]]:
    """Made-up request volume: level, daily season, slow trend and Poisson noise."""
    rng = np.random.default_rng(seed)
    series: dict[str, list[float]] = {}
    t = np.arange(buckets)
    for n in range(count):
        level = float(rng.uniform(2, 300))
        amplitude = float(rng.uniform(0.0, 0.8))
        trend = float(rng.uniform(-0.5, 1.0)) / buckets
        phase = float(rng.uniform(0, 2 * math.pi))
        rate = level * (1 + amplitude * np.sin(2 * math.pi * t / BOOTSTRAP_SEASON + phase))
        rate *= 1 + trend * t
        series[f"bootstrap-{n}"] = [float(v) for v in rng.poisson(np.clip(rate, 0, None))]
    return series


def lag_samples(series: Mapping[str, Sequence[float]]) -> list[dict[str, Any]]:
    """One sample per position with a full ``LAGS`` before it; the last positions held out."""
    rows: list[dict[str, Any]] = []
    for name in sorted(series):
        values = list(series[name])
        positions = range(LAGS, len(values))
        first_test = len(positions) - round(len(positions) * TEST_SHARE)
        for index, t in enumerate(positions):
            rows.append(
                {
                    "series": name,
                    "lags": values[t - LAGS : t],
                    "target": values[t],
                    "test": index >= first_test,
                }
            )
    return rows


def fit_forecaster(
    rows: Sequence[Mapping[str, Any]], *, seed: int, alpha: float = DEFAULT_ALPHA
) -> TrainedGraph:
    """Fit on the training positions, evaluate on the held-out ones, export to ONNX."""
    train = [r for r in rows if not r["test"]]
    test = [r for r in rows if r["test"]]
    if len(train) < 2 * LAGS or not test:
        raise ValueError(f"need at least {2 * LAGS} training positions and some held out")
    x, y = _xy(train)
    unit = x.mean(axis=1, keepdims=True) + 1
    started = time.perf_counter()
    model = Ridge(alpha=alpha, random_state=seed).fit(x / unit, y / unit[:, 0])
    seconds = time.perf_counter() - started
    onnx = scaled_lag_regressor(
        coef=np.asarray(model.coef_, dtype=np.float64),
        intercept=float(model.intercept_),
        input_name=INPUT_NAME,
        output_name=OUTPUT_NAME,
    )
    x_test, y_test = _xy(test)
    unit_test = x_test.mean(axis=1, keepdims=True) + 1
    predicted = np.clip(model.predict(x_test / unit_test) * unit_test[:, 0], 0, None)
    metrics = forecast_metrics(y_test, predicted, x_test[:, -1])
    metrics.update(
        {"n_train": float(len(train)), "n_test": float(len(test)), "train_seconds": seconds}
    )
    params = {"algorithm": "Ridge on scaled lags", "alpha": alpha, "lags": LAGS, "seed": seed}
    return TrainedGraph(onnx=onnx, metrics=metrics, params=params)


def forecast_metrics(
    truth: NDArray[np.float64], predicted: NDArray[np.float64], naive: NDArray[np.float64]
) -> dict[str, float]:
    mae = float(np.mean(np.abs(predicted - truth)))
    naive_mae = float(np.mean(np.abs(naive - truth)))
    return {
        "mae": mae,
        "naive_mae": naive_mae,
        "skill": 1 - mae / naive_mae if naive_mae else 0.0,
        "neg_mae": -mae,
    }


def held_out(rows: Sequence[Mapping[str, Any]]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    return _xy([r for r in rows if r["test"]])


def _xy(rows: Sequence[Mapping[str, Any]]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x = np.array([r["lags"] for r in rows], dtype=np.float64).reshape(-1, LAGS)
    y = np.array([r["target"] for r in rows], dtype=np.float64)
    return x, y
