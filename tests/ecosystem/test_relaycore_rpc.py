"""relaycore's request-reply methods, called the way the gateway calls them (real NATS, Redis)."""

from __future__ import annotations

from typing import Any

import pytest

from automatrix.shared.contracts import RpcErrorCode
from automatrix.shared.rpc import RpcClient, RpcFailure
from tests.support.processes import wait_until
from tests.support.scripted import ScriptedDeployment


async def test_status_deployments_queues_and_recommendations_are_live(world: Any) -> None:
    w = await world([ScriptedDeployment("alpha"), ScriptedDeployment("beta", concurrency=3)])
    rpc = RpcClient(w.bus)
    request_id = await w.request(model="alpha")
    assert (await w.result(request_id)).deployment == "alpha"

    status = await rpc.call("relaycore", "status")
    assert status["service"] == "relaycore"
    assert status["ready"] is True
    assert status["routing_enabled"] is True
    assert (status["deployments"], status["routable"]) == (2, 2)
    assert status["breakers"] == {"alpha": "closed", "beta": "closed"}

    async def counted() -> bool:
        views = (await rpc.call("relaycore", "deployments"))["deployments"]
        alpha = next(v for v in views if v["name"] == "alpha")
        return bool(alpha["stats"]) and alpha["stats"]["total_success"] == 1

    await wait_until(counted, within=10, what="alpha's served request in its statistics")
    one = await rpc.call("relaycore", "deployments", {"name": "beta"})
    assert [v["name"] for v in one["deployments"]] == ["beta"]
    assert one["deployments"][0]["concurrency"] == 3
    assert one["deployments"][0]["breaker"] == "closed"
    assert one["deployments"][0]["effective_state"] == "active"

    queues = await rpc.call("relaycore", "queues")
    assert set(queues["waiting"]) == {"critical", "high", "normal", "low"}
    assert queues["routing_enabled"] is True
    advice = await rpc.call("relaycore", "recommendations")
    assert isinstance(advice["recommendations"], list)


async def test_control_pauses_resumes_registers_and_unregisters(world: Any) -> None:
    w = await world([ScriptedDeployment("gamma")])
    rpc = RpcClient(w.bus)

    paused = await rpc.call(
        "relaycore",
        "control",
        {"command": "pause", "target": "gamma", "issued_by": "ops", "reason": "maintenance"},
    )
    assert paused["deployment"]["state"] == "paused"
    assert paused["deployment"]["state_reason"] == "maintenance"
    assert (await w.deployment_view("gamma"))["effective_state"] == "paused"
    resumed = await rpc.call(
        "relaycore", "control", {"command": "resume", "target": "gamma", "issued_by": "ops"}
    )
    assert resumed["deployment"]["state"] == "active"

    registered = await rpc.call(
        "relaycore",
        "control",
        {
            "command": "register",
            "target": "delta",
            "issued_by": "ops",
            "payload": {"model_group": "delta", "model": "openai/gpt-4o-mini", "concurrency": 4},
        },
    )
    assert registered["deployment"]["name"] == "delta"
    assert registered["deployment"]["provider"] == "openai"
    await w.registered("delta")
    gone = await rpc.call(
        "relaycore", "control", {"command": "unregister", "target": "delta", "issued_by": "ops"}
    )
    assert gone["deployment"] is None
    names = {v["name"] for v in (await rpc.call("relaycore", "deployments"))["deployments"]}
    assert names == {"gamma"}


async def test_bad_calls_fail_with_their_code_and_fields(world: Any) -> None:
    w = await world([ScriptedDeployment("eps")])
    rpc = RpcClient(w.bus)

    with pytest.raises(RpcFailure) as missing:
        await rpc.call(
            "relaycore", "control", {"command": "pause", "target": "nope", "issued_by": "ops"}
        )
    assert missing.value.code is RpcErrorCode.NOT_FOUND
    with pytest.raises(RpcFailure) as unknown:
        await rpc.call("relaycore", "deployments", {"name": "nope"})
    assert unknown.value.code is RpcErrorCode.NOT_FOUND

    with pytest.raises(RpcFailure) as invalid:
        await rpc.call(
            "relaycore", "control", {"command": "explode", "target": "eps", "issued_by": ""}
        )
    assert invalid.value.code is RpcErrorCode.INVALID
    assert {tuple(f.loc) for f in invalid.value.fields} == {("command",), ("issued_by",)}

    with pytest.raises(RpcFailure) as refused:
        await rpc.call(
            "relaycore",
            "control",
            {
                "command": "register",
                "target": "zeta",
                "issued_by": "ops",
                "payload": {"model_group": "zeta", "model": "m", "concurrency": 0},
            },
        )
    assert refused.value.code is RpcErrorCode.INVALID
    assert "concurrency" in refused.value.message
