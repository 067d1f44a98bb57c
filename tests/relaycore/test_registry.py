"""The registry in JetStream KV: control events, heartbeats, feedback, router switches."""

from __future__ import annotations

from typing import Any

from automatrix.shared.bus import ConsumerSpec, Delivery
from automatrix.shared.contracts import (
    DLQ,
    ControlEvent,
    ControlKind,
    DeadLetter,
    DeadLetterReason,
    DeploymentRecord,
    InferenceCompleted,
    Priority,
)
from automatrix.shared.contracts.registry import DEPLOYMENTS
from tests.support.processes import wait_until
from tests.support.scripted import ScriptedDeployment


async def _record(w: Any, name: str) -> DeploymentRecord | None:
    kv = await w.bus.js.key_value(DEPLOYMENTS.name)
    try:
        entry = await kv.get(name)
    except Exception:
        return None
    return DeploymentRecord.model_validate_json(entry.value) if entry.value else None


async def _state(w: Any, name: str, effective: str) -> None:
    async def reached() -> bool:
        views = (await w.view("/v1/relay/deployments"))["deployments"]
        return any(v["name"] == name and v["effective_state"] == effective for v in views)

    await wait_until(reached, within=15, what=f"{name} {effective}")


async def test_a_missed_heartbeat_marks_unhealthy_and_a_new_one_restores(world: Any) -> None:
    beating = ScriptedDeployment("beating", heartbeat_interval_s=0.3)
    w = await world([beating])
    record = await _record(w, "beating")
    assert record is not None
    assert record.capabilities == {"chat": 0.9}
    await _state(w, "beating", "unhealthy")

    async def persisted() -> bool:
        stored = await _record(w, "beating")
        return stored is not None and stored.state.value == "unhealthy"

    await wait_until(persisted, within=10, what="the unhealthy state in the bucket")
    await w.bus.publish(beating.heartbeat())
    await _state(w, "beating", "active")


async def test_feedback_adjusts_proficiency_and_unregister_removes(world: Any) -> None:
    judged = ScriptedDeployment("judged", capabilities={"code": 0.5})
    w = await world([judged])
    for _ in range(3):
        await w.bus.publish(
            ControlEvent(
                kind=ControlKind.DEPLOYMENT_FEEDBACK,
                target="judged",
                issued_by="verifier",
                payload={"capability": "code", "score": 1.0},
            )
        )

    async def learned() -> bool:
        stored = await _record(w, "judged")
        return stored is not None and stored.capabilities["code"] > 0.6

    await wait_until(learned, within=10, what="proficiency to rise with good scores")
    await w.bus.publish(
        ControlEvent(kind=ControlKind.DEPLOYMENT_UNREGISTER, target="judged", issued_by="ops")
    )

    async def gone() -> bool:
        views = (await w.view("/v1/relay/deployments"))["deployments"]
        return all(v["name"] != "judged" for v in views) and await _record(w, "judged") is None

    await wait_until(gone, within=10, what="the record to go")


async def test_a_control_event_that_cannot_apply_is_dead_lettered_with_its_reason(
    world: Any,
) -> None:
    w = await world([])
    letters: list[DeadLetter] = []

    async def on_letter(letter: DeadLetter, _: Delivery) -> None:
        letters.append(letter)

    w.bus.subscribe(
        ConsumerSpec.on(DLQ, "tests-dlq-control", stream="AI_CONTROL"), DeadLetter, on_letter
    )
    await w.bus.stop()
    await w.bus.start()
    await w.bus.publish(
        ControlEvent(kind=ControlKind.DEPLOYMENT_PAUSE, target="nobody", issued_by="ops")
    )

    async def lettered() -> bool:
        return bool(letters)

    await wait_until(lettered, within=10, what="the dead letter")
    assert letters[0].reason_kind is DeadLetterReason.HANDLER_REJECTED
    assert "not registered" in letters[0].reason


async def test_router_stop_keeps_requests_waiting_and_start_serves_them(world: Any) -> None:
    solo = ScriptedDeployment("solo")
    w = await world([solo])

    async def switch(kind: ControlKind, enabled: bool) -> None:
        await w.bus.publish(ControlEvent(kind=kind, issued_by="ops", reason="maintenance"))

        async def applied() -> bool:
            return bool((await w.view("/v1/relay/queues"))["routing_enabled"] is enabled)

        await wait_until(applied, within=10, what=f"routing enabled={enabled}")

    await switch(ControlKind.ROUTER_STOP, False)
    held = [await w.request(priority=Priority.HIGH) for _ in range(3)]

    async def waiting_for_relaycore() -> bool:
        # Stopped, relaycore takes no more: the requests wait in JetStream, except what a
        # pull sent before the stop brought in (held, not dispatched).
        info = await w.bus.js.consumer_info("AI_REQUESTS", "relaycore-high")
        holds = (await w.view("/v1/relay/queues"))["waiting"]["high"]
        return bool(info.num_pending + info.num_ack_pending == 3 == info.num_pending + holds)

    await wait_until(waiting_for_relaycore, within=10, what="3 requests waiting for relaycore")
    intake = (await w.view("/v1/relay/queues"))["intake"]
    assert {level["room"] for level in intake.values()} == {0}
    assert solo.received == []
    await switch(ControlKind.ROUTER_START, True)
    for request_id in held:
        assert isinstance(await w.result(request_id), InferenceCompleted)
