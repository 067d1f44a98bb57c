"""The anomaly detector and capacity forecaster as trained models (pure: no services).

Each is seeded and reproducible, its ONNX graph computes what the fitted model does, and on
held-out data it does what it is for: the detector catches injected faults with few false
alarms, the forecaster beats naive on seasonal volume.
"""

from __future__ import annotations

import math

import numpy as np
import onnxruntime as ort
import pytest
from numpy.typing import NDArray

from automatrix.neuroweaver.insights.anomaly import AnomalyDetector
from automatrix.neuroweaver.insights.anomaly_model import (
    BASELINE,
    WINDOW,
    bootstrap_traffic,
    detection_metrics,
    fit_anomaly_model,
    labelled_windows,
    split,
    statistical,
)
from automatrix.neuroweaver.insights.anomaly_types import Attempt, DetectorConfig
from automatrix.neuroweaver.insights.forecast import forecast
from automatrix.neuroweaver.insights.forecast_model import (
    LAGS,
    bootstrap_series,
    fit_forecaster,
    held_out,
    lag_samples,
)


def run(artifact: bytes, name: str, x: NDArray[np.float32]) -> NDArray[np.float32]:
    session = ort.InferenceSession(artifact, providers=["CPUExecutionProvider"])
    out: NDArray[np.float32] = session.run(None, {name: x.astype(np.float32)})[0]
    return out


@pytest.fixture(scope="module")
def windows() -> list[dict[str, object]]:
    return [w.record() for w in labelled_windows(bootstrap_traffic(seed=3), seed=3)]


def test_windows_are_seeded_and_hold_out_the_tail(windows: list[dict[str, object]]) -> None:
    again = [w.record() for w in labelled_windows(bootstrap_traffic(seed=3), seed=3)]
    other = [w.record() for w in labelled_windows(bootstrap_traffic(seed=4), seed=4)]
    assert again == windows
    assert other != windows
    labels = {int(str(w["label"])) for w in windows}
    assert labels == {0, 1, 2}
    share = sum(bool(w["test"]) for w in windows) / len(windows)
    assert 0.15 < share < 0.25
    # Per deployment, every held-out window comes after every training window.
    for name in {w["deployment"] for w in windows}:
        flags = [bool(w["test"]) for w in windows if w["deployment"] == name]
        assert flags == sorted(flags)


def test_detector_model_is_reproducible_and_its_graph_agrees(
    windows: list[dict[str, object]],
) -> None:
    first = fit_anomaly_model(windows, seed=0)
    second = fit_anomaly_model(windows, seed=0)
    assert first.onnx == second.onnx
    drop = ("train_seconds",)
    assert {k: v for k, v in first.metrics.items() if k not in drop} == {
        k: v for k, v in second.metrics.items() if k not in drop
    }
    _, _, x, y = split(windows)
    probabilities = run(first.onnx, "features", x)
    assert probabilities.shape == (len(y), 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    graph = detection_metrics(y, np.argmax(probabilities, axis=1))
    assert graph["f1"] == pytest.approx(first.metrics["f1"], abs=2e-3)


def test_detector_model_catches_injected_faults_with_few_false_alarms(
    windows: list[dict[str, object]],
) -> None:
    metrics = fit_anomaly_model(windows, seed=0).metrics
    assert metrics["recall"] >= 0.95
    assert metrics["false_alarm_rate"] <= 0.03
    assert metrics["kind_accuracy"] >= 0.95
    assert metrics["statistical_f1"] > 0.5  # the baseline it is reported beside is sane


def test_statistical_rule_reads_the_features_as_the_detector_does() -> None:
    config = DetectorConfig()
    calm = [Attempt(float(i), 100.0 + (i % 7), False) for i in range(BASELINE)]
    detector = AnomalyDetector(config)
    for attempt in calm:
        detector.observe("d", attempt)
    at = float(BASELINE)
    for i in range(WINDOW):
        detector.observe("d", Attempt(at + i * 0.1, 900.0, False))
    spike = detector.features("d")
    assert spike is not None
    assert spike[0] == pytest.approx(math.log(900.0 / 103.0), rel=0.01)
    assert statistical(np.array([spike], dtype=np.float32)).tolist() == [1]
    quiet = AnomalyDetector(config)
    for attempt in calm:
        quiet.observe("d", attempt)
    calm_features = quiet.features("d")
    assert calm_features is not None
    assert statistical(np.array([calm_features], dtype=np.float32)).tolist() == [0]


def test_forecaster_is_reproducible_beats_naive_and_its_graph_agrees() -> None:
    rows = lag_samples(bootstrap_series(seed=5))
    first = fit_forecaster(rows, seed=5)
    assert first.onnx == fit_forecaster(rows, seed=5).onnx
    assert first.metrics["skill"] > 0.2  # seasonal volume: well ahead of "same as now"
    x, y = held_out(rows)
    predicted = run(first.onnx, "lags", x.astype(np.float32))[:, 0]
    assert float(np.mean(np.abs(predicted - y))) == pytest.approx(first.metrics["mae"], rel=1e-3)
    assert (predicted >= 0).all()


def test_forecaster_needs_enough_history() -> None:
    rows = lag_samples({"short": [1.0] * (LAGS + 10)})
    with pytest.raises(ValueError, match="training positions"):
        fit_forecaster(rows, seed=0)


def test_an_extra_candidate_is_judged_with_the_others() -> None:
    series = [float(v) for v in np.random.default_rng(1).poisson(50, size=120)]

    def oracle(train: NDArray[np.float64], horizon: int, _: int | None) -> NDArray[np.float64]:
        # Knows the future exactly: it must win the held-out comparison.
        return np.array(series[len(train) : len(train) + horizon] + [50.0] * horizon)[:horizon]

    def broken(train: NDArray[np.float64], horizon: int, _: int | None) -> NDArray[np.float64]:
        raise ValueError("not served")

    result = forecast(series[:100], horizon=10, extra={"oracle": oracle, "broken": broken})
    assert result.method == "oracle"
    assert result.candidates["oracle"] == 0.0
    assert "broken" not in result.candidates
