"""Anomalies neuroweaver finds in deployment telemetry: one episode opens, later resolves.

Both events of an episode carry the same ``anomaly_id``, so any consumer (dashboards, the
ecosystem API, every neuroweaver replica) can rebuild which anomalies are active from the
AI_ANOMALIES stream alone.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import AwareDatetime, Field, FiniteFloat

from automatrix.shared.contracts.base import Event, SubjectToken
from automatrix.shared.contracts.inference_types import MODEL_PATTERN
from automatrix.shared.contracts.subject import Subject

ANOMALIES = Subject(
    "ai.v1.anomalies.{deployment}.{event}",
    stream="AI_ANOMALIES",
    description="Anomaly episodes neuroweaver detects per deployment: detected, then resolved.",
)


class AnomalyKind(StrEnum):
    """What went wrong with a deployment."""

    LATENCY_SPIKE = "latency_spike"
    """Median latency far above the deployment's learned baseline."""
    ERROR_BURST = "error_burst"
    """Share of failed attempts far above the deployment's learned baseline."""


class AnomalySeverity(StrEnum):
    """How bad an anomaly is."""

    WARNING = "warning"
    CRITICAL = "critical"


class AnomalyEventKind(StrEnum):
    """The step of an episode an anomaly event reports (its subject's last token)."""

    DETECTED = "detected"
    RESOLVED = "resolved"


class _AnomalyEvent(Event):
    """Fields shared by both events of an anomaly episode."""

    SUBJECT: ClassVar[Subject] = ANOMALIES
    ANOMALY_EVENT: ClassVar[AnomalyEventKind]

    anomaly_id: SubjectToken = Field(description="Id of the episode, shared by its events.")
    deployment: SubjectToken = Field(description="Deployment the anomaly is about.")
    model_group: str | None = Field(
        default=None, pattern=MODEL_PATTERN, description="Model group of the deployment."
    )
    anomaly: AnomalyKind = Field(description="What went wrong.")
    observed: FiniteFloat = Field(
        description="Value over the window: median latency in ms, or error rate from 0 to 1."
    )
    baseline: FiniteFloat = Field(description="The learned normal value of the same measure.")
    detected_at: AwareDatetime = Field(description="When the episode was detected.")
    detected_by: str = Field(
        default="", max_length=128, description="Replica of neuroweaver that detected it."
    )

    def subject_values(self) -> dict[str, str]:
        """The deployment, and the episode step fixed by the event class."""
        return {"deployment": self.deployment, "event": self.ANOMALY_EVENT.value}


class AnomalyDetected(_AnomalyEvent):
    """A deployment's latency or error rate left its learned baseline: an episode opened."""

    EVENT_TYPE: ClassVar[str] = "anomaly.detected"
    ANOMALY_EVENT: ClassVar[AnomalyEventKind] = AnomalyEventKind.DETECTED

    severity: AnomalySeverity = Field(description="How bad it is.")
    score: FiniteFloat = Field(description="Robust z-score of the observed value.")
    threshold: FiniteFloat = Field(description="Score at which an episode opens.")
    samples: int = Field(ge=0, description="Attempts in the window the score was taken over.")
    window_s: FiniteFloat = Field(gt=0, description="Length of that window in seconds.")
    message: str = Field(default="", max_length=1024, description="Human-readable summary.")

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {
            "anomaly_id": "3f9c2a7d41b8e6c05a1d2e4f",
            "deployment": "gpt-4o-mini-openai",
            "model_group": "gpt-4o-mini",
            "anomaly": AnomalyKind.ERROR_BURST,
            "observed": 0.62,
            "baseline": 0.01,
            "detected_at": "2025-06-01T12:00:00Z",
            "detected_by": "neuroweaver-7c9d",
            "severity": AnomalySeverity.CRITICAL,
            "score": 18.4,
            "threshold": 4.0,
            "samples": 42,
            "window_s": 10.0,
            "message": "error rate 62% over 10 s (baseline 1%)",
        }


class AnomalyResolved(_AnomalyEvent):
    """An anomaly episode ended: the measure stayed back near its baseline for a while."""

    EVENT_TYPE: ClassVar[str] = "anomaly.resolved"
    ANOMALY_EVENT: ClassVar[AnomalyEventKind] = AnomalyEventKind.RESOLVED

    resolved_at: AwareDatetime = Field(description="When the episode ended.")
    reason: str = Field(default="", max_length=1024, description="Why it is considered over.")

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {
            "anomaly_id": "3f9c2a7d41b8e6c05a1d2e4f",
            "deployment": "gpt-4o-mini-openai",
            "model_group": "gpt-4o-mini",
            "anomaly": AnomalyKind.ERROR_BURST,
            "observed": 0.0,
            "baseline": 0.01,
            "detected_at": "2025-06-01T12:00:00Z",
            "detected_by": "neuroweaver-7c9d",
            "resolved_at": "2025-06-01T12:04:10Z",
            "reason": "error rate back to 0% for 10 s",
        }
