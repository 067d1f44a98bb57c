"""The performance predictor: learns the score, evaluates on held-out data, ONNX matches sklearn."""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from pydantic import ValidationError

from automatrix.neuroweaver.insights import fit_predictor
from automatrix.neuroweaver.insights.predictor import (
    FEATURES,
    MIN_SAMPLES,
    bootstrap_samples,
    performance_score,
    samples_from_telemetry,
)
from automatrix.neuroweaver.insights.schemas import (
    PerformanceSample,
    PredictParams,
    ServiceMetrics,
    TrainParams,
)
from automatrix.shared.contracts import Outcome, TelemetryEvent, TelemetryKind


def labelled(count: int, *, seed: int) -> list[dict[str, Any]]:
    """Plausible service metrics; the observed score is the definition plus noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(count):
        metrics = {
            "cpu_percent": float(rng.uniform(0, 130)),
            "memory_percent": float(rng.uniform(10, 95)),
            "latency_ms": float(rng.lognormal(np.log(500), 0.8)),
            "error_rate": float(np.clip(rng.beta(0.7, 9), 0, 1)),
            "request_count": float(rng.integers(0, 3000)),
        }
        score = performance_score(ServiceMetrics(**metrics)) + rng.normal(0, 0.01)
        rows.append({**metrics, "performance_score": float(np.clip(score, 0, 1))})
    return rows


@pytest.fixture(scope="module")
def trained() -> Any:
    return fit_predictor(labelled(800, seed=1), seed=7)


def test_held_out_error_is_small_and_beats_the_mean(trained: Any) -> None:
    metrics = trained.metrics
    assert metrics["n_test"] == 160
    assert metrics["n_train"] == 640
    assert metrics["mae"] < 0.04
    assert metrics["r2"] > 0.9
    assert metrics["mae"] < 0.25 * metrics["baseline_mae"]
    assert trained.params["seed"] == 7
    assert trained.params["features"] == list(FEATURES)


def test_same_seed_same_model(trained: Any) -> None:
    again = fit_predictor(labelled(800, seed=1), seed=7)
    rows = [s.features() for s in bootstrap_samples(50, seed=3)]
    np.testing.assert_array_equal(trained.predict(rows), again.predict(rows))
    assert again.metrics["mae"] == trained.metrics["mae"]


def test_onnx_matches_sklearn_and_stays_in_range(trained: Any) -> None:
    model = onnx.load_from_string(trained.onnx())
    assert [i.name for i in model.graph.input] == ["metrics"]
    assert [o.name for o in model.graph.output] == ["score"]
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    rows = np.array([s.features() for s in bootstrap_samples(300, seed=5)], dtype=np.float32)
    extreme = np.array([[0, 0, 0, 0, 0], [6400, 100, 1e6, 1, 1e6]], dtype=np.float32)
    features = np.vstack([rows, extreme])
    (scores,) = session.run(["score"], {"metrics": features})
    assert scores.shape == (len(features), 1)
    np.testing.assert_allclose(scores[:, 0], trained.predict(features), atol=1e-5)
    assert scores.min() >= 0.0
    assert scores.max() <= 1.0


def test_the_score_definition() -> None:
    perfect = ServiceMetrics(
        cpu_percent=0, memory_percent=0, latency_ms=0, error_rate=0, request_count=10
    )
    assert performance_score(perfect) == pytest.approx(1.0)
    at_target = perfect.model_copy(update={"latency_ms": 2000.0})
    assert performance_score(at_target) == pytest.approx(0.6 * 0.5 + 0.4)
    failing = perfect.model_copy(update={"error_rate": 1.0})
    assert performance_score(failing) == 0.0
    busy = perfect.model_copy(update={"cpu_percent": 250.0})
    assert performance_score(busy) == pytest.approx(0.6)


def test_samples_without_a_score_are_scored_by_the_definition() -> None:
    rows = labelled(100, seed=2)
    for row in rows:
        del row["performance_score"]
    model = fit_predictor(rows, seed=0)
    assert model.metrics["r2"] > 0.8


def test_too_few_or_invalid_samples_are_refused() -> None:
    with pytest.raises(ValueError, match=f"at least {MIN_SAMPLES}"):
        fit_predictor(labelled(5, seed=0))
    rows = labelled(30, seed=0)
    rows[3]["error_rate"] = 3
    with pytest.raises(ValueError, match="sample 3"):
        fit_predictor(rows)


GOOD = {"cpu_percent": 50, "memory_percent": 40, "latency_ms": 300, "error_rate": 0.01,
        "request_count": 120}  # fmt: skip


def test_predict_takes_one_object_or_a_list() -> None:
    one = GOOD
    assert len(PredictParams.model_validate({"metrics": one}).metrics) == 1
    assert len(PredictParams.model_validate({"metrics": [one, one]}).metrics) == 2
    by_bytes = {**one, "memory_percent": None, "memory_bytes": 2**30, "memory_total_bytes": 2**32}
    parsed = PredictParams.model_validate({"metrics": by_bytes}).metrics[0]
    assert parsed.memory() == pytest.approx(25.0)


@pytest.mark.parametrize(
    ("payload", "loc"),
    [
        ({"metrics": {**GOOD, "error_rate": 2}}, ("metrics", 0, "error_rate")),
        ({"metrics": {**GOOD, "memory_percent": None}}, ("metrics", 0)),
        ({"metrics": [GOOD, {**GOOD, "latency_ms": -1}]}, ("metrics", 1, "latency_ms")),
        ({"metrics": []}, ("metrics",)),
        ({"metric": {}}, ("metric",)),
    ],
)
def test_bad_predict_params_name_the_field(payload: dict[str, Any], loc: tuple[Any, ...]) -> None:
    with pytest.raises(ValidationError) as exc:
        PredictParams.model_validate(payload)
    assert loc in [tuple(e["loc"]) for e in exc.value.errors()]


def test_train_params_validate_samples() -> None:
    params = TrainParams.model_validate({"samples": labelled(3, seed=0), "seed": 4})
    assert params.samples is not None
    assert isinstance(params.samples[0], PerformanceSample)
    with pytest.raises(ValidationError) as exc:
        TrainParams.model_validate({"samples": [{"cpu_percent": -1}]})
    locs = {tuple(e["loc"]) for e in exc.value.errors()}
    assert ("samples", 0, "cpu_percent") in locs
    assert ("samples", 0, "latency_ms") in locs


def test_samples_from_metrics_telemetry() -> None:
    def metrics(**fields: Any) -> TelemetryEvent:
        base: dict[str, Any] = {
            "service": "inference",
            "kind": TelemetryKind.METRICS,
            "cpu_percent": 80.0,
            "memory_bytes": 2 * 2**30,
            "latency_ms": 250.0,
            "error_rate": 0.02,
            "request_count": 400,
        }
        return TelemetryEvent(**{**base, **fields})

    events = [
        metrics(attributes={"memory_total_bytes": 8 * 2**30}),
        metrics(attributes={"memory_percent": 60.0, "performance_score": 0.42}),
        metrics(latency_ms=None),  # incomplete: skipped
        TelemetryEvent(service="relaycore", kind=TelemetryKind.REQUEST, outcome=Outcome.SUCCESS),
    ]
    samples = samples_from_telemetry(events, memory_total_bytes=4 * 2**30)
    assert len(samples) == 2
    assert samples[0].memory() == pytest.approx(25.0)
    assert samples[0].performance_score is None
    assert samples[1].memory() == 60.0
    assert samples[1].performance_score == 0.42
    fallback = samples_from_telemetry([metrics()], memory_total_bytes=4 * 2**30)
    assert fallback[0].memory() == pytest.approx(50.0)
