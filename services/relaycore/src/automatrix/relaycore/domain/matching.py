"""Which deployments may serve a request, and which model groups to try in turn."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from automatrix.shared.contracts import DeploymentRecord
from automatrix.shared.contracts.inference_types import CapabilityRequirement, RequestKind

AUTO_MODEL = "auto"
"""The model name that lets relaycore pick any group."""


def meets_requirements(
    record: DeploymentRecord, requirements: Iterable[CapabilityRequirement]
) -> bool:
    """True when the record has every required capability at its minimum proficiency."""
    for requirement in requirements:
        proficiency = record.capabilities.get(requirement.name)
        if proficiency is None or proficiency < requirement.min_proficiency:
            return False
    return True


def eligible(
    records: Iterable[DeploymentRecord],
    *,
    kind: RequestKind,
    requirements: Sequence[CapabilityRequirement],
    group: str | None,
    now: datetime,
) -> list[DeploymentRecord]:
    """Routable records of the kind and group that meet the requirements, sorted by name."""
    matches = [
        record
        for record in records
        if record.kind is kind
        and (group is None or record.model_group == group)
        and record.routable(now)
        and meets_requirements(record, requirements)
    ]
    return sorted(matches, key=lambda record: record.name)


def group_chain(model: str, chains: Mapping[str, Sequence[str]]) -> list[str | None]:
    """Model groups to try in order; ``None`` stands for any group."""
    if model == AUTO_MODEL:
        return [None]
    return list(dict.fromkeys([model, *chains.get(model, [])]))
