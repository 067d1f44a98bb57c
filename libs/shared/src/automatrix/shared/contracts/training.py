"""Training progress events, streamed live while neuroweaver trains and tunes a model."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, Self

from pydantic import Field, FiniteFloat, model_validator

from automatrix.shared.contracts.base import Event, SubjectToken
from automatrix.shared.contracts.subject import Subject

TRAINING = Subject(
    "ai.v1.training.{run_id}.{event}",
    stream="AI_TRAINING",
    description="Live progress of one training run.",
)


class TrainingEventKind(StrEnum):
    """The step of a training run a progress event reports."""

    STARTED = "started"
    EPOCH = "epoch"
    TRIAL = "trial"
    COMPLETED = "completed"
    FAILED = "failed"


class TrainingProgress(Event):
    """Progress of a training run: started, an epoch or trial done, completed or failed."""

    SUBJECT: ClassVar[Subject] = TRAINING
    EVENT_TYPE: ClassVar[str] = "training.progress"

    run_id: SubjectToken = Field(description="Id of the training run.")
    model_name: SubjectToken = Field(description="Model being trained.")
    event: TrainingEventKind = Field(description="Step this event reports.")
    epoch: int | None = Field(default=None, ge=0, description="Epoch just finished, from 0.")
    trial: int | None = Field(default=None, ge=0, description="Tuning trial number, from 0.")
    step: int | None = Field(default=None, ge=0, description="Units of work done so far.")
    total: int | None = Field(default=None, ge=0, description="Units of work in all, if known.")
    metrics: dict[str, FiniteFloat] = Field(
        default_factory=dict, max_length=64, description="Metrics at this point, e.g. val_loss."
    )
    message: str = Field(default="", max_length=4096, description="Human-readable detail.")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.event is TrainingEventKind.EPOCH and self.epoch is None:
            raise ValueError("an epoch event needs epoch")
        if self.event is TrainingEventKind.TRIAL and self.trial is None:
            raise ValueError("a trial event needs trial")
        if self.step is not None and self.total is not None and self.step > self.total:
            raise ValueError("step exceeds total")
        return self

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {
            "run_id": "run-20250601-a",
            "model_name": "query-router",
            "event": TrainingEventKind.EPOCH,
            "epoch": 4,
            "step": 5,
            "total": 20,
            "metrics": {"train_loss": 0.412, "val_loss": 0.455, "val_accuracy": 0.87},
        }
