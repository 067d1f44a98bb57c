"""The anomaly detector as a fitted model: labelled windows, a softmax classifier, its judge.

Training windows come from traffic (per deployment, attempts in time order): each window of
8 to ``MAX_WINDOW`` attempts is described against the ``BASELINE`` attempts before it
(``window_features``), as it is, with its latencies jittered within normal bounds (still
clean), with a latency spike injected (latencies x 1.6-8) and with an error burst injected
(each attempt failing with probability 0.25-0.9). Real telemetry may hold real episodes
labelled clean; seeded bootstrap traffic (``bootstrap_traffic``) is always added, so a fresh
platform trains a useful model and real traffic refines it.

The held-out set is the last ``TEST_SHARE`` of every deployment's windows (time order, no
overlap with training windows' attempts beyond the shared baseline). Reported beside the
model: the statistical detector's thresholds applied to the same windows.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

from automatrix.neuroweaver.insights.anomaly_types import Attempt, DetectorConfig
from automatrix.neuroweaver.insights.window_features import (
    FEATURE_NAMES,
    baseline_error_rate,
    latency_baseline,
    window_features,
)
from automatrix.neuroweaver.onnx_graphs import TrainedGraph, softmax_classifier

CLASSES = ("clean", "latency_spike", "error_burst")
INPUT_NAME = "features"
OUTPUT_NAME = "probabilities"
WINDOW = 30
"""Attempts in a typical window; training windows hold from ``min_window_samples`` to twice it."""
MAX_WINDOW = 2 * WINDOW
BASELINE = 300
STRIDE = 10
TEST_SHARE = 0.2
DEFAULT_C = 1.0

Traffic = Mapping[str, Sequence[Attempt]]


@dataclass(frozen=True)
class LabelledWindow:
    deployment: str
    features: list[float]
    label: int
    test: bool

    def record(self) -> dict[str, Any]:
        return {
            "deployment": self.deployment,
            "features": [round(v, 6) for v in self.features],
            "label": self.label,
            "test": self.test,
        }


def bootstrap_traffic(
    *, seed: int, deployments: int = 6, attempts: int = 2400
) -> dict[str, list[Attempt]]:
    """Calm traffic of a few made-up deployments: lognormal latencies, rare errors."""
    rng = np.random.default_rng(seed)
    traffic: dict[str, list[Attempt]] = {}
    for n in range(deployments):
        median = float(rng.uniform(20, 2500))
        sigma = float(rng.uniform(0.1, 0.6))
        error_rate = float(rng.uniform(0.0, 0.04))
        latencies = rng.lognormal(math.log(median), sigma, size=attempts)
        failed = rng.random(attempts) < error_rate
        traffic[f"bootstrap-{n}"] = [
            Attempt(float(i), None if bad else float(lat), bool(bad))
            for i, (lat, bad) in enumerate(zip(latencies, failed, strict=True))
        ]
    return traffic


def labelled_windows(
    traffic: Traffic, *, seed: int, config: DetectorConfig | None = None
) -> list[LabelledWindow]:
    """Four windows (clean, jittered, spike, burst) per position of every deployment."""
    config = config or DetectorConfig()
    rng = np.random.default_rng(seed)
    rows: list[LabelledWindow] = []
    for name in sorted(traffic):
        attempts = list(traffic[name])
        starts = range(BASELINE, len(attempts) - MAX_WINDOW + 1, STRIDE)
        first_test = len(starts) - round(len(starts) * TEST_SHARE)
        for index, start in enumerate(starts):
            # Live windows hold however many attempts arrived in them: vary the size too.
            size = int(rng.integers(config.min_window_samples, MAX_WINDOW + 1))
            describe = _describer(attempts[start - BASELINE : start], size, config)
            window = attempts[start : start + size]
            test = index >= first_test
            latencies = [a.latency_ms for a in window if a.latency_ms is not None]
            errors = sum(a.failed for a in window)
            jitter = float(rng.uniform(0.85, 1.3))
            spike = float(rng.uniform(1.6, 8.0))
            burst = rng.random(size) < float(rng.uniform(0.25, 0.9))
            burst_latencies = [
                a.latency_ms
                for a, bad in zip(window, burst, strict=True)
                if not bad and a.latency_ms is not None
            ]
            burst_errors = sum(bool(bad) or a.failed for a, bad in zip(window, burst, strict=True))
            for label, features in (
                (0, describe(latencies, errors)),
                (0, describe([v * jitter for v in latencies], errors)),
                (1, describe([v * spike for v in latencies], errors)),
                (2, describe(burst_latencies, burst_errors)),
            ):
                rows.append(LabelledWindow(name, features, label, test))
    return rows


def fit_anomaly_model(
    rows: Sequence[Mapping[str, Any]],
    *,
    seed: int,
    c: float = DEFAULT_C,
    config: DetectorConfig | None = None,
) -> TrainedGraph:
    """Fit on the training windows, evaluate on the held-out ones, export to ONNX."""
    x_train, y_train, x_test, y_test = split(rows)
    if len(set(y_train.tolist())) < len(CLASSES) or len(y_test) == 0:
        raise ValueError("need windows of every class to train on and some to hold out")
    started = time.perf_counter()
    scaler = StandardScaler().fit(x_train)
    model = LogisticRegression(C=c, max_iter=2000, random_state=seed)
    model.fit(scaler.transform(x_train), y_train)
    seconds = time.perf_counter() - started
    onnx = softmax_classifier(
        mean=scaler.mean_,
        scale=scaler.scale_,
        coef=model.coef_,
        intercept=model.intercept_,
        input_name=INPUT_NAME,
        output_name=OUTPUT_NAME,
    )
    predicted = np.asarray(model.predict(scaler.transform(x_test)))
    metrics = {
        **detection_metrics(y_test, predicted),
        **{
            f"statistical_{k}": v
            for k, v in detection_metrics(y_test, statistical(x_test, config)).items()
        },
        "n_train": float(len(y_train)),
        "n_test": float(len(y_test)),
        "train_seconds": seconds,
    }
    params = {
        "algorithm": "StandardScaler+LogisticRegression",
        "c": c,
        "seed": seed,
        "features": list(FEATURE_NAMES),
        "classes": list(CLASSES),
        "window_sizes": [(config or DetectorConfig()).min_window_samples, MAX_WINDOW],
        "baseline": BASELINE,
        "test_share": TEST_SHARE,
    }
    return TrainedGraph(onnx=onnx, metrics=metrics, params=params)


def split(
    rows: Sequence[Mapping[str, Any]],
) -> tuple[NDArray[np.float32], NDArray[np.int64], NDArray[np.float32], NDArray[np.int64]]:
    train = [r for r in rows if not r["test"]]
    test = [r for r in rows if r["test"]]
    return (*_xy(train), *_xy(test))


def detection_metrics(truth: NDArray[np.int64], predicted: NDArray[np.int64]) -> dict[str, float]:
    """Fault (any kind) against clean, and whether a caught fault got its kind right."""
    fault, flagged = truth != 0, predicted != 0
    caught = int(np.sum(fault & flagged))
    precision = caught / max(1, int(np.sum(flagged)))
    recall = caught / max(1, int(np.sum(fault)))
    return {
        "accuracy": float(np.mean(truth == predicted)),
        "recall": recall,
        "precision": precision,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "false_alarm_rate": float(np.sum(flagged & ~fault) / max(1, int(np.sum(~fault)))),
        "kind_accuracy": float(np.sum((truth == predicted) & fault) / max(1, caught)),
    }


def statistical(x: NDArray[np.float32], config: DetectorConfig | None = None) -> NDArray[np.int64]:
    """What the statistical detector's enter thresholds say of the same windows."""
    config = config or DetectorConfig()
    ratio = np.exp(x[:, 0])
    latency_z, rate, error_z = np.sinh(x[:, 1]), x[:, 2], np.sinh(x[:, 4])
    errors = rate * np.expm1(x[:, 5])
    spike = (latency_z >= config.latency_enter) & (ratio >= config.latency_min_ratio)
    burst = (
        (error_z >= config.error_enter)
        & (rate >= config.min_error_rate)
        & (errors >= config.min_errors - 1e-6)
    )
    return np.where(burst, 2, np.where(spike, 1, 0)).astype(np.int64)


def _describer(
    baseline: Sequence[Attempt], size: int, config: DetectorConfig
) -> Callable[[Sequence[float], int], list[float]]:
    """Features of a window of ``size`` attempts against ``baseline``, as the live detector's."""
    stats = latency_baseline(a.latency_ms for a in baseline if a.latency_ms is not None)
    median, mad = stats if stats is not None else (None, 0.0)
    rate = baseline_error_rate(sum(a.failed for a in baseline), len(baseline), config)

    def describe(window_latencies: Sequence[float], errors: int) -> list[float]:
        return window_features(
            window_latencies,
            size,
            errors,
            baseline_median=median,
            baseline_mad=mad,
            baseline_error_rate=rate,
            config=config,
        )

    return describe


def _xy(rows: Sequence[Mapping[str, Any]]) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
    x = np.array([r["features"] for r in rows], dtype=np.float32).reshape(-1, len(FEATURE_NAMES))
    y = np.array([r["label"] for r in rows], dtype=np.int64)
    return x, y
