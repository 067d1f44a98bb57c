"""How much a replica takes from JetStream: what it can place now, more only while it waits.

The scheduler and its Redis ledger are real; the registry is an in-memory map.
"""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from automatrix.relaycore.adapters.ledger import Ledger
from automatrix.relaycore.domain.breaker import BreakerPolicy
from automatrix.relaycore.domain.priority import PriorityPolicy
from automatrix.relaycore.domain.strategies import Strategy
from automatrix.relaycore.routing import Routing
from automatrix.relaycore.scheduler import Scheduler, Ticket
from automatrix.shared.contracts import (
    ChatMessage,
    DeploymentRecord,
    InferenceRequested,
    Priority,
)
from automatrix.shared.contracts.base import utcnow

TAKE_AHEAD = 1
WINDOW = 4


@pytest.fixture
async def scheduler(redis: Redis, namespace: str) -> Scheduler:
    solo = DeploymentRecord.example(
        name="solo", model_group="solo", concurrency=1, instances={"i": utcnow()}
    )
    routing = Routing(
        {"solo": solo},
        breaker_policy=BreakerPolicy(),
        default_strategy=Strategy.LEAST_LOADED,
        strategies={},
        fallbacks={},
    )
    return Scheduler(
        routing,
        Ledger(redis, namespace=namespace),
        PriorityPolicy(),
        lease_grace_s=30.0,
        no_route_wait_s=60.0,
        take_ahead=TAKE_AHEAD,
        window=WINDOW,
    )


def _ticket(n: int, level: Priority = Priority.NORMAL) -> Ticket:
    request = InferenceRequested(
        request_id=f"r{n}",
        requester="tests",
        priority=level,
        messages=[ChatMessage(role="user", content="hi")],
    )
    return Ticket(request=request, attempt=1, sequence=n, taken=True)


def _sizes(scheduler: Scheduler) -> dict[str, int]:
    return {level.value: window.size for level, window in scheduler.intake.items()}


async def _waiting(scheduler: Scheduler, ticket: Ticket) -> asyncio.Task[object]:
    """``place`` started and parked: its pass found no slot, so it ran without the ledger."""
    task = asyncio.create_task(scheduler.place(ticket))
    await asyncio.sleep(0)
    assert ticket in scheduler.queues[ticket.level]
    assert not ticket.placing
    assert not ticket.future.done()
    return task


async def test_room_follows_what_can_be_placed_and_what_waits_for_a_slot(
    scheduler: Scheduler,
) -> None:
    closed = dict.fromkeys(_sizes(scheduler), 0)
    assert _sizes(scheduler) == dict.fromkeys(closed, TAKE_AHEAD)

    first = _ticket(1)
    placement = await scheduler.place(first)
    assert placement.deployment == "solo"
    # Placed, its message not settled yet: its room is not counted against the next one.
    assert _sizes(scheduler)["normal"] == TAKE_AHEAD + 1

    waiting = [await _waiting(scheduler, _ticket(n)) for n in range(2, 6)]
    assert _sizes(scheduler)["normal"] == WINDOW, "waiting for the slot, up to the window"
    assert _sizes(scheduler)["high"] == TAKE_AHEAD, "other levels take what they can place"

    scheduler.finished(first)
    assert _sizes(scheduler)["normal"] == WINDOW
    scheduler.enabled = False
    scheduler.decide()
    assert _sizes(scheduler) == closed, "stopped: nothing more is taken"

    for task in waiting:
        task.cancel()
    await asyncio.gather(*waiting, return_exceptions=True)


async def test_a_retry_waiting_does_not_open_the_intake(scheduler: Scheduler) -> None:
    holder = _ticket(1)
    await scheduler.place(holder)
    scheduler.finished(holder)
    retry = _ticket(2)
    retry.taken = False  # a retry comes from a result, not from the level's consumer
    task = await _waiting(scheduler, retry)
    assert _sizes(scheduler)["normal"] == TAKE_AHEAD
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
