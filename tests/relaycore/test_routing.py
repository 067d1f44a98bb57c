"""Requests routed by a real relaycore to deployments that match, over real NATS and Redis."""

from __future__ import annotations

from typing import Any

from automatrix.shared.contracts import (
    CapabilityRequirement,
    ErrorKind,
    InferenceCompleted,
    InferenceFailed,
)
from tests.support.scripted import ScriptedDeployment


async def test_a_request_is_dispatched_once_and_answered(world: Any) -> None:
    only = ScriptedDeployment("solo", concurrency=2)
    w = await world([only])
    request_id = await w.request()
    result = await w.result(request_id)
    assert isinstance(result, InferenceCompleted)
    assert result.deployment == "solo"
    assert only.dispatch_counts() == {request_id: 1}
    assert only.received[0].report_failure_to == "relaycore"


async def test_capability_minimums_and_pinned_group_select_the_candidates(world: Any) -> None:
    coder = ScriptedDeployment("coder", group="g1", capabilities={"code": 0.9, "chat": 0.5})
    talker = ScriptedDeployment("talker", group="g1", capabilities={"code": 0.5, "chat": 0.9})
    expert = ScriptedDeployment("expert", group="g2", capabilities={"code": 0.95, "math": 0.2})
    w = await world([coder, talker, expert])
    needs_code = [CapabilityRequirement(name="code", min_proficiency=0.8)]

    anywhere = [await w.request(capabilities=needs_code) for _ in range(12)]
    for request_id in anywhere:
        result = await w.result(request_id)
        assert isinstance(result, InferenceCompleted)
        assert result.deployment in {"coder", "expert"}
    assert talker.received == []

    pinned = [await w.request(model="g1", capabilities=needs_code) for _ in range(6)]
    for request_id in pinned:
        result = await w.result(request_id)
        assert isinstance(result, InferenceCompleted)
        assert result.deployment == "coder"

    impossible = await w.request(
        capabilities=[*needs_code, CapabilityRequirement(name="math", min_proficiency=0.5)]
    )
    failed = await w.result(impossible)
    assert isinstance(failed, InferenceFailed)
    assert failed.kind is ErrorKind.UNAVAILABLE
    assert "math>=0.5" in failed.message
    assert impossible not in {d.request_id for d in expert.received}
