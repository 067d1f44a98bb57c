"""A deployment failing too often is drained automatically and probed back in."""

from __future__ import annotations

from typing import Any

from automatrix.shared.contracts import ErrorKind, InferenceCompleted
from tests.support.processes import wait_until
from tests.support.scripted import ScriptedDeployment


async def test_error_rate_drains_then_a_probe_brings_it_back(world: Any) -> None:
    sick = ScriptedDeployment("sick", group="duo", concurrency=4)
    well = ScriptedDeployment("well", group="duo", concurrency=4)
    w = await world(
        [sick, well],
        relay_heal_min_calls=4,
        relay_heal_probe_after_s=0.5,
        relay_breaker_min_calls=50,
    )
    sick.fail_with = ErrorKind.UNAVAILABLE
    for _ in range(4):
        request_id = await w.request(model="duo")
        assert isinstance(await w.result(request_id), InferenceCompleted)

    async def drained() -> bool:
        return bool((await w.deployment_view("sick"))["auto_drained"])

    await wait_until(drained, within=10, what="sick to be drained automatically")
    view = await w.deployment_view("sick")
    assert view["state"] == "draining", view
    assert view["auto_drained"]
    assert "error rate" in view["state_reason"]

    sick.fail_with = None

    async def resumed() -> bool:
        view = await w.deployment_view("sick")
        return bool(view["state"] == "active" and not view["auto_drained"])

    await wait_until(resumed, within=15, what="the probe to bring sick back")
    probes = [d for d in sick.received if d.request.requester == "relaycore-probe"]
    assert probes, "a real probe request was sent"
