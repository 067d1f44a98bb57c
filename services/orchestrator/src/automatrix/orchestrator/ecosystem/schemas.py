"""Bodies the ecosystem API accepts (its answers are the services' own data, enveloped)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat

from automatrix.shared.contracts import RequestKind, SubjectToken, Tier
from automatrix.shared.contracts.inference_types import MODEL_PATTERN
from automatrix.shared.contracts.registry import CapabilityName, Proficiency

Command = Literal["pause", "resume", "drain"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DeploymentIn(Strict):
    """A deployment to register: a model on a backend, with what it can do and its limits.

    Registering announces it to the router; an inference replica serving it keeps it alive
    with heartbeats (without one it turns unhealthy after three heartbeat intervals).
    """

    name: SubjectToken = Field(description="Token in ``ai.v1.dispatch.<name>``.")
    model_group: str = Field(pattern=MODEL_PATTERN, description="What requests pin.")
    model: str = Field(min_length=1, max_length=256, description="Model the backend runs.")
    kind: RequestKind = RequestKind.CHAT
    backend: str = Field(default="litellm", min_length=1, max_length=32)
    provider: str = Field(default="", max_length=64)
    tier: Tier = Tier.MEDIUM
    capabilities: dict[CapabilityName, Proficiency] = Field(default_factory=dict, max_length=64)
    cost_per_1k_input: FiniteFloat = Field(default=0.0, ge=0)
    cost_per_1k_output: FiniteFloat = Field(default=0.0, ge=0)
    concurrency: int = Field(default=5, ge=1, le=4096)
    weight: FiniteFloat = Field(default=1.0, gt=0, le=1000)
    timeout_s: FiniteFloat = Field(default=60.0, gt=0, le=3600)
    heartbeat_interval_s: FiniteFloat = Field(default=5.0, gt=0, le=3600)


class StateChangeIn(Strict):
    """Why a deployment is paused, resumed or drained (kept in its record)."""

    reason: str = Field(default="", max_length=1024)
