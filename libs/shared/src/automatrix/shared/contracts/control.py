"""Control events: commands from the ecosystem API to the services."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import Field, JsonValue, StringConstraints

from automatrix.shared.contracts.base import Event, SubjectToken
from automatrix.shared.contracts.subject import Subject

CONTROL = Subject(
    "ai.v1.control.{kind}",
    stream="AI_CONTROL",
    description="Commands from the ecosystem API: deployment registry, learning, model reload.",
)

PayloadKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]


class ControlKind(StrEnum):
    """The command a control event carries."""

    DEPLOYMENT_REGISTER = "deployment_register"
    DEPLOYMENT_UPDATE = "deployment_update"
    DEPLOYMENT_PAUSE = "deployment_pause"
    DEPLOYMENT_RESUME = "deployment_resume"
    DEPLOYMENT_DRAIN = "deployment_drain"
    DEPLOYMENT_UNREGISTER = "deployment_unregister"
    DEPLOYMENT_HEARTBEAT = "deployment_heartbeat"
    DEPLOYMENT_FEEDBACK = "deployment_feedback"
    ROUTER_START = "router_start"
    ROUTER_STOP = "router_stop"
    ROUTER_OPTIMIZE = "router_optimize"
    LEARNING_CYCLE = "learning_cycle"
    MODEL_RELOAD = "model_reload"


class ControlEvent(Event):
    """A command for the services; ``payload`` holds its kind-specific arguments."""

    SUBJECT: ClassVar[Subject] = CONTROL
    EVENT_TYPE: ClassVar[str] = "control"

    kind: ControlKind = Field(description="The command.")
    target: SubjectToken | None = Field(
        default=None, description="Deployment or model the command applies to; unset for all."
    )
    issued_by: str = Field(
        min_length=1, max_length=128, description="Principal that issued it (API key id or user)."
    )
    reason: str = Field(default="", max_length=1024, description="Why it was issued.")
    payload: dict[PayloadKey, JsonValue] = Field(
        default_factory=dict, max_length=64, description="Arguments specific to the kind."
    )

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {
            "kind": ControlKind.DEPLOYMENT_PAUSE,
            "target": "gpt-4o-mini-openai",
            "issued_by": "key-ops-01",
            "reason": "provider incident",
            "payload": {"drain_timeout_s": 30},
        }
