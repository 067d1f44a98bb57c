"""Eligibility of deployments for a request, and model-group fallback chains."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from automatrix.relaycore.domain.matching import eligible, group_chain, meets_requirements
from automatrix.shared.contracts import DeploymentRecord, DeploymentState
from automatrix.shared.contracts.inference_types import CapabilityRequirement, RequestKind

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def _record(name: str, **overrides: Any) -> DeploymentRecord:
    fields: dict[str, Any] = {"instances": {"i": NOW - timedelta(seconds=1)}}
    return DeploymentRecord.example(name=name, **{**fields, **overrides})


def _req(name: str, minimum: float) -> CapabilityRequirement:
    return CapabilityRequirement(name=name, min_proficiency=minimum)


def _names(records: list[DeploymentRecord]) -> list[str]:
    return [record.name for record in records]


def test_min_proficiency_is_inclusive() -> None:
    record = _record("a", capabilities={"code": 0.7})
    assert meets_requirements(record, [_req("code", 0.7)])
    assert not meets_requirements(record, [_req("code", 0.71)])


def test_missing_capability_fails_even_at_zero_minimum() -> None:
    record = _record("a", capabilities={"chat": 1.0})
    assert not meets_requirements(record, [_req("code", 0.0)])
    assert meets_requirements(record, [])


def test_eligible_filters_kind_group_and_capability_sorted_by_name() -> None:
    records = [
        _record("zeta", capabilities={"code": 0.9}),
        _record("alpha", capabilities={"code": 0.9}),
        _record("weak", capabilities={"code": 0.1}),
        _record("other-group", model_group="llama", capabilities={"code": 0.9}),
        _record("embedder", kind=RequestKind.EMBEDDING, capabilities={"code": 0.9}),
    ]
    found = eligible(
        records,
        kind=RequestKind.CHAT,
        requirements=[_req("code", 0.5)],
        group="gpt-4o-mini",
        now=NOW,
    )
    assert _names(found) == ["alpha", "zeta"]
    anywhere = eligible(
        records, kind=RequestKind.CHAT, requirements=[_req("code", 0.5)], group=None, now=NOW
    )
    assert _names(anywhere) == ["alpha", "other-group", "zeta"]
    embed = eligible(records, kind=RequestKind.EMBEDDING, requirements=[], group=None, now=NOW)
    assert _names(embed) == ["embedder"]


def test_non_routable_deployments_are_excluded() -> None:
    records = [
        _record("ok"),
        _record("paused", state=DeploymentState.PAUSED),
        _record("draining", state=DeploymentState.DRAINING),
        _record("stale", instances={"i": NOW - timedelta(seconds=60)}),
        _record("no-replicas", instances={}),
    ]
    found = eligible(records, kind=RequestKind.CHAT, requirements=[], group=None, now=NOW)
    assert _names(found) == ["ok"]


def test_group_chain() -> None:
    chains = {"big": ["medium", "small", "big", "medium"]}
    assert group_chain("auto", chains) == [None]
    assert group_chain("big", chains) == ["big", "medium", "small"]
    assert group_chain("solo", chains) == ["solo"]
