"""Which capabilities an `auto` query needs, decided by the platform's classifier or heuristics.

The platform's own classifier (trained by NeuroWeaver, served by inference) decides when one
is loaded; until then the transparent heuristic in ``domain/classify.py`` does, and every
answer says which one decided (``decided_by``, ``model_version``), in the response metadata
and on the trace.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opentelemetry import trace

from automatrix.orchestrator.adapters.router_model import RouterModel
from automatrix.orchestrator.domain.classify import (
    Classification,
    classify_text,
    from_model,
    text_for_classification,
)
from automatrix.shared.contracts import (
    DEFAULT_TENANT,
    CapabilityRequirement,
    ChatMessage,
    RequestKind,
)
from automatrix.shared.contracts.registry import DeploymentRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AutoRoute:
    """What an `auto` request asks relaycore for, and whether the ask had to be relaxed."""

    classification: Classification
    capabilities: tuple[CapabilityRequirement, ...]
    relaxed: str | None
    """None: the classifier's requirements as they are; else why they were loosened."""


class Classifier:
    """Classifies queries; a trained model takes over from the heuristic once one is served."""

    def __init__(self, model: RouterModel | None = None) -> None:
        self.model = model

    async def classify(self, text: str, tenant: str = DEFAULT_TENANT) -> Classification:
        """Capability, tier and required capabilities of ``text``."""
        result = await self._by_model(text, tenant) or classify_text(text)
        span = trace.get_current_span()
        span.set_attribute("automatrix.classification.capability", result.capability)
        span.set_attribute("automatrix.classification.tier", result.tier.value)
        span.set_attribute("automatrix.classification.decided_by", result.decided_by)
        if result.model_version:
            span.set_attribute("automatrix.classification.model_version", result.model_version)
        return result

    async def classify_messages(
        self, messages: Sequence[ChatMessage], tenant: str = DEFAULT_TENANT
    ) -> Classification:
        return await self.classify(text_for_classification(messages), tenant)

    async def _by_model(self, text: str, tenant: str) -> Classification | None:
        if self.model is None:
            return None
        verdict = await self.model(text, tenant)
        if verdict is None:
            return None
        try:
            return from_model(
                verdict.probabilities.capabilities,
                verdict.probabilities.tiers,
                decided_by=f"model:{verdict.model}",
                version=str(verdict.version),
            )
        except ValueError as exc:  # a model with other labels: keep the heuristic
            log.warning("%s", exc)
            return None


def auto_route(
    classification: Classification, deployments: Mapping[str, DeploymentRecord]
) -> AutoRoute:
    """The requirements to send, loosened when no routable chat deployment meets them.

    A platform running only small local models must still answer: the primary capability's
    minimum is dropped first, then the requirement itself, and the response says so.
    """
    routable = [d for d in deployments.values() if d.kind is RequestKind.CHAT and d.routable()]
    wanted = classification.required_capabilities
    if not routable or any(_meets(d, wanted) for d in routable):
        return AutoRoute(classification, tuple(wanted), None)
    primary = wanted[0] if wanted else None
    if primary is not None:
        loose = (replace_minimum(primary, 0.0),)
        if any(_meets(d, loose) for d in routable):
            return AutoRoute(
                classification, loose, f"no deployment meets {_describe(wanted)}; best available"
            )
    return AutoRoute(
        classification, (), f"no deployment has {_describe(wanted)}; any chat deployment"
    )


def replace_minimum(requirement: CapabilityRequirement, minimum: float) -> CapabilityRequirement:
    return requirement.model_copy(update={"min_proficiency": minimum})


def _meets(record: DeploymentRecord, wanted: Sequence[CapabilityRequirement]) -> bool:
    return all(
        w.name in record.capabilities and record.capabilities[w.name] >= w.min_proficiency
        for w in wanted
    )


def _describe(wanted: Sequence[CapabilityRequirement]) -> str:
    return ", ".join(f"{w.name}>={w.min_proficiency:g}" for w in wanted) or "no requirement"


__all__ = ["AutoRoute", "Classification", "Classifier", "auto_route"]
