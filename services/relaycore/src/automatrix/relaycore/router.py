"""The router's handlers: requests in, dispatches out, and what comes back from each attempt."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import random
import time
from collections.abc import Awaitable, Callable

from nats.aio.msg import Msg
from pydantic import ValidationError

from automatrix.relaycore import metrics
from automatrix.relaycore.adapters.ledger import Ledger
from automatrix.relaycore.domain.attempts import GiveUp, Retry, RetryPolicy, next_step
from automatrix.relaycore.routing import Routing
from automatrix.relaycore.scheduler import Scheduler
from automatrix.relaycore.tickets import Expired, NoRoute, Placement, Ticket
from automatrix.shared.bus import Bus, Delivery
from automatrix.shared.contracts import (
    DeadLetter,
    DeadLetterReason,
    ErrorKind,
    FailedAttempt,
    InferenceCompleted,
    InferenceDispatched,
    InferenceFailed,
    InferenceRequested,
    Outcome,
    TelemetryEvent,
    TelemetryKind,
    parse_result,
)
from automatrix.shared.contracts.dlq import encode_payload

log = logging.getLogger(__name__)

SERVICE = "relaycore"
RECEIVED_HEADER = "Am-Relay-Received"
"""Wall-clock nanoseconds at which relaycore took the request: the added latency's start."""
PLACED_HEADER = "Am-Relay-Placed"
"""Wall-clock nanoseconds at which the ledger confirmed the request's slot."""


def stable_id(*parts: object) -> str:
    """A message id fixed by its parts, so a repeated publish is de-duplicated by JetStream."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


class Router:
    """Turns requests into dispatches, and failed attempts into retries, fallbacks or errors."""

    def __init__(
        self,
        bus: Bus,
        routing: Routing,
        scheduler: Scheduler,
        ledger: Ledger,
        *,
        token: str,
        retry_policy: RetryPolicy,
        instance: str,
        probe_token: str,
        on_probe: Callable[[str, bool], Awaitable[None]],
        rng: random.Random | None = None,
    ) -> None:
        self.bus = bus
        self.routing = routing
        self.scheduler = scheduler
        self.ledger = ledger
        self.token = token
        self.retry_policy = retry_policy
        self.instance = instance
        self.probe_token = probe_token
        self.on_probe = on_probe
        self.rng = rng or random.Random()

    # -- requests ----------------------------------------------------------------------------

    async def on_request(self, request: InferenceRequested, delivery: Delivery) -> None:
        """A new request: wait for a slot in priority order, then dispatch attempt 1."""
        received_ns = time.time_ns()
        ticket = Ticket(request=request, attempt=1, sequence=delivery.sequence, taken=True)
        try:
            await self._serve(ticket, received_ns)
        finally:
            self.scheduler.finished(ticket)

    async def _serve(self, ticket: Ticket, received_ns: int) -> None:
        request = ticket.request
        try:
            placement = await self.scheduler.place(ticket)
        except Expired:
            metrics.DECISIONS.labels("expired").inc()
            await self._fail(
                request,
                ticket.history,
                ErrorKind.DEADLINE_EXCEEDED,
                "the deadline passed before the request could be dispatched",
                retryable=False,
            )
            return
        except NoRoute as exc:
            metrics.DECISIONS.labels("no_route").inc()
            await self._fail(request, ticket.history, ErrorKind.UNAVAILABLE, str(exc), True)
            return
        await self._dispatch(ticket, placement, received_ns)

    async def _dispatch(self, ticket: Ticket, placement: Placement, received_ns: int) -> None:
        placed_ns = time.time_ns()
        request = ticket.request
        dispatched = InferenceDispatched(
            message_id=stable_id("dispatch", request.request_id, ticket.attempt),
            tenant=request.tenant,
            deadline=request.deadline,
            request_id=request.request_id,
            deployment=placement.deployment,
            attempt=ticket.attempt,
            request=request,
            report_failure_to=self.token,
        )
        try:
            await self.bus.publish(
                dispatched,
                headers={RECEIVED_HEADER: str(received_ns), PLACED_HEADER: str(placed_ns)},
            )
        except BaseException:
            # Not dispatched: the slot goes back; the message is redelivered and placed again.
            await self.ledger.release(placement.deployment, request.request_id)
            raise
        added_s = (time.time_ns() - received_ns) / 1e9
        metrics.ADDED_LATENCY.observe(added_s)
        metrics.DECISIONS.labels("again" if placement.again else "dispatched").inc()
        if ticket.attempt > 1:
            metrics.RETRIES.labels(placement.deployment).inc()

    # -- what comes back ------------------------------------------------------------------

    async def on_result(self, result: InferenceCompleted | InferenceFailed, _: Delivery) -> None:
        """Shared by the replicas: retire completed attempts; retry or fail failed ones."""
        if result.requester == self.probe_token:
            deployment = (
                result.deployment
                if isinstance(result, InferenceCompleted)
                else (result.attempts[-1].deployment if result.attempts else None)
            )
            if deployment is not None:
                await self.on_probe(deployment, isinstance(result, InferenceCompleted))
            return
        if isinstance(result, InferenceCompleted):
            settled = await self.ledger.settle(result.request_id, result.deployment)
            if settled is not None:
                await self._telemetry(settled.request, result.deployment, settled.attempt, result)
            return
        if result.requester != self.token or not result.attempts:
            return  # a final answer to someone else, or a failure not addressed to the router
        await self._on_attempt_failed(result)

    async def _on_attempt_failed(self, failed: InferenceFailed) -> None:
        record = await self.ledger.record(failed.request_id)
        attempt = failed.attempts[-1]
        if record is None or record.deployment != attempt.deployment:
            return  # already settled: a redelivery of a handled failure
        if record.after_failure == failed.message_id:
            return  # this failure already led to the attempt now recorded
        await self.ledger.release(attempt.deployment, failed.request_id)
        history = [*record.history, attempt]
        await self._telemetry(record.request, attempt.deployment, record.attempt, failed)
        step = next_step(history, self.retry_policy, rng=self.rng)
        if isinstance(step, GiveUp):
            metrics.DECISIONS.labels("gave_up").inc()
            await self._fail(record.request, history, step.kind, step.message, step.retryable)
            return
        await self._retry(record.request, history, step, failed.message_id)

    async def _retry(
        self, request: InferenceRequested, history: list[FailedAttempt], step: Retry, after: str
    ) -> None:
        ticket = Ticket(
            request=request,
            attempt=step.attempt,
            sequence=0,  # a retry goes ahead of new requests of its level
            history=history,
            exclude=step.exclude,
            after_failure=after,
            not_before=time.monotonic() + step.delay_s,
        )
        await self._serve(ticket, time.time_ns())

    async def _fail(
        self,
        request: InferenceRequested,
        history: list[FailedAttempt],
        kind: ErrorKind,
        message: str,
        retryable: bool,
    ) -> None:
        """One error result to the requester and, after attempts, a dead letter with them."""
        failed = InferenceFailed(
            message_id=stable_id("failed", request.request_id),
            tenant=request.tenant,
            request_id=request.request_id,
            requester=request.requester,
            kind=kind,
            message=message[:2048],
            retryable=retryable,
            attempts=history[-16:],
        )
        await self.bus.publish(failed)
        if history or kind is not ErrorKind.DEADLINE_EXCEEDED:
            payload, encoding = encode_payload(request.to_bytes())
            await self.bus.publish(
                DeadLetter(
                    message_id=stable_id("dlq", request.request_id),
                    tenant=request.tenant,
                    stream="AI_REQUESTS",
                    original_subject=request.subject(),
                    original_message_id=request.message_id,
                    reason_kind=(
                        DeadLetterReason.ATTEMPTS_EXHAUSTED
                        if history
                        else DeadLetterReason.UNROUTABLE
                    ),
                    reason=message[:4096],
                    attempts=history[-16:],
                    delivery_count=len(history),
                    consumer=SERVICE,
                    payload=payload,
                    encoding=encoding,
                )
            )
        await self.ledger.forget(request.request_id)

    async def _telemetry(
        self,
        request: InferenceRequested,
        deployment: str,
        attempt: int,
        result: InferenceCompleted | InferenceFailed,
    ) -> None:
        ok = isinstance(result, InferenceCompleted)
        await self.bus.publish(
            TelemetryEvent(
                tenant=request.tenant,
                service=SERVICE,
                kind=TelemetryKind.REQUEST,
                instance=self.instance,
                request_id=request.request_id,
                deployment=deployment,
                attempt=attempt,
                outcome=Outcome.SUCCESS if ok else Outcome.ERROR,
                error_kind=None if isinstance(result, InferenceCompleted) else result.kind,
                latency_ms=result.latency_ms if isinstance(result, InferenceCompleted) else None,
                attributes={"priority": request.priority.value, "model_group": request.model},
            )
        )

    # -- every replica sees every outcome -------------------------------------------------

    async def observe(self, msg: Msg) -> None:
        """Core-NATS copy of every result: free the slot at once, feed breaker and stats."""
        try:
            result = parse_result(msg.data)
        except ValidationError:
            return  # the durable consumer dead-letters it; here it only is not a signal
        if isinstance(result, InferenceCompleted):
            deployment, ok, latency = result.deployment, True, result.latency_ms
        elif result.requester == self.token and result.attempts:
            deployment, ok, latency = result.attempts[-1].deployment, False, None
        else:
            return
        # Released by whichever replica sees it first; the shared consumer releases again
        # (idempotent) in case no replica was listening. Not awaited: nats-py runs this
        # callback for one message after the other. Freed here once the ledger has it, so
        # the next pass does not find the slot still taken there.
        released = self.ledger.release_soon(deployment, result.request_id)
        released.add_done_callback(functools.partial(self._freed, deployment))
        counts = (
            not isinstance(result, InferenceFailed)
            or result.kind.transient
            or (result.kind in _DEPLOYMENT_FAULTS)
        )
        if counts:
            self.routing.outcome(deployment, success=ok, latency_ms=latency)
        # nats-py hands this callback every queued message in one go; a burst of results
        # would hold the event loop (and the decisions waiting on it) for all of them.
        await asyncio.sleep(0)

    def _freed(self, deployment: str, _: asyncio.Future[None]) -> None:
        self.routing.freed(deployment)
        if self.scheduler.parked():
            self.scheduler.wake()  # with nothing waiting, a pass here would find nothing to do


_DEPLOYMENT_FAULTS = frozenset({ErrorKind.AUTH, ErrorKind.INTERNAL})
"""Non-transient failures that still say the deployment is broken (not the request)."""
