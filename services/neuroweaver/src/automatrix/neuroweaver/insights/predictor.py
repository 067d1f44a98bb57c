"""Performance predictor: a service's metrics to a performance score from 0 (bad) to 1 (good).

A gradient-boosted regressor (scikit-learn, seeded), evaluated on a held-out share (MAE and
R², beside the MAE of always answering the training mean) and exported to ONNX: input
``metrics`` float [N, 5] in ``FEATURES`` order, output ``score`` float [N, 1], clipped to
[0, 1] in the graph exactly as ``TrainedPredictor.predict`` clips it.

The score, for samples that come without one (telemetry has no label):

    score = (1 - error_rate) * (0.6 * speed + 0.4 * headroom)
    speed = 2 ** (-latency_ms / target_latency_ms)      1 at 0 ms, 0.5 at the target
    headroom = 1 - max(min(cpu_percent, 100), memory_percent) / 100

Failures gate everything; speed weighs more than spare resources; volume (request_count) is
an input, not part of the score, so the model learns how load relates to the rest.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import onnx
from numpy.typing import NDArray
from onnx import helper, numpy_helper
from pydantic import ValidationError
from skl2onnx import to_onnx  # type: ignore[import-untyped]
from skl2onnx.common.data_types import FloatTensorType  # type: ignore[import-untyped]
from sklearn.ensemble import GradientBoostingRegressor  # type: ignore[import-untyped]
from sklearn.metrics import mean_absolute_error, r2_score  # type: ignore[import-untyped]

from automatrix.neuroweaver.insights.schemas import PerformanceSample, ServiceMetrics
from automatrix.shared.contracts import TelemetryEvent, TelemetryKind

FEATURES = ("cpu_percent", "memory_percent", "latency_ms", "error_rate", "request_count")
INPUT_NAME = "metrics"
OUTPUT_NAME = "score"
MODEL_NAME = "performance-predictor"
MIN_SAMPLES = 20
DEFAULT_TARGET_LATENCY_MS = 2000.0
# Opsets skl2onnx may use at most; onnxruntime 1.16 and later runs them.
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}

HYPER: dict[str, Any] = {
    "n_estimators": 300,
    "max_depth": 3,
    "learning_rate": 0.05,
    "subsample": 0.9,
}


def performance_score(
    metrics: ServiceMetrics, *, target_latency_ms: float = DEFAULT_TARGET_LATENCY_MS
) -> float:
    """The documented score of one set of metrics (see the module docstring)."""
    speed = 2.0 ** (-metrics.latency_ms / target_latency_ms)
    headroom = 1.0 - max(min(metrics.cpu_percent, 100.0), metrics.memory()) / 100.0
    return float((1.0 - metrics.error_rate) * (0.6 * speed + 0.4 * headroom))


@dataclass(frozen=True)
class TrainedPredictor:
    """A fitted predictor with its held-out metrics and the parameters that made it."""

    model: Any
    metrics: dict[str, float]
    params: dict[str, Any]
    trained_at: float = field(default_factory=time.time)

    def predict(self, rows: NDArray[Any] | Sequence[Sequence[float]]) -> NDArray[np.float64]:
        """Scores for an [N, 5] matrix, as the ONNX graph computes them (float32 input)."""
        features = np.asarray(rows, dtype=np.float32).reshape(-1, len(FEATURES))
        raw = np.asarray(self.model.predict(features), dtype=np.float64)
        clipped: NDArray[np.float64] = np.clip(raw, 0.0, 1.0)
        return clipped

    def score(self, metrics: Sequence[ServiceMetrics]) -> list[float]:
        return [float(v) for v in self.predict([m.features() for m in metrics])]

    def onnx(self) -> bytes:
        """The ONNX graph: ``metrics`` float [N, 5] to ``score`` float [N, 1] in [0, 1]."""
        return export_onnx(self.model)


def fit_predictor(
    samples: Sequence[PerformanceSample | dict[str, Any]],
    *,
    seed: int = 0,
    test_share: float = 0.2,
    target_latency_ms: float = DEFAULT_TARGET_LATENCY_MS,
    source: str = "samples",
) -> TrainedPredictor:
    """Fit on a seeded random split and evaluate on the held-out part.

    Raises ``ValueError`` for fewer than ``MIN_SAMPLES`` samples and ``ValidationError``
    (naming the sample and field) for a sample that is not valid.
    """
    rows = [s if isinstance(s, PerformanceSample) else _sample(s, i) for i, s in enumerate(samples)]
    if len(rows) < MIN_SAMPLES:
        raise ValueError(f"need at least {MIN_SAMPLES} samples to train, got {len(rows)}")
    if not 0 < test_share < 1:
        raise ValueError("test_share must lie in (0, 1)")
    x = np.array([r.features() for r in rows], dtype=np.float32)
    y = np.array([label(r, target_latency_ms=target_latency_ms) for r in rows])
    order = np.random.default_rng(seed).permutation(len(rows))
    n_test = max(1, round(len(rows) * test_share))
    test, train = order[:n_test], order[n_test:]
    started = time.perf_counter()
    model = GradientBoostingRegressor(random_state=seed, **HYPER).fit(x[train], y[train])
    seconds = time.perf_counter() - started
    predicted = np.clip(model.predict(x[test]), 0.0, 1.0)
    baseline = np.full(len(test), float(y[train].mean()))
    metrics = {
        "mae": float(mean_absolute_error(y[test], predicted)),
        "r2": float(r2_score(y[test], predicted)) if len(test) > 1 else 0.0,
        "baseline_mae": float(mean_absolute_error(y[test], baseline)),
        "n_train": float(len(train)),
        "n_test": float(len(test)),
        "train_seconds": seconds,
    }
    params = {
        **HYPER,
        "algorithm": "GradientBoostingRegressor",
        "seed": seed,
        "test_share": test_share,
        "target_latency_ms": target_latency_ms,
        "features": list(FEATURES),
        "source": source,
    }
    return TrainedPredictor(model=model, metrics=metrics, params=params)


def label(sample: PerformanceSample, *, target_latency_ms: float) -> float:
    """The sample's own score, else the documented one."""
    if sample.performance_score is not None:
        return sample.performance_score
    return performance_score(sample, target_latency_ms=target_latency_ms)


def _sample(raw: dict[str, Any], index: int) -> PerformanceSample:
    try:
        return PerformanceSample.model_validate(raw)
    except ValidationError as exc:
        raise ValueError(f"sample {index}: {exc}") from None


def samples_from_telemetry(
    events: Iterable[TelemetryEvent], *, memory_total_bytes: int | None = None
) -> list[PerformanceSample]:
    """Samples from METRICS telemetry that carries all five inputs; the rest are skipped.

    Memory comes from ``attributes.memory_percent``, else ``memory_bytes`` over
    ``attributes.memory_total_bytes`` (or ``memory_total_bytes``, default this machine's
    memory). A ``performance_score`` attribute is taken as the label; without it the
    documented score applies at training time.
    """
    total = memory_total_bytes or machine_memory_bytes()
    samples = []
    for event in events:
        if event.kind is not TelemetryKind.METRICS:
            continue
        attributes = event.attributes
        raw: dict[str, Any] = {
            "cpu_percent": event.cpu_percent,
            "latency_ms": event.latency_ms,
            "error_rate": event.error_rate,
            "request_count": event.request_count,
            "performance_score": attributes.get("performance_score"),
        }
        if "memory_percent" in attributes:
            raw["memory_percent"] = attributes["memory_percent"]
        else:
            raw["memory_bytes"] = event.memory_bytes
            raw["memory_total_bytes"] = attributes.get("memory_total_bytes", total)
        try:
            samples.append(PerformanceSample.model_validate(raw))
        except ValidationError:
            continue  # a partial record (one field missing or out of range) teaches nothing
    return samples


def machine_memory_bytes() -> int:
    """Physical memory of this machine (the default denominator of memory_bytes)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 8 * 1024**3


def bootstrap_samples(count: int, *, seed: int) -> list[PerformanceSample]:
    """Operating points spread over the usual ranges, scored by the definition.

    The model served before one is trained on real samples: it reproduces the documented
    score, so a fresh platform answers ``predict`` with the definition's judgement.
    """
    rng = np.random.default_rng(seed)
    latency = rng.lognormal(mean=np.log(400), sigma=1.0, size=count)
    errors = np.clip(rng.beta(0.6, 8.0, size=count), 0, 1)
    return [
        PerformanceSample(
            cpu_percent=float(cpu),
            memory_percent=float(memory),
            latency_ms=float(lat),
            error_rate=float(err),
            request_count=float(requests),
        )
        for cpu, memory, lat, err, requests in zip(
            rng.uniform(0, 150, size=count),
            rng.uniform(5, 100, size=count),
            latency,
            errors,
            rng.integers(0, 5000, size=count),
            strict=True,
        )
    ]


def export_onnx(model: Any) -> bytes:
    """Convert the regressor and clip its output to [0, 1] as ``score``."""
    converted = to_onnx(
        model,
        initial_types=[(INPUT_NAME, FloatTensorType([None, len(FEATURES)]))],
        target_opset=TARGET_OPSET,
    )
    graph = converted.graph
    raw_output = graph.output[0].name
    graph.initializer.extend(
        [
            numpy_helper.from_array(np.array(0.0, dtype=np.float32), "score_min"),
            numpy_helper.from_array(np.array(1.0, dtype=np.float32), "score_max"),
        ]
    )
    graph.node.append(
        helper.make_node("Clip", [raw_output, "score_min", "score_max"], [OUTPUT_NAME])
    )
    del graph.output[:]
    graph.output.append(
        helper.make_tensor_value_info(OUTPUT_NAME, onnx.TensorProto.FLOAT, [None, 1])
    )
    converted.producer_name = "automatrix-neuroweaver"
    onnx.checker.check_model(converted, full_check=True)
    serialized: bytes = converted.SerializeToString()
    return serialized
