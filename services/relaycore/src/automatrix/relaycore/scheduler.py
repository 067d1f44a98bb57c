"""Priority scheduling: which waiting request gets the next free deployment slot.

Waiting requests stay unacked in JetStream; a replica holds at most a window of them per
priority (the bus consumer's window), each as a ``Ticket`` whose handler awaits its
placement. Decisions are made in memory, in one synchronous pass (priority order with the
anti-starvation rule, FIFO by stream sequence within a level), and each decision is then
confirmed against the shared Redis ledger; a decision the ledger refuses (another replica
took the last slot) puts the ticket back in its place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from automatrix.relaycore.adapters.ledger import Acquired, AlreadyPlaced, Ledger
from automatrix.relaycore.domain.priority import PriorityPolicy
from automatrix.relaycore.routing import EligibilityKey, Routing
from automatrix.shared.contracts import (
    DeploymentRecord,
    FailedAttempt,
    InferenceRequested,
    Priority,
)
from automatrix.shared.contracts.base import utcnow

log = logging.getLogger(__name__)

IDLE_RECHECK_S = 1.0
"""With requests waiting, look again this often: slots of other replicas' leases expire."""


class Expired(Exception):  # noqa: N818 - an outcome, not a bug
    """The request's deadline passed before it could be dispatched."""


class NoRoute(Exception):  # noqa: N818
    """No healthy deployment can serve the request."""


class ShuttingDown(Exception):  # noqa: N818
    """The replica stops: the request goes back to JetStream for another one."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an attempt goes; ``again``: it was placed before (a redelivery), publish it anew."""

    deployment: str
    record: DeploymentRecord | None
    again: bool = False


@dataclass(eq=False)
class Ticket:
    """One attempt of one request, waiting for a slot."""

    request: InferenceRequested
    attempt: int
    sequence: int
    history: list[FailedAttempt] = field(default_factory=list)
    exclude: frozenset[str] = frozenset()
    after_failure: str = ""
    not_before: float = 0.0
    received: float = field(default_factory=time.monotonic)
    placing: bool = False
    future: asyncio.Future[Placement] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    @property
    def level(self) -> Priority:
        return self.request.priority


class Scheduler:
    """Places tickets on deployments in priority order, through the shared ledger."""

    def __init__(
        self,
        routing: Routing,
        ledger: Ledger,
        policy: PriorityPolicy,
        *,
        lease_grace_s: float,
        no_route_wait_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.routing = routing
        self.ledger = ledger
        self.policy = policy
        self.lease_grace_s = lease_grace_s
        self.no_route_wait_s = no_route_wait_s
        self.clock = clock
        self.enabled = True
        self.queues: dict[Priority, list[Ticket]] = {level: [] for level in Priority}
        self.waiting_for: dict[str, int] = {}
        """Tickets that last found each deployment full: a scaling signal."""
        self._wake = asyncio.Event()
        self._claims: set[asyncio.Task[None]] = set()

    def waiting(self) -> int:
        return sum(len(q) for q in self.queues.values())

    async def place(self, ticket: Ticket) -> Placement:
        """Wait until ``ticket`` has a slot; raises Expired or NoRoute."""
        queue = self.queues[ticket.level]
        queue.append(ticket)
        if len(queue) > 1 and queue[-2].sequence > ticket.sequence:
            queue.sort(key=lambda t: t.sequence)
        self.wake()
        try:
            return await ticket.future
        finally:
            with contextlib.suppress(ValueError):
                queue.remove(ticket)

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Decide whenever something changed: a new ticket, a freed slot, a timer."""
        while True:
            try:
                async with asyncio.timeout(self._next_timer()):
                    await self._wake.wait()
            except TimeoutError:
                pass
            self._wake.clear()
            try:
                self.decide()
            except Exception:
                log.exception("scheduling pass failed")

    def _next_timer(self) -> float | None:
        if not self.waiting():
            return None
        now = self.clock()
        timers = [now + IDLE_RECHECK_S]
        timers += [t.not_before for q in self.queues.values() for t in q if t.not_before > now]
        if (breaker := self.routing.next_breaker_change()) is not None:
            timers.append(breaker)
        return max(0.0, min(timers) - now)

    def decide(self) -> None:
        """One synchronous pass: place as many waiting tickets as local knowledge allows."""
        now = self.clock()
        wall = utcnow()
        cache: dict[EligibilityKey, list[tuple[str | None, list[DeploymentRecord]]]] = {}
        self.waiting_for.clear()
        for queue in self.queues.values():
            for ticket in list(queue):
                if ticket.future.done() or ticket.placing:
                    continue
                if ticket.request.expired(wall):
                    ticket.future.set_exception(Expired())
        if not self.enabled:
            return
        while True:
            ready = [level for level, q in self.queues.items() if self._any_ready(q, now)]
            if not ready:
                return
            for level in self.policy.order(ready):
                if self._place_first(self.queues[level], now, cache):
                    self.policy.dispatched(level, ready)
                    break
            else:
                return

    @staticmethod
    def _any_ready(queue: list[Ticket], now: float) -> bool:
        return any(not t.placing and not t.future.done() and t.not_before <= now for t in queue)

    def _place_first(
        self,
        queue: list[Ticket],
        now: float,
        cache: dict[EligibilityKey, list[tuple[str | None, list[DeploymentRecord]]]],
    ) -> bool:
        """Start claiming a slot for the first ticket of ``queue`` that can have one."""
        for ticket in queue:
            if ticket.placing or ticket.future.done() or ticket.not_before > now:
                continue
            route = self.routing.route(ticket.request, ticket.exclude, cache=cache)
            if not route.ranked:
                if route.busy:
                    self._note_full(ticket)
                else:
                    self._no_route_yet(ticket, now)
                continue
            for record in route.ranked:
                if self.routing.breaker(record.name).acquire():
                    self._claim(ticket, record)
                    return True
        return False

    def _note_full(self, ticket: Ticket) -> None:
        for name, record in self.routing.records.items():
            wanted = ticket.request.model in ("auto", record.model_group)
            if wanted and self.routing.inflight.get(name, 0) >= record.concurrency:
                self.waiting_for[name] = self.waiting_for.get(name, 0) + 1

    def _no_route_yet(self, ticket: Ticket, now: float) -> None:
        if now - ticket.received >= self.no_route_wait_s:
            ticket.future.set_exception(NoRoute(_no_route_message(ticket)))

    def _claim(self, ticket: Ticket, record: DeploymentRecord) -> None:
        ticket.placing = True
        self.routing.taken(record.name)
        task = asyncio.create_task(self._confirm(ticket, record))
        self._claims.add(task)
        task.add_done_callback(self._claims.discard)

    async def _confirm(self, ticket: Ticket, record: DeploymentRecord) -> None:
        """Take the slot in the ledger; on refusal, the ticket waits again in its place."""
        try:
            result = await self.ledger.acquire(
                deployment=record.name,
                limit=record.concurrency,
                request=ticket.request,
                attempt=ticket.attempt,
                history=ticket.history,
                lease_s=self._lease_s(ticket, record),
                after_failure=ticket.after_failure,
            )
        except Exception as exc:
            self.routing.freed(record.name)
            self.routing.breaker(record.name).release_probe()
            if not ticket.future.done():
                ticket.future.set_exception(exc)
            return
        if isinstance(result, Acquired):
            if not ticket.future.done():
                ticket.future.set_result(Placement(record.name, record))
            else:  # the handler gave up meanwhile (shutdown): give the slot back
                await self.ledger.release(record.name, ticket.request.request_id)
            return
        self.routing.freed(record.name)
        self.routing.breaker(record.name).release_probe()
        if isinstance(result, AlreadyPlaced):
            if not ticket.future.done():
                ticket.future.set_result(Placement(result.deployment, None, again=True))
            return
        self.routing.full(record.name)
        ticket.placing = False
        self.wake()

    def _lease_s(self, ticket: Ticket, record: DeploymentRecord) -> float:
        deadline = ticket.request.deadline
        if deadline is not None:
            remaining = (deadline - utcnow()).total_seconds()
            return max(0.0, min(remaining, record.timeout_s)) + self.lease_grace_s
        return record.timeout_s + self.lease_grace_s

    async def stop(self) -> None:
        """Hand every waiting ticket back (its message is nak'ed and served elsewhere)."""
        self.enabled = False
        for queue in self.queues.values():
            for ticket in queue:
                if not ticket.future.done() and not ticket.placing:
                    ticket.future.set_exception(ShuttingDown())
        if self._claims:
            await asyncio.gather(*self._claims, return_exceptions=True)


def _no_route_message(ticket: Ticket) -> str:
    request = ticket.request
    needs = ", ".join(f"{c.name}>={c.min_proficiency:g}" for c in request.capabilities)
    what = f"model group {request.model!r}" if request.model != "auto" else "any model group"
    return (
        f"no healthy {request.kind.value} deployment in {what}"
        + (f" with {needs}" if needs else "")
        + (f" (tried: {', '.join(sorted(ticket.exclude))})" if ticket.exclude else "")
    )
