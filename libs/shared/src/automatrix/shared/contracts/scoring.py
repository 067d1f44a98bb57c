"""The platform's own tabular models, and scoring them on the inference service.

NeuroWeaver trains them, the registry publishes their ONNX versions, and the inference
service hot-loads the ``production`` version of each into Triton, as it does the router.
Scoring is a request-reply method, ``ai.v1.rpc.inference.score``: named float matrices in,
the named outputs back, with the version that computed them.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, Field, FiniteFloat

from automatrix.shared.contracts.base import SubjectToken

PREDICTOR_MODEL = "performance-predictor"
"""Service metrics [N, 5] (``metrics``) to a performance score [N, 1] (``score``)."""
ANOMALY_MODEL = "anomaly-detector"
"""Window-against-baseline features [N, 6] (``features``) to class probabilities [N, 3]
(``probabilities``: clean, latency spike, error burst) and the class (``label``)."""
FORECAST_MODEL = "capacity-forecaster"
"""The last 24 buckets' request counts [N, 24] (``lags``) to the next bucket's (``forecast``)."""

TrainableModel = Literal[
    "query-router", "performance-predictor", "anomaly-detector", "capacity-forecaster"
]
TRAINABLE_MODELS: tuple[str, ...] = get_args(TrainableModel)

MAX_SCORE_ROWS = 1024
"""Rows one ``score`` call may carry (sent to Triton in batches it accepts)."""
SCORE_METHOD = "score"


class ScoreParams(BaseModel):
    """One ``score`` call: the model, its inputs by name, the outputs wanted."""

    model_config = {"extra": "forbid"}

    model: SubjectToken
    inputs: dict[str, list[list[FiniteFloat]]] = Field(min_length=1, max_length=8)
    outputs: list[str] = Field(min_length=1, max_length=8)


class ScoreResult(BaseModel):
    """The answer: which version ran, and each output as rows."""

    model: str
    version: int
    outputs: dict[str, list[list[float]]]
