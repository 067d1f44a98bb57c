"""The deployment registry: one record per deployment, kept in a JetStream key-value bucket."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, Field, FiniteFloat

from automatrix.shared.contracts.base import Contract, SubjectToken, utcnow
from automatrix.shared.contracts.inference_types import MODEL_PATTERN, RequestKind

CapabilityName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.:-]{0,63}$")]
Proficiency = Annotated[float, Field(ge=0, le=1)]

HEARTBEATS_MISSED = 3
"""A deployment with no heartbeat for this many intervals is unhealthy."""


@dataclass(frozen=True, slots=True)
class Bucket:
    """A JetStream key-value bucket: the one place its name is written."""

    name: str
    description: str
    history: int = 1
    ttl_s: float | None = None
    """Entries expire this long after their last write; None: they stay."""


DEPLOYMENTS = Bucket(
    "AI_DEPLOYMENTS",
    "Deployment registry: one record per deployment, keyed by its name; watched by relaycore.",
    history=5,
)

ROUTER = Bucket("AI_ROUTER", "Router-wide switches, e.g. whether relaycore dispatches at all.")
ROUTING_KEY = "routing"


class Tier(StrEnum):
    """Size class of a deployment; sets its default concurrency."""

    FAST = "fast"
    MEDIUM = "medium"
    HEAVY = "heavy"

    @property
    def default_concurrency(self) -> int:
        """Requests one deployment serves at once unless it says otherwise."""
        return {Tier.FAST: 10, Tier.MEDIUM: 5, Tier.HEAVY: 2}[self]


class DeploymentState(StrEnum):
    """Whether a deployment takes new work."""

    ACTIVE = "active"
    PAUSED = "paused"
    DRAINING = "draining"
    UNHEALTHY = "unhealthy"


class DeploymentRecord(Contract):
    """A deployment as the registry knows it: routing facts, state and liveness."""

    name: SubjectToken = Field(description="Token in ``ai.v1.dispatch.<name>``.")
    model_group: str = Field(pattern=MODEL_PATTERN, description="What requests pin.")
    kind: RequestKind = Field(default=RequestKind.CHAT, description="Chat or embedding.")
    backend: str = Field(default="litellm", max_length=32, description="litellm or local.")
    model: str = Field(min_length=1, max_length=256, description="Model the backend runs.")
    provider: str = Field(
        default="", max_length=64, description="Provider (``openai``, ``local``, ...)."
    )
    tier: Tier = Field(default=Tier.MEDIUM)
    capabilities: dict[CapabilityName, Proficiency] = Field(default_factory=dict, max_length=64)
    cost_per_1k_input: FiniteFloat = Field(default=0.0, ge=0, description="USD per 1k in.")
    cost_per_1k_output: FiniteFloat = Field(default=0.0, ge=0, description="USD per 1k out.")
    concurrency: int = Field(default=5, ge=1, le=4096, description="Requests served at once.")
    weight: FiniteFloat = Field(default=1.0, gt=0, le=1000, description="For weighted routing.")
    timeout_s: FiniteFloat = Field(default=60.0, gt=0, le=3600)
    state: DeploymentState = Field(default=DeploymentState.ACTIVE)
    state_reason: str = Field(default="", max_length=1024, description="Why it is in its state.")
    auto_drained: bool = Field(
        default=False, description="Drained by relaycore's healing, which probes it back in."
    )
    next_probe_at: AwareDatetime | None = Field(
        default=None, description="When healing next probes an auto-drained deployment."
    )
    instances: dict[Annotated[str, Field(max_length=128)], AwareDatetime] = Field(
        default_factory=dict, max_length=1024, description="Last heartbeat of each replica."
    )
    heartbeat_interval_s: FiniteFloat = Field(default=5.0, gt=0, le=3600)
    registered_at: AwareDatetime = Field(default_factory=utcnow)
    updated_at: AwareDatetime = Field(default_factory=utcnow)

    def last_heartbeat(self) -> datetime | None:
        """The newest heartbeat of any replica."""
        return max(self.instances.values(), default=None)

    def alive(self, now: datetime | None = None) -> bool:
        """True while some replica's heartbeat is younger than the allowed misses."""
        last = self.last_heartbeat()
        window = timedelta(seconds=self.heartbeat_interval_s * HEARTBEATS_MISSED)
        return last is not None and (now or utcnow()) - last <= window

    def effective_state(self, now: datetime | None = None) -> DeploymentState:
        """The stored state, except that an active deployment with no heartbeat is unhealthy."""
        if self.state is DeploymentState.ACTIVE and not self.alive(now):
            return DeploymentState.UNHEALTHY
        return self.state

    def routable(self, now: datetime | None = None) -> bool:
        """True when new work may be sent to it."""
        return self.effective_state(now) is DeploymentState.ACTIVE

    @classmethod
    def example(cls, **overrides: Any) -> DeploymentRecord:
        """A valid record for docs and tests."""
        fields: dict[str, Any] = {
            "name": "gpt-4o-mini-openai",
            "model_group": "gpt-4o-mini",
            "model": "openai/gpt-4o-mini",
            "provider": "openai",
            "capabilities": {"chat": 0.8, "code": 0.7},
            "cost_per_1k_input": 0.00015,
            "cost_per_1k_output": 0.0006,
            "instances": {"inference-7c9d": utcnow()},
        }
        return cls(**{**fields, **overrides})


class RoutingSwitch(Contract):
    """Whether relaycore dispatches; stopped, requests wait in JetStream until it starts."""

    enabled: bool = Field(default=True)
    reason: str = Field(default="", max_length=1024)
    updated_by: str = Field(default="", max_length=128)
    updated_at: AwareDatetime = Field(default_factory=utcnow)
