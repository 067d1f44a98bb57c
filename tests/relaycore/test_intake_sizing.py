"""The scheduler against its Redis ledger: how much a replica takes from JetStream (what it
can place now, more only while it waits), and what a refused slot does to priority.

The scheduler and its Redis ledger are real; the registry is an in-memory map.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from redis.asyncio import Redis

from automatrix.relaycore.adapters.ledger import Acquired, Ledger, SlotClaim
from automatrix.relaycore.domain.breaker import BreakerPolicy
from automatrix.relaycore.domain.priority import PriorityPolicy
from automatrix.relaycore.domain.strategies import Strategy
from automatrix.relaycore.routing import Routing
from automatrix.relaycore.scheduler import Scheduler
from automatrix.relaycore.tickets import Ticket
from automatrix.shared.contracts import (
    ChatMessage,
    DeploymentRecord,
    InferenceRequested,
    Priority,
)
from automatrix.shared.contracts.base import utcnow
from tests.support.processes import wait_until

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


async def test_a_level_refused_its_slot_keeps_its_turn(
    scheduler: Scheduler, redis: Redis, namespace: str
) -> None:
    """Another replica takes the slot this one thought free: the starving low request it had
    chosen is refused, and it still goes before the next high one."""
    scheduler.policy = PriorityPolicy(starvation_limit=1)
    runner = asyncio.create_task(scheduler.run())
    h1, h2, h3 = (_ticket(n, Priority.HIGH) for n in (1, 2, 3))
    low = _ticket(4, Priority.LOW)
    await scheduler.place(h1)
    tasks = [await _waiting(scheduler, h2), await _waiting(scheduler, low)]

    def freed_here() -> None:
        scheduler.routing.freed("solo")
        scheduler.wake()

    await scheduler.ledger.release("solo", "r1")
    freed_here()
    await wait_until(_done(h2), within=5, what="the high request to be placed")
    assert scheduler.policy.starved[Priority.LOW] == 1  # passed over once: its turn next
    tasks.append(await _waiting(scheduler, h3))

    await scheduler.ledger.release("solo", "r2")
    other = _ticket(99, Priority.HIGH).request  # placed by another replica meanwhile
    elsewhere = Ledger(redis, namespace=namespace)
    (taken,) = await elsewhere.acquire_all(
        [SlotClaim("solo", limit=1, request=other, attempt=1, history=[], lease_s=30.0)]
    )
    assert isinstance(taken, Acquired)
    freed_here()  # this replica sees its own slot come back, not the other's claim

    async def refused() -> bool:
        return scheduler.routing.inflight["solo"] == 1 and not low.placing

    await wait_until(refused, within=5, what="the low request's claim to be refused")
    assert not low.future.done()
    assert scheduler.policy.starved[Priority.LOW] == 1

    await elsewhere.release("solo", other.request_id)
    freed_here()
    await wait_until(_done(low), within=5, what="the low request to be placed")
    assert not h3.future.done()

    for task in [*tasks, runner]:
        task.cancel()
    await asyncio.gather(*tasks, runner, return_exceptions=True)


def _done(ticket: Ticket) -> Callable[[], Awaitable[bool]]:
    async def done() -> bool:
        return ticket.future.done()

    return done
