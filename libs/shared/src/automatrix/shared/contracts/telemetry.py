"""Telemetry events: per-request records, metrics, health and heartbeats from every service."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import Field, FiniteFloat, StringConstraints

from automatrix.shared.contracts.base import Event, SubjectToken
from automatrix.shared.contracts.inference_types import MODEL_PATTERN, ErrorKind
from automatrix.shared.contracts.subject import Subject

TELEMETRY = Subject(
    "ai.v1.telemetry.{service}.{kind}",
    stream="AI_TELEMETRY",
    description="Telemetry from every service; neuroweaver learns from it (limits, max age).",
)

AttributeKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:/-]{1,64}$")]
AttributeValue = Annotated[str, StringConstraints(max_length=1024)] | int | FiniteFloat | bool


class TelemetryKind(StrEnum):
    """What a telemetry event reports."""

    REQUEST = "request"
    METRICS = "metrics"
    HEALTH = "health"
    HEARTBEAT = "heartbeat"
    SCALING = "scaling"


class Outcome(StrEnum):
    """How a request ended."""

    SUCCESS = "success"
    ERROR = "error"
    TIMEOUT = "timeout"
    REJECTED = "rejected"
    CACHED = "cached"


class HealthStatus(StrEnum):
    """Health of a service or deployment."""

    OK = "ok"
    DEGRADED = "degraded"
    DOWN = "down"


class TelemetryEvent(Event):
    """One telemetry record; fields that do not apply to its kind stay unset."""

    SUBJECT: ClassVar[Subject] = TELEMETRY
    EVENT_TYPE: ClassVar[str] = "telemetry"

    service: SubjectToken = Field(description="Emitting service, e.g. ``relaycore``.")
    kind: TelemetryKind = Field(description="What this record reports.")
    instance: str | None = Field(
        default=None, max_length=128, description="Replica of the service that emitted it."
    )
    request_id: SubjectToken | None = Field(
        default=None, description="Request this record is about."
    )
    deployment: SubjectToken | None = Field(
        default=None, description="Deployment this record is about."
    )
    model: str | None = Field(default=None, pattern=MODEL_PATTERN, description="Model involved.")
    model_version: int | None = Field(
        default=None, ge=1, description="Version of a local model that served the request."
    )
    attempt: int | None = Field(default=None, ge=1, le=16, description="Attempt number, from 1.")
    outcome: Outcome | None = Field(default=None, description="How the request ended.")
    error_kind: ErrorKind | None = Field(default=None, description="Cause, when it failed.")
    latency_ms: FiniteFloat | None = Field(default=None, ge=0, description="Latency in ms.")
    queue_ms: FiniteFloat | None = Field(
        default=None, ge=0, description="Time the work waited before it started, in ms."
    )
    cost_usd: FiniteFloat | None = Field(
        default=None, ge=0, description="Cost of the attempt in US dollars."
    )
    input_tokens: int | None = Field(default=None, ge=0, description="Prompt tokens.")
    output_tokens: int | None = Field(default=None, ge=0, description="Generated tokens.")
    cpu_percent: FiniteFloat | None = Field(
        default=None, ge=0, description="CPU use in percent of one core (may exceed 100)."
    )
    memory_bytes: int | None = Field(default=None, ge=0, description="Resident memory in bytes.")
    error_rate: FiniteFloat | None = Field(
        default=None, ge=0, le=1, description="Share of failed requests over the window, 0 to 1."
    )
    request_count: int | None = Field(
        default=None, ge=0, description="Requests handled over the window."
    )
    window_s: FiniteFloat | None = Field(
        default=None, gt=0, description="Length of the window the metrics cover, in seconds."
    )
    status: HealthStatus | None = Field(default=None, description="Health, for health events.")
    attributes: dict[AttributeKey, AttributeValue] = Field(
        default_factory=dict, max_length=64, description="Further typed attributes."
    )

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {
            "service": "relaycore",
            "kind": TelemetryKind.REQUEST,
            "request_id": "req-7f3a9c2e",
            "deployment": "gpt-4o-mini-openai",
            "model": "gpt-4o-mini",
            "outcome": Outcome.SUCCESS,
            "latency_ms": 412.5,
            "input_tokens": 24,
            "output_tokens": 12,
            "attributes": {"priority": "high", "attempts": 1, "cache_hit": False},
        }
