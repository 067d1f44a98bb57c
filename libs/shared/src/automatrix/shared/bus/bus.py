"""The bus: NATS JetStream through FastStream's broker, with a Redis Streams fallback.

FastStream's ``NatsBroker`` owns the connection (reconnects, callbacks, JetStream, key-value
and object-store contexts). The per-message path — publish, pull, validate, settle — runs
on nats-py directly: in ``bench/bus.py`` FastStream's subscriber pipeline and telemetry
middleware kept 32% of raw JetStream throughput, this path keeps about 70%.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Literal, TypeVar

import nats.errors
import nats.js.errors
from faststream.nats import NatsBroker
from nats.aio.client import Client
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy
from pydantic import TypeAdapter
from redis.asyncio import Redis
from redis.exceptions import RedisError

from automatrix.shared.bus import metrics
from automatrix.shared.bus.consumer import Consumer, Handler
from automatrix.shared.bus.deadletter import MAX_DELIVERIES_ADVISORY, MaxDeliveriesWatcher
from automatrix.shared.bus.errors import PublishError
from automatrix.shared.bus.fallback import FallbackEntry, FallbackStore, Replayer
from automatrix.shared.bus.headers import EVENT_TYPE, MSG_ID
from automatrix.shared.bus.idempotency import IdempotencyGuard
from automatrix.shared.bus.provision import ensure_consumer, provision_buckets, provision_streams
from automatrix.shared.bus.topology import ConsumerSpec, StreamSpec, buckets, streams
from automatrix.shared.bus.tracing import producing
from automatrix.shared.contracts import DeadLetter, Event
from automatrix.shared.settings import BusSettings
from automatrix.shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)

E = TypeVar("E", bound=Event)
PublishPath = Literal["jetstream", "fallback", "core"]

# Failures that mean "NATS cannot take this now", as opposed to a bad request.
UNREACHABLE = (
    nats.errors.ConnectionClosedError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.NoServersError,
    nats.errors.OutboundBufferLimitError,
    nats.errors.TimeoutError,
    nats.errors.NoRespondersError,
    nats.errors.StaleConnectionError,
    nats.js.errors.ServiceUnavailableError,
    nats.js.errors.NoStreamResponseError,  # what js.publish makes of "no responders"
    asyncio.TimeoutError,
    OSError,
)


async def _cancel(tasks: list[asyncio.Task[None]]) -> None:
    await cancel_and_wait(*tasks)


class Bus:
    """Publish events and consume them, with at-least-once delivery and once-only effects."""

    def __init__(
        self,
        settings: BusSettings,
        *,
        name: str,
        redis: Redis | None = None,
        stream_specs: tuple[StreamSpec, ...] | None = None,
    ) -> None:
        self.settings = settings
        self.name = name
        self.redis = redis or Redis.from_url(settings.redis_url)
        self.stream_specs = stream_specs or streams()
        self.broker = NatsBroker(
            servers=settings.nats_url.split(","),
            name=name,
            apply_types=False,
            logger=None,
            max_reconnect_attempts=-1,
            reconnect_time_wait=0.25,  # type: ignore[arg-type]  # nats-py takes seconds as float
            connect_timeout=2,
            reconnected_cb=self._on_reconnect,
        )
        self.fallback = FallbackStore(self.redis, namespace=settings.bus_namespace)
        self.replayer = Replayer(
            self.fallback,
            self._publish_replayed,
            self.connected,
            interval_s=settings.bus_fallback_replay_interval_s,
        )
        self._consumers: list[tuple[Consumer[Any], int, int]] = []
        self._loops: list[asyncio.Task[None]] = []
        self._pulls: list[JetStreamContext.PullSubscription] = []
        self._advisories: list[Subscription] = []
        self._replaying: asyncio.Task[None] | None = None
        self._started = False

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def nc(self) -> Client:
        return self.broker.connection

    @property
    def js(self) -> JetStreamContext:
        return self.broker.config.connection_state.stream  # type: ignore[no-any-return]

    def connected(self) -> bool:
        return self._started and self.nc.is_connected

    async def sync(self, timeout_s: float = 5.0) -> None:
        """Return once the server has processed all this connection sent (subscriptions too).

        A message to ourselves, queued behind everything before it. Not ``nc.flush()``:
        nats.py 2.16 writes that PING ahead of commands still waiting in its pending buffer,
        so the PONG can come back before the server has seen a SUB sent just before.
        """
        inbox = self.nc.new_inbox()
        echo = await self.nc.subscribe(inbox)
        try:
            await self.nc.publish(inbox)
            await echo.next_msg(timeout=timeout_s)
        finally:
            await echo.unsubscribe()

    async def start(self) -> None:
        """Connect, provision streams and consumers, start consuming and replaying."""
        await self.broker.connect()
        self._started = True
        try:
            await self._open()
        except BaseException:
            await self._close()  # so a retried start begins clean, with no duplicate loops
            raise

    async def _open(self) -> None:
        await provision_streams(self.js, self.stream_specs, self.settings)
        await provision_buckets(self.js, buckets(), self.settings)
        await self._watch_max_deliveries()
        for consumer, batch, workers in self._consumers:
            await ensure_consumer(self.js, consumer.spec, self.settings)
            for worker in range(workers):
                sub = await self.js.pull_subscribe_bind(consumer.spec.durable, consumer.spec.stream)
                self._pulls.append(sub)
                self._loops.append(
                    asyncio.create_task(
                        consumer.run(sub, batch), name=f"consume-{consumer.spec.durable}-{worker}"
                    )
                )
        self._replaying = asyncio.create_task(self.replayer.run(), name="bus-replayer")

    async def stop(self) -> None:
        """Stop consuming (in-flight handlers finish), then close connections."""
        await self._close()
        await self.redis.aclose()

    async def _close(self) -> None:
        await _cancel(self._loops)
        self._loops.clear()
        for consumer, _, _ in self._consumers:
            await consumer.drain(self.settings.bus_drain_timeout_s)
        # Unsubscribe rather than let the connection drain them: a pull request's late
        # status reply would sit in a queue no loop reads, and the drain would wait 30 s.
        for pull in self._pulls:
            with contextlib.suppress(nats.errors.Error):
                await pull.unsubscribe()
        self._pulls.clear()
        for advisory in self._advisories:
            with contextlib.suppress(nats.errors.Error):
                await advisory.unsubscribe()
        self._advisories.clear()
        if self._replaying is not None:
            await _cancel([self._replaying])
            self._replaying = None
        if self._started:
            self._started = False
            await self._disconnect()

    async def _disconnect(self) -> None:
        try:
            await self.broker.stop()
        except (nats.errors.ConnectionReconnectingError, nats.errors.ConnectionClosedError):
            # NATS is unreachable and nats-py will not drain without it: close at once rather
            # than wait for a server that may not come back, and forget the connection so a
            # later start opens a new one.
            await self.nc.close()
            self.broker._connection = None
            self.broker.config.disconnect()

    async def __aenter__(self) -> Bus:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def _on_reconnect(self) -> None:
        self.replayer.wake()

    # -- publishing ------------------------------------------------------------------------

    async def publish(
        self, event: Event, *, subject: str | None = None, headers: dict[str, str] | None = None
    ) -> PublishPath:
        """Publish an event; if NATS cannot take it, keep it in Redis for replay."""
        target = subject or event.subject()
        payload = event.to_bytes()
        all_headers = {
            **(headers or {}),
            MSG_ID: event.message_id,
            EVENT_TYPE: event.EVENT_TYPE,
        }
        stream = event.SUBJECT.stream
        if stream is None:
            with producing(target, event.message_id, all_headers, "core"):
                await self.nc.publish(target, payload, headers=all_headers)
            metrics.PUBLISHED.labels("core", "core").inc()
            return "core"
        if self.connected() and self.replayer.drained.is_set():
            try:
                with producing(target, event.message_id, all_headers, "jetstream"):
                    await self.js.publish(
                        target,
                        payload,
                        headers=all_headers,
                        timeout=self.settings.bus_publish_timeout_s,
                    )
            except UNREACHABLE as exc:
                log.warning("NATS publish to %s failed (%r); using the Redis fallback", target, exc)
            else:
                metrics.PUBLISHED.labels(stream, "jetstream").inc()
                return "jetstream"
        with producing(target, event.message_id, all_headers, "fallback"):
            await self._to_fallback(FallbackEntry(target, stream, payload, all_headers))
        metrics.PUBLISHED.labels(stream, "fallback").inc()
        return "fallback"

    async def _to_fallback(self, entry: FallbackEntry) -> None:
        self.replayer.stored()  # before the write: later publishes queue behind it
        try:
            await self.fallback.store(entry)
        except (RedisError, OSError) as exc:
            raise PublishError(f"NATS and the Redis fallback both failed: {exc}") from exc

    async def _publish_replayed(
        self, subject: str, payload: bytes, headers: dict[str, str], stream: str
    ) -> None:
        await self.js.publish(
            subject,
            payload,
            headers=headers,
            stream=stream,
            timeout=self.settings.bus_publish_timeout_s,
        )

    async def publish_dead_letter(self, letter: DeadLetter) -> None:
        await self.publish(letter)

    # -- consuming -------------------------------------------------------------------------

    def subscribe(
        self,
        spec: ConsumerSpec,
        model: type[E] | TypeAdapter[E],
        handler: Handler[E],
        *,
        idempotent: bool = False,
        batch: int = 64,
        workers: int = 1,
    ) -> Consumer[E]:
        """Register a handler on a durable consumer; call before ``start``.

        ``model`` is the event class, or a ``TypeAdapter`` of a union of event classes for a
        consumer whose filter spans several (each message parses as the one it is).
        """
        guard = (
            IdempotencyGuard(self.redis, spec.durable, namespace=self.settings.bus_namespace)
            if idempotent
            else None
        )
        consumer = Consumer(
            spec,
            model,
            handler,
            settings=self.settings,
            dead_letter=self.publish_dead_letter,
            guard=guard,
        )
        self._consumers.append((consumer, batch, workers))
        return consumer

    async def _watch_max_deliveries(self) -> None:
        watched = {consumer.spec.stream for consumer, _, _ in self._consumers}
        work_queues = {
            s.name for s in self.stream_specs if s.retention == RetentionPolicy.WORK_QUEUE
        }
        watcher = MaxDeliveriesWatcher(
            self.js, self.publish_dead_letter, delete_from_work_queues=work_queues
        )
        for stream in sorted(watched):
            self._advisories.append(
                await self.nc.subscribe(
                    MAX_DELIVERIES_ADVISORY.format(stream=stream), cb=watcher.on_advisory
                )
            )
