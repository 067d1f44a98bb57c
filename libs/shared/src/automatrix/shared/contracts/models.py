"""Model lifecycle events: a version is published, promoted to an alias, or rolled back."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import Field, FiniteFloat

from automatrix.shared.contracts.base import Contract, Event, SubjectToken
from automatrix.shared.contracts.subject import Subject

MODELS = Subject(
    "ai.v1.models.{name}.{event}",
    stream="AI_MODELS",
    description="Model versions published, promoted and rolled back by neuroweaver.",
)


class ModelEventKind(StrEnum):
    """The lifecycle step a model event reports (its subject's last token)."""

    PUBLISHED = "published"
    PROMOTED = "promoted"
    ROLLED_BACK = "rolled_back"


class ModelAlias(StrEnum):
    """A movable name that points at one version of a model."""

    STAGING = "staging"
    PRODUCTION = "production"


class ArtifactFormat(StrEnum):
    """Serialization format of a model artifact."""

    ONNX = "onnx"


class ArtifactRef(Contract):
    """Where a model artifact lies in the object store, and its content hash."""

    bucket: SubjectToken = Field(description="Object-store bucket.")
    object_name: str = Field(
        pattern=r"^[A-Za-z0-9_.=/-]{1,255}$", description="Object name within the bucket."
    )
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the content, hex.")
    size_bytes: int = Field(ge=0, description="Size of the artifact in bytes.")
    format: ArtifactFormat = Field(default=ArtifactFormat.ONNX, description="Artifact format.")


class _ModelEvent(Event):
    """Fields shared by every model lifecycle event."""

    SUBJECT: ClassVar[Subject] = MODELS
    MODEL_EVENT: ClassVar[ModelEventKind]

    name: SubjectToken = Field(description="Model name, e.g. ``query-router``.")
    version: int = Field(ge=1, description="Immutable version number, from 1.")
    artifact: ArtifactRef = Field(description="The version's artifact.")

    def subject_values(self) -> dict[str, str]:
        """The model name, and the lifecycle step fixed by the event class."""
        return {"name": self.name, "event": self.MODEL_EVENT.value}


_ARTIFACT_EXAMPLE = {
    "bucket": "models",
    "object_name": "query-router/7/model.onnx",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "size_bytes": 48_213,
}


class ModelPublished(_ModelEvent):
    """A new model version was trained, stored and registered."""

    EVENT_TYPE: ClassVar[str] = "model.published"
    MODEL_EVENT: ClassVar[ModelEventKind] = ModelEventKind.PUBLISHED

    metrics: dict[str, FiniteFloat] = Field(
        default_factory=dict, max_length=64, description="Evaluation metrics of this version."
    )
    dataset_version: str | None = Field(
        default=None, max_length=128, description="Dataset version it was trained on (lineage)."
    )
    training_run_id: SubjectToken | None = Field(
        default=None, description="Training run that produced it."
    )

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {
            "name": "query-router",
            "version": 7,
            "artifact": _ARTIFACT_EXAMPLE,
            "metrics": {"accuracy": 0.91, "f1_macro": 0.88},
            "dataset_version": "telemetry-2025-06-01",
            "training_run_id": "run-20250601-a",
        }


class ModelPromoted(_ModelEvent):
    """An alias now points at a model version."""

    EVENT_TYPE: ClassVar[str] = "model.promoted"
    MODEL_EVENT: ClassVar[ModelEventKind] = ModelEventKind.PROMOTED

    alias: ModelAlias = Field(description="Alias that was moved.")
    previous_version: int | None = Field(
        default=None, ge=1, description="Version the alias pointed at before, if any."
    )
    reason: str = Field(default="", max_length=1024, description="Why it was promoted.")

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {
            "name": "query-router",
            "version": 7,
            "artifact": _ARTIFACT_EXAMPLE,
            "alias": ModelAlias.PRODUCTION,
            "previous_version": 6,
            "reason": "accuracy +2.1 points over version 6",
        }


class ModelRolledBack(_ModelEvent):
    """An alias was moved back to an earlier version; ``version`` is the one now active."""

    EVENT_TYPE: ClassVar[str] = "model.rolled_back"
    MODEL_EVENT: ClassVar[ModelEventKind] = ModelEventKind.ROLLED_BACK

    alias: ModelAlias = Field(description="Alias that was moved back.")
    previous_version: int = Field(ge=1, description="Version the alias pointed at before.")
    reason: str = Field(min_length=1, max_length=1024, description="Why it was rolled back.")

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {
            "name": "query-router",
            "version": 6,
            "artifact": {**_ARTIFACT_EXAMPLE, "object_name": "query-router/6/model.onnx"},
            "alias": ModelAlias.PRODUCTION,
            "previous_version": 7,
            "reason": "error rate above threshold after promotion",
        }
