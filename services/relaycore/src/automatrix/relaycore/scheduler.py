"""Priority scheduling: which waiting request gets the next free deployment slot.

Waiting requests stay unacked in JetStream. A replica takes a few of each priority at a time
(``take_ahead``, through the level's ``IntakeWindow``), more only while those it holds wait
for a free slot (up to ``window``), and none while routing is stopped: a request it takes is
one it can place at once, so it does not wait behind others in this process. Each held
request is a ``Ticket`` whose handler awaits its placement. Decisions are made in memory, in
one synchronous pass (priority order with the anti-starvation rule, FIFO by stream sequence
within a level), and each decision is then confirmed against the shared Redis ledger; a
decision the ledger refuses (another replica took the last slot) puts the ticket back in its
place. While the ledger cannot be reached (Redis down) the tickets wait too, and try again
every ``LEDGER_RETRY_S``: their messages stay in hand rather than spend their deliveries.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from redis.exceptions import RedisError

from automatrix.relaycore.adapters.ledger import Acquired, AlreadyPlaced, Ledger, SlotClaim
from automatrix.relaycore.domain.priority import PriorityPolicy
from automatrix.relaycore.intake import IntakeWindow
from automatrix.relaycore.routing import EligibilityKey, Routing, eligibility_key
from automatrix.relaycore.tickets import (
    Expired,
    NoRoute,
    Placement,
    ShuttingDown,
    Ticket,
    no_route_message,
)
from automatrix.shared.contracts import (
    DeploymentRecord,
    Priority,
)
from automatrix.shared.contracts.base import utcnow

log = logging.getLogger(__name__)

IDLE_RECHECK_S = 1.0
"""With requests waiting, look again this often: slots of other replicas' leases expire."""
LEDGER_RETRY_S = 0.5
"""While the ledger is unreachable, confirm a waiting ticket's claim again this often."""


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
        take_ahead: int = 1,
        window: int = 64,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.routing = routing
        self.ledger = ledger
        self.policy = policy
        self.lease_grace_s = lease_grace_s
        self.no_route_wait_s = no_route_wait_s
        self.take_ahead = take_ahead
        self.window = window
        self.clock = clock
        self.enabled = True
        self.queues: dict[Priority, list[Ticket]] = {level: [] for level in Priority}
        self.intake = {level: IntakeWindow(take_ahead) for level in Priority}
        """Room of each level's request consumer, sized after every pass."""
        self.dispatching: dict[Priority, set[Ticket]] = {level: set() for level in Priority}
        """Taken tickets placed, whose dispatch is being published and message settled."""
        self.waiting_for: dict[str, int] = {}
        """Tickets that last found each deployment full: a scaling signal."""
        self._wake = asyncio.Event()
        self._confirming = 0
        self._confirmed = asyncio.Event()
        """Set while no pass waits for the ledger."""
        self._confirmed.set()
        self._ledger_down = False

    def waiting(self) -> int:
        return sum(len(q) for q in self.queues.values())

    def parked(self) -> bool:
        """Whether some ticket waits for a slot (or its retry time), not for the ledger."""
        return any(not t.placing and not t.future.done() for q in self.queues.values() for t in q)

    async def place(self, ticket: Ticket) -> Placement:
        """Wait until ``ticket`` has a slot; raises Expired or NoRoute."""
        queue = self.queues[ticket.level]
        queue.append(ticket)
        if len(queue) > 1 and queue[-2].sequence > ticket.sequence:
            queue.sort(key=lambda t: t.sequence)
        try:
            # The pass runs here rather than in ``run``: one event-loop turn less between
            # taking a request and its ledger call, and none before its dispatch.
            await self._pass()
            if not ticket.future.done() and not ticket.placing:
                self.wake()  # it waits: ``run`` keeps its timers
            return await ticket.future
        finally:
            with contextlib.suppress(ValueError):
                queue.remove(ticket)

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Decide again whenever something changed: a freed slot, a refusal, a timer, the
        registry or the switch (a new ticket runs its own pass in ``place``)."""
        while True:
            try:
                async with asyncio.timeout(self._next_timer()):
                    await self._wake.wait()
            except TimeoutError:
                pass
            self._wake.clear()
            await self._pass()

    async def _pass(self) -> None:
        """Decide, then confirm the decisions in one ledger call."""
        try:
            claims = self.decide()
        except Exception:
            log.exception("scheduling pass failed")
            return
        if claims:
            self._confirming += 1
            self._confirmed.clear()
            try:
                await self._confirm(claims)
            finally:
                self._confirming -= 1
                if not self._confirming:
                    self._confirmed.set()

    def _next_timer(self) -> float | None:
        if not self.waiting():
            return None
        now = self.clock()
        timers = [now + IDLE_RECHECK_S]
        timers += [t.not_before for q in self.queues.values() for t in q if t.not_before > now]
        if (breaker := self.routing.next_breaker_change()) is not None:
            timers.append(breaker)
        return max(0.0, min(timers) - now)

    def decide(self) -> list[tuple[Ticket, DeploymentRecord]]:
        """One synchronous pass: claim slots for as many waiting tickets as local knowledge
        allows; the claims still need the ledger's confirmation (``_pass`` asks for it)."""
        now = self.clock()
        wall = utcnow()
        for queue in self.queues.values():
            for ticket in list(queue):
                if ticket.future.done() or ticket.placing:
                    continue
                if ticket.request.expired(wall):
                    ticket.future.set_exception(Expired())
        if not self.enabled:
            self._size_intake()
            return []
        state = _Pass()
        while True:
            ready = [level for level, q in self.queues.items() if self._any_ready(q, now)]
            if not ready:
                break
            for level in self.policy.order(ready):
                if (chosen := self._place_first(self.queues[level], now, state)) is not None:
                    chosen.credit = self.policy.dispatched(level, ready)
                    break
            else:
                break
        self._note_full(state)
        self._size_intake()
        return state.claims

    def finished(self, ticket: Ticket) -> None:
        """The handler of ``ticket`` is done with it (its message is about to be settled)."""
        dispatching = self.dispatching[ticket.level]
        if ticket in dispatching:
            dispatching.remove(ticket)
            self._size_intake((ticket.level,))

    def _size_intake(self, levels: Iterable[Priority] = Priority) -> None:
        """Room for ``take_ahead`` undecided requests per level beyond those waiting for a slot
        (and those placed, whose messages are not settled yet); none while routing is stopped."""
        for level in levels:
            queue = self.queues[level]
            size = 0
            if self.enabled:
                parked = sum(1 for t in queue if t.taken and not t.placing and not t.future.done())
                size = min(self.window, self.take_ahead + parked + len(self.dispatching[level]))
            self.intake[level].resize(size)

    @staticmethod
    def _any_ready(queue: list[Ticket], now: float) -> bool:
        return any(not t.placing and not t.future.done() and t.not_before <= now for t in queue)

    def _place_first(self, queue: list[Ticket], now: float, state: _Pass) -> Ticket | None:
        """Start claiming a slot for the first ticket of ``queue`` that can have one."""
        for ticket in queue:
            if ticket.placing or ticket.future.done() or ticket.not_before > now:
                continue
            key = eligibility_key(ticket.request, ticket.exclude)
            # Within a pass slots are only taken, never freed: what found none still finds none.
            busy = state.blocked.get(key)
            if busy is None:
                route = self.routing.route(ticket.request, ticket.exclude)
                for record in route.ranked:
                    if self.routing.breaker(record.name).acquire():
                        ticket.placing = True
                        self.routing.taken(record.name)
                        state.claims.append((ticket, record))
                        return ticket
                if route.ranked:
                    continue  # every breaker refused its probe; the next ticket may differ
                busy = state.blocked[key] = route.busy
            if busy:
                state.full[ticket] = ticket.request.model
            else:
                self._no_route_yet(ticket, now)
        return None

    def _note_full(self, state: _Pass) -> None:
        self.waiting_for.clear()
        full_by_model: dict[str, list[str]] = {}
        for ticket, model in state.full.items():
            if ticket.future.done() or ticket.placing:
                continue
            names = full_by_model.get(model)
            if names is None:
                names = full_by_model[model] = [
                    name
                    for name, record in self.routing.records.items()
                    if model in ("auto", record.model_group)
                    and self.routing.inflight.get(name, 0) >= record.concurrency
                ]
            for name in names:
                self.waiting_for[name] = self.waiting_for.get(name, 0) + 1

    def _no_route_yet(self, ticket: Ticket, now: float) -> None:
        if now - ticket.received >= self.no_route_wait_s:
            ticket.future.set_exception(NoRoute(no_route_message(ticket)))

    async def _confirm(self, claims: list[tuple[Ticket, DeploymentRecord]]) -> None:
        """Take the claimed slots in the ledger; a refused ticket waits again in its place."""
        try:
            results = await self.ledger.acquire_all(
                [
                    SlotClaim(
                        deployment=record.name,
                        limit=record.concurrency,
                        request=ticket.request,
                        attempt=ticket.attempt,
                        history=ticket.history,
                        lease_s=self._lease_s(ticket, record),
                        after_failure=ticket.after_failure,
                    )
                    for ticket, record in claims
                ]
            )
        except (RedisError, OSError, TimeoutError) as exc:
            # Not the requests' fault: without this they would be redelivered until dead-
            # lettered by an outage. A slot taken for a lost reply is found again by the retry.
            self._ledger_unreachable(exc)
            retry_at = self.clock() + LEDGER_RETRY_S
            for ticket, record in claims:
                self._unclaim(record)
                self._refused(ticket)
                ticket.not_before = max(ticket.not_before, retry_at)
            self.wake()
            return
        except BaseException as exc:
            # Cancelled (the task running this pass is), the slots may have been taken: the
            # requests go back to JetStream, and a redelivery finds its attempt recorded.
            error = exc if isinstance(exc, Exception) else ShuttingDown()
            for ticket, record in claims:
                self._unclaim(record)
                if not ticket.future.done():
                    ticket.future.set_exception(error)
            if error is not exc:
                raise
            return
        if self._ledger_down:
            self._ledger_down = False
            log.warning("the ledger is reachable again: placing the requests that waited")
        for (ticket, record), result in zip(claims, results, strict=True):
            if isinstance(result, Acquired):
                if not ticket.future.done():
                    self._placed(ticket, Placement(record.name, record))
                else:  # the handler gave up meanwhile (shutdown): give the slot back
                    self.ledger.release_soon(record.name, ticket.request.request_id)
                continue
            self._unclaim(record)
            if isinstance(result, AlreadyPlaced):
                if not ticket.future.done():
                    self._placed(ticket, Placement(result.deployment, None, again=True))
                continue
            self.routing.full(record.name)
            self._refused(ticket)
            self.wake()
        self._size_intake({ticket.level for ticket, _ in claims})

    def _refused(self, ticket: Ticket) -> None:
        """The ledger did not give ``ticket`` its slot: it waits again, its turn kept."""
        ticket.placing = False
        if ticket.credit is not None:
            self.policy.refused(ticket.credit)
            ticket.credit = None

    def _placed(self, ticket: Ticket, placement: Placement) -> None:
        ticket.future.set_result(placement)
        if ticket.taken:
            # Its room goes to the next request now, not once the dispatch is acknowledged.
            self.dispatching[ticket.level].add(ticket)

    def _ledger_unreachable(self, exc: BaseException) -> None:
        if not self._ledger_down:
            self._ledger_down = True
            log.warning("the ledger is unreachable (%r): requests wait for it", exc)

    def _unclaim(self, record: DeploymentRecord) -> None:
        self.routing.freed(record.name)
        self.routing.breaker(record.name).release_probe()

    def _lease_s(self, ticket: Ticket, record: DeploymentRecord) -> float:
        deadline = ticket.request.deadline
        if deadline is not None:
            remaining = (deadline - utcnow()).total_seconds()
            return max(0.0, min(remaining, record.timeout_s)) + self.lease_grace_s
        return record.timeout_s + self.lease_grace_s

    async def stop(self) -> None:
        """Hand every waiting ticket back (its message is nak'ed and served elsewhere)."""
        self.enabled = False
        self._size_intake()
        for queue in self.queues.values():
            for ticket in queue:
                if not ticket.future.done() and not ticket.placing:
                    ticket.future.set_exception(ShuttingDown())
        await self._confirmed.wait()


@dataclass(slots=True)
class _Pass:
    """What one scheduling pass learnt, reused for the tickets after the first."""

    blocked: dict[EligibilityKey, bool] = field(default_factory=dict)
    """Requests that found no slot: True when they wait for one, False when none can serve."""
    full: dict[Ticket, str] = field(default_factory=dict)
    """Tickets left waiting for a slot, with the model they asked for."""
    claims: list[tuple[Ticket, DeploymentRecord]] = field(default_factory=list)
    """Slots this pass decided to take, in order."""
