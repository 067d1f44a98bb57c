"""One durable consumer: parse, validate, run the handler once, then ack, nak or dead-letter."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import nats.errors
import nats.js.errors
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from pydantic import TypeAdapter, ValidationError
from redis.asyncio.client import Pipeline

from automatrix.shared.bus import metrics
from automatrix.shared.bus.deadletter import PublishDeadLetter, from_message, reason_for
from automatrix.shared.bus.errors import RejectMessage
from automatrix.shared.bus.idempotency import AlreadyHandled, IdempotencyGuard
from automatrix.shared.bus.topology import ConsumerSpec, retry_after
from automatrix.shared.bus.tracing import consuming
from automatrix.shared.contracts import DeadLetterReason, Event, FieldError
from automatrix.shared.settings import BusSettings

log = logging.getLogger(__name__)

E = TypeVar("E", bound=Event)

FETCH_WAIT_S = 1.0


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a handler knows about the delivery beside the event itself."""

    subject: str
    attempt: int
    headers: dict[str, str]
    tx: Pipeline | None
    """With ``idempotent=True``: a Redis transaction committed with the done-mark."""
    sequence: int = 0
    """The message's sequence in its stream: its place in the stream's FIFO order."""


Handler = Callable[[E, Delivery], Awaitable[None]]


class Window(Protocol):
    """Room for messages in hand, as the fetch loop uses it (``asyncio.Semaphore`` is one)."""

    async def acquire(self) -> bool: ...

    def locked(self) -> bool: ...

    def release(self) -> None: ...


class Consumer(Generic[E]):
    """The delivery policy of the bus, applied to one handler."""

    def __init__(
        self,
        spec: ConsumerSpec,
        model: type[E] | TypeAdapter[E],
        handler: Handler[E],
        *,
        settings: BusSettings,
        dead_letter: PublishDeadLetter,
        guard: IdempotencyGuard | None = None,
    ) -> None:
        self.spec = spec
        self.model = model
        self._parse = (
            model.validate_json if isinstance(model, TypeAdapter) else model.model_validate_json
        )
        self._model_name = str(model) if isinstance(model, TypeAdapter) else model.__name__
        self.handler = handler
        self.settings = settings
        self.dead_letter = dead_letter
        self.guard = guard
        self._outcomes = {
            name: metrics.HANDLED.labels(spec.durable, name)
            for name in ("ok", "duplicate", "retry", "dead_letter")
        }
        self._seconds = metrics.HANDLER_SECONDS.labels(spec.durable)
        self.window: Window | None = None
        """Set before the bus starts to pace fetching (shared by the workers); default: a
        fixed window of ``batch`` messages per worker."""
        self._inflight: set[asyncio.Task[str]] = set()
        self._working: dict[int, tuple[Msg, float]] = {}

    async def process(self, msg: Msg) -> str:
        """Handle one delivery and settle it; returns the outcome name."""
        try:
            outcome = await self._settle(msg)
        except Exception:
            # Settling itself failed (dead-letter copy not stored, ack lost): the message
            # stays unacked and comes back, so nothing accepted is dropped.
            log.exception(
                "%s: could not settle %s; it will be redelivered", self.spec.durable, msg.subject
            )
            outcome = "retry"
        self._outcomes[outcome].inc()
        return outcome

    async def _settle(self, msg: Msg) -> str:
        try:
            event = self._parse(msg.data)
        except ValidationError as exc:
            return await self._reject(
                msg, reason_for(exc), f"{self._model_name}: {exc.error_count()} errors", exc
            )
        attempt = msg.metadata.num_delivered or 1
        started = time.perf_counter()
        self._working[id(msg)] = (msg, time.monotonic())
        try:
            await self._run(event, msg, attempt)
        except AlreadyHandled:
            await msg.ack()
            return "duplicate"
        except RejectMessage as exc:
            return await self._reject(msg, DeadLetterReason.HANDLER_REJECTED, str(exc))
        except Exception as exc:
            if attempt >= self.settings.bus_max_deliver:
                log.warning(
                    "%s: %s failed on its last delivery: %r",
                    self.spec.durable,
                    event.message_id,
                    exc,
                )
                return await self._reject(msg, DeadLetterReason.MAX_DELIVERIES, repr(exc))
            log.info(
                "%s: %s failed (attempt %d), retrying: %r",
                self.spec.durable,
                event.message_id,
                attempt,
                exc,
            )
            await msg.nak(delay=retry_after(self.settings, attempt).total_seconds())
            return "retry"
        finally:
            self._working.pop(id(msg), None)
            self._seconds.observe(time.perf_counter() - started)
        await msg.ack()
        return "ok"

    async def _run(self, event: E, msg: Msg, attempt: int) -> None:
        headers = msg.headers or {}
        sequence = msg.metadata.sequence.stream
        with consuming(msg.subject, event.message_id, headers, self.spec.durable, attempt):
            if self.guard is None:
                await self.handler(event, Delivery(msg.subject, attempt, headers, None, sequence))
                return
            async with self.guard.once(event.message_id) as tx:
                await self.handler(event, Delivery(msg.subject, attempt, headers, tx, sequence))

    async def _keep_alive(self) -> None:
        """Tell the server that long handlers are still working, so it does not redeliver.

        Without it a handler running past ``ack_wait`` (a long completion, a model swap)
        would be handed to another worker and run twice.
        """
        every = self.settings.bus_ack_wait_s / 3
        while True:
            await asyncio.sleep(every)
            now = time.monotonic()
            for msg, since in list(self._working.values()):
                if now - since >= every:
                    with contextlib.suppress(Exception):
                        await msg.in_progress()

    async def run(self, sub: JetStreamContext.PullSubscription, batch: int) -> None:
        """Fetch and settle until cancelled, with up to ``batch`` messages in hand at once."""
        keep_alive = asyncio.create_task(self._keep_alive(), name=f"keepalive-{self.spec.durable}")
        try:
            await self._fetch_and_settle(sub, batch)
        finally:
            keep_alive.cancel()

    async def _fetch_and_settle(self, sub: JetStreamContext.PullSubscription, window: int) -> None:
        # A rolling window: up to ``window`` messages in hand, and a freed slot is refilled at
        # once, so one long handler never holds back the messages behind it. ``window`` is also
        # the largest fetch.
        free = self.window if self.window is not None else asyncio.Semaphore(window)
        while True:
            await free.acquire()
            wanted = 1
            while wanted < window and not free.locked():
                await free.acquire()  # does not block: the semaphore is not locked
                wanted += 1
            try:
                msgs = await sub.fetch(wanted, timeout=FETCH_WAIT_S)
            except TimeoutError:  # nats.errors.TimeoutError, or asyncio's from a batch fetch
                msgs = []
            except (
                nats.errors.ConnectionClosedError,
                nats.js.errors.ServiceUnavailableError,
                nats.errors.ConnectionReconnectingError,
            ) as exc:
                log.info("%s: fetch paused (%r)", self.spec.durable, exc)
                msgs = []
                await asyncio.sleep(FETCH_WAIT_S)  # back off while NATS reconnects
            except BaseException as exc:
                for _ in range(wanted):
                    free.release()
                if not isinstance(exc, Exception):
                    raise
                log.exception("%s: fetch failed; retrying", self.spec.durable)
                await asyncio.sleep(FETCH_WAIT_S)
                continue
            for _ in range(wanted - len(msgs)):
                free.release()
            for msg in msgs:
                # Not cancelled with the loop: stopping must not abandon a message half-settled;
                # see drain().
                task = asyncio.create_task(self.process(msg))
                self._inflight.add(task)
                task.add_done_callback(self._inflight.discard)
                task.add_done_callback(lambda _: free.release())

    async def drain(self, timeout_s: float) -> None:
        """Wait for the messages in hand (after the fetch loops were cancelled), for a while.

        A handler still running after ``timeout_s`` is cancelled: its message is not acked,
        so JetStream delivers it again (to another replica) — a stop never hangs on one.
        """
        if not self._inflight:
            return
        _, pending = await asyncio.wait(set(self._inflight), timeout=timeout_s)
        if not pending:
            return
        log.warning(
            "%s: %d handlers still running %.0f s into the stop; cancelled, to be redelivered",
            self.spec.durable,
            len(pending),
            timeout_s,
        )
        for task in pending:
            task.cancel()
        await asyncio.wait(pending, timeout=2.0)

    async def _reject(
        self, msg: Msg, reason: DeadLetterReason, detail: str, exc: ValidationError | None = None
    ) -> str:
        letter = from_message(
            msg,
            reason=reason,
            detail=detail,
            errors=FieldError.from_validation_error(exc) if exc else None,
        )
        # The copy must be safe before the original goes: on a failed copy, nak and retry.
        await self.dead_letter(letter)
        await msg.term()
        metrics.DEAD_LETTERS.labels(letter.stream, reason.value).inc()
        return "dead_letter"
