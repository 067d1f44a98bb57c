"""Parameters of the insights RPC methods (and the HTTP bodies the gateway passes on).

Strict models: an unknown or out-of-range field is an error naming the field, which the RPC
server returns as ``invalid`` with field-level detail.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, field_validator, model_validator

from automatrix.shared.contracts import SubjectToken

MAX_SAMPLES = 100_000
MAX_PREDICT = 1_000
MAX_CPU_PERCENT = 100.0 * 256


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServiceMetrics(_Params):
    """A service's resource use and traffic over a window.

    Memory is ``memory_percent``, or ``memory_bytes`` with ``memory_total_bytes`` (the limit
    or the machine's memory) from which the percentage is computed.
    """

    cpu_percent: FiniteFloat = Field(
        ge=0, le=MAX_CPU_PERCENT, description="CPU use in percent of one core (may exceed 100)."
    )
    memory_percent: FiniteFloat | None = Field(
        default=None, ge=0, le=100, description="Memory in use, percent of what it may use."
    )
    memory_bytes: int | None = Field(default=None, ge=0, description="Resident memory, bytes.")
    memory_total_bytes: int | None = Field(
        default=None, gt=0, description="Memory it may use, bytes (with memory_bytes)."
    )
    latency_ms: FiniteFloat = Field(ge=0, description="Mean request latency in ms.")
    error_rate: FiniteFloat = Field(ge=0, le=1, description="Share of failed requests, 0 to 1.")
    request_count: FiniteFloat = Field(ge=0, description="Requests handled over the window.")

    @model_validator(mode="after")
    def _memory_given(self) -> Self:
        if self.memory_percent is not None:
            return self
        if self.memory_bytes is None or self.memory_total_bytes is None:
            raise ValueError(
                "give memory_percent, or memory_bytes together with memory_total_bytes"
            )
        if self.memory_bytes > self.memory_total_bytes:
            raise ValueError("memory_bytes exceeds memory_total_bytes")
        return self

    def memory(self) -> float:
        """Memory in use, percent."""
        if self.memory_percent is not None:
            return self.memory_percent
        # The validator guarantees both when memory_percent is unset.
        return 100.0 * (self.memory_bytes or 0) / (self.memory_total_bytes or 1)

    def features(self) -> tuple[float, float, float, float, float]:
        """The predictor's input row, in ``FEATURES`` order."""
        return (
            self.cpu_percent,
            self.memory(),
            self.latency_ms,
            self.error_rate,
            self.request_count,
        )


class PerformanceSample(ServiceMetrics):
    """Metrics with the performance score they earned; without one, the definition scores it."""

    performance_score: FiniteFloat | None = Field(
        default=None, ge=0, le=1, description="Observed performance score, 0 (bad) to 1 (good)."
    )


class TrainParams(_Params):
    """``/train``: fit the performance predictor on these samples (or on recent telemetry)."""

    samples: list[PerformanceSample] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_SAMPLES,
        description="Labelled samples; omitted: built from recent METRICS telemetry.",
    )
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="Seed of the split and model.")
    test_share: FiniteFloat = Field(
        default=0.2, gt=0, lt=1, description="Share of samples held out for evaluation."
    )
    target_latency_ms: FiniteFloat = Field(
        default=2000.0, gt=0, description="Latency that halves the latency part of the score."
    )


class PredictParams(_Params):
    """``/predict``: score one set of metrics, or a list of them."""

    metrics: list[ServiceMetrics] = Field(
        min_length=1, max_length=MAX_PREDICT, description="One metrics object, or a list."
    )

    @field_validator("metrics", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        # One object is a list of one, so errors always read ``metrics.<i>.<field>``.
        return [value] if isinstance(value, dict) else value


class AnomaliesParams(_Params):
    """``anomalies``: the most recent anomaly episodes, newest first."""

    deployment: SubjectToken | None = Field(default=None, description="Only this deployment.")
    active: bool = Field(default=False, description="Only episodes still open.")
    limit: int = Field(default=50, ge=1, le=500, description="At most this many.")


class CapacityParams(_Params):
    """``capacity``: volume forecasts and scaling advice per deployment."""

    deployment: SubjectToken | None = Field(default=None, description="Only this deployment.")
    horizon: int | None = Field(
        default=None, ge=1, le=10_080, description="Buckets ahead; default from settings."
    )


class InsightsParams(_Params):
    """``insights``: anomalies, forecasts and recommendations in one summary."""

    deployment: SubjectToken | None = Field(default=None, description="Only this deployment.")


class OptimizeParams(_Params):
    """``optimize``: apply the safe recommendations now (or only say what they would be)."""

    dry_run: bool = Field(default=False, description="Plan only; publish no control event.")
