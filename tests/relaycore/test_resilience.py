"""Breakers, retries, fallback along the chain, dead letters, deadlines, pause and drain."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from automatrix.shared.contracts import (
    ControlEvent,
    ControlKind,
    DeadLetterReason,
    ErrorKind,
    InferenceCompleted,
    InferenceFailed,
)
from automatrix.shared.contracts.base import utcnow
from tests.support.processes import wait_until
from tests.support.scripted import ScriptedDeployment, until_held


async def _breaker(w: Any, name: str, state: str) -> dict[str, Any]:
    view: dict[str, Any] = {}

    async def reached() -> bool:
        view.update(await w.deployment_view(name))
        return bool(view["breaker"] == state)

    await wait_until(reached, within=20, what=f"breaker of {name} {state}")
    return view


async def test_breaker_opens_falls_back_extends_on_late_failure_and_recovers(
    world: Any,
) -> None:
    primary = ScriptedDeployment("primary", group="fast", concurrency=4)
    backup = ScriptedDeployment("backup", group="steady", concurrency=4)
    w = await world(
        [primary, backup],
        relay_fallbacks={"fast": ["steady"]},
        relay_retries_per_deployment=0,
        relay_breaker_cooldown_s=3.0,
    )
    primary.fail_with = ErrorKind.UNAVAILABLE
    primary.hold.add("slow")
    await w.request("slow", model="fast")
    await until_held(primary, 1)
    # Three failures open the breaker; each of those requests falls back to "steady".
    quick = [await w.request(f"q{i}", model="fast") for i in range(3)]
    for request_id in quick:
        result = await w.result(request_id)
        assert isinstance(result, InferenceCompleted)
        assert result.deployment == "backup"
    opened = await _breaker(w, "primary", "open")
    assert opened["breaker_cooldown_s"] > 2.0

    # While open, traffic for "fast" goes straight to the fallback group.
    during = await w.request("during", model="fast")
    assert (await w.result(during)).deployment == "backup"
    assert "during" not in primary.dispatch_counts()

    # A late failure (the slow request) during the cooldown extends it, never shortens it.
    async def cooled_a_second() -> bool:
        view = await w.deployment_view("primary")
        return float(view["breaker_cooldown_s"]) < 2.0

    await wait_until(cooled_a_second, within=10, what="the cooldown to run down a second")
    before = float((await w.deployment_view("primary"))["breaker_cooldown_s"])
    primary.release_held()
    assert (await w.result("slow")).deployment == "backup"

    async def extended() -> bool:
        view = await w.deployment_view("primary")
        return float(view["breaker_cooldown_s"]) > before + 0.5

    await wait_until(extended, within=10, what="the late failure to extend the cooldown")

    # Healthy again: after the cooldown the half-open probe goes to primary and closes it.
    primary.fail_with = None
    await _breaker(w, "primary", "half_open")
    probe = await w.request("probe", model="fast")
    assert (await w.result(probe)).deployment == "primary"
    await _breaker(w, "primary", "closed")
    after = await w.request("after", model="fast")
    assert (await w.result(after)).deployment == "primary"


async def test_transient_failure_is_retried_on_the_same_deployment(world: Any) -> None:
    flaky = ScriptedDeployment("flaky", concurrency=2)
    w = await world([flaky])
    flaky.fail_next = 1
    request_id = await w.request()
    result = await w.result(request_id)
    assert isinstance(result, InferenceCompleted)
    assert [d.attempt for d in flaky.received] == [1, 2]
    assert result.output == "flaky answered attempt 2"


async def test_when_every_attempt_fails_one_error_and_a_dead_letter_with_history(
    world: Any,
) -> None:
    first = ScriptedDeployment("first", group="chain-a")
    second = ScriptedDeployment("second", group="chain-b")
    w = await world(
        [first, second],
        relay_fallbacks={"chain-a": ["chain-b"]},
        relay_max_attempts=3,
    )
    first.fail_with = ErrorKind.RATE_LIMITED
    second.fail_with = ErrorKind.AUTH
    request_id = await w.request(model="chain-a")
    result = await w.result(request_id)
    assert isinstance(result, InferenceFailed)
    assert [(a.deployment, a.kind) for a in result.attempts] == [
        ("first", ErrorKind.RATE_LIMITED),
        ("first", ErrorKind.RATE_LIMITED),
        ("second", ErrorKind.AUTH),
    ]
    assert result.kind is ErrorKind.AUTH

    async def lettered() -> bool:
        return any(d.original_message_id for d in w.dead_letters)

    await wait_until(lettered, within=10, what="the dead letter")
    [letter] = w.dead_letters
    assert letter.reason_kind is DeadLetterReason.ATTEMPTS_EXHAUSTED
    assert letter.attempts == result.attempts
    assert w.result_count[request_id] == 1


async def test_an_expired_request_is_answered_and_never_dispatched(world: Any) -> None:
    busy = ScriptedDeployment("busy", concurrency=1)
    w = await world([busy])
    late = await w.request("late", deadline=utcnow() - timedelta(seconds=1))
    result = await w.result(late)
    assert isinstance(result, InferenceFailed)
    assert result.kind is ErrorKind.DEADLINE_EXCEEDED

    busy.gate.clear()
    holder = await w.request("holder")
    await until_held(busy, 1)
    waits = await w.request("waits", deadline=utcnow() + timedelta(seconds=0.5))
    result = await w.result(waits)
    assert isinstance(result, InferenceFailed)
    assert result.kind is ErrorKind.DEADLINE_EXCEEDED
    busy.gate.set()
    assert isinstance(await w.result(holder), InferenceCompleted)
    assert set(busy.dispatch_counts()) == {"holder"}


async def test_paused_gets_nothing_and_drained_finishes_in_flight_only(world: Any) -> None:
    left = ScriptedDeployment("left", group="pair", concurrency=2)
    right = ScriptedDeployment("right", group="pair", concurrency=2)
    w = await world([left, right])

    async def command(kind: ControlKind, target: str) -> None:
        await w.bus.publish(ControlEvent(kind=kind, target=target, issued_by="tests"))

        async def applied() -> bool:
            view = await w.deployment_view(target)
            expected = {"deployment_pause": "paused", "deployment_drain": "draining"}
            return bool(view["state"] == expected.get(kind.value, "active"))

        await wait_until(applied, within=10, what=f"{kind.value} {target}")

    await command(ControlKind.DEPLOYMENT_PAUSE, "left")
    paused = [await w.request(model="pair") for _ in range(8)]
    for request_id in paused:
        assert (await w.result(request_id)).deployment == "right"
    assert left.received == []

    await command(ControlKind.DEPLOYMENT_RESUME, "left")
    left.gate.clear()
    right.gate.clear()
    in_flight = [await w.request(model="pair") for _ in range(4)]
    await until_held(left, 2)
    await until_held(right, 2)
    await command(ControlKind.DEPLOYMENT_DRAIN, "left")
    right.gate.set()
    left_before = len(left.received)
    after_drain = [await w.request(model="pair") for _ in range(6)]
    for request_id in after_drain:
        assert (await w.result(request_id)).deployment == "right"
    left.gate.set()
    for request_id in in_flight:
        assert isinstance(await w.result(request_id), InferenceCompleted)
    assert len(left.received) == left_before == 2
