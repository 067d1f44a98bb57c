"""The bus against a real nats-server and Redis: delivery, de-duplication, dead letters."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import nats
import pytest
from redis.asyncio import Redis

from automatrix.shared.bus import Bus, ConsumerSpec, Delivery, RejectMessage
from automatrix.shared.bus.fallback import FallbackEntry
from automatrix.shared.bus.headers import MSG_ID
from automatrix.shared.contracts import (
    DLQ,
    TELEMETRY,
    DeadLetter,
    DeadLetterReason,
    TelemetryEvent,
)
from automatrix.shared.natsserver import NatsServer
from automatrix.shared.settings import BusSettings

pytestmark = pytest.mark.timeout(60)


def telemetry(i: int, **extra: object) -> TelemetryEvent:
    return TelemetryEvent.example(request_count=i, **extra)


class Collector:
    """Collects events per message id; ``wait`` until ``n`` distinct arrived."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.changed = asyncio.Condition()

    async def add(self, message_id: str) -> None:
        async with self.changed:
            self.seen.append(message_id)
            self.changed.notify_all()

    async def wait(self, n: int, within: float = 20.0) -> None:
        async with asyncio.timeout(within), self.changed:
            await self.changed.wait_for(lambda: len(set(self.seen)) >= n)


def dead_letters_spec() -> ConsumerSpec:
    return ConsumerSpec.on(DLQ, "test-dlq-reader")


async def test_publish_then_consume_acks_and_dedupes_republish(
    bus_settings: Callable[..., BusSettings], nats_server: NatsServer
) -> None:
    got = Collector()

    async def handle(event: TelemetryEvent, delivery: Delivery) -> None:
        assert delivery.attempt == 1
        await got.add(event.message_id)

    bus = Bus(bus_settings(), name="t")
    bus.subscribe(ConsumerSpec.on(TELEMETRY, "t-reader"), TelemetryEvent, handle)
    async with bus:
        event = telemetry(1)
        assert await bus.publish(event) == "jetstream"
        assert await bus.publish(event) == "jetstream"  # same message id: the server drops it
        await got.wait(1)
        info = await bus.js.stream_info("AI_TELEMETRY")
        assert info.state.messages == 1
        consumer = await bus.js.consumer_info("AI_TELEMETRY", "t-reader")
        for _ in range(100):
            if consumer.num_ack_pending == 0:
                break
            await asyncio.sleep(0.05)
            consumer = await bus.js.consumer_info("AI_TELEMETRY", "t-reader")
        assert consumer.num_ack_pending == 0
        assert consumer.num_pending == 0
    assert got.seen == [event.message_id]


async def test_poison_messages_are_dead_lettered_with_reason_and_consumption_goes_on(
    bus_settings: Callable[..., BusSettings], nats_server: NatsServer
) -> None:
    good = Collector()
    letters: list[DeadLetter] = []
    letter_seen = Collector()

    async def handle(event: TelemetryEvent, _: Delivery) -> None:
        await good.add(event.message_id)

    async def on_letter(letter: DeadLetter, _: Delivery) -> None:
        letters.append(letter)
        await letter_seen.add(letter.message_id)

    bus = Bus(bus_settings(), name="t")
    bus.subscribe(ConsumerSpec.on(TELEMETRY, "t-reader"), TelemetryEvent, handle)
    bus.subscribe(dead_letters_spec(), DeadLetter, on_letter)
    async with bus:
        subject = telemetry(0).subject()
        raw = await nats.connect(nats_server.url)
        js = raw.jetstream()
        await js.publish(subject, b"{not json", headers={"Nats-Msg-Id": "poison-1"})
        await js.publish(
            subject, b'{"service": "x", "kind": 5}', headers={"Nats-Msg-Id": "poison-2"}
        )
        await raw.close()
        after = telemetry(2)
        await bus.publish(after)
        await good.wait(1)
        await letter_seen.wait(2)
    by_id = {letter.original_message_id: letter for letter in letters}
    assert by_id["poison-1"].reason_kind is DeadLetterReason.INVALID_JSON
    assert by_id["poison-1"].payload == "{not json"
    schema = by_id["poison-2"]
    assert schema.reason_kind is DeadLetterReason.SCHEMA_INVALID
    assert {tuple(e.loc) for e in schema.errors} >= {("kind",)}
    assert schema.stream == "AI_TELEMETRY"
    assert schema.original_subject == subject
    assert good.seen == [after.message_id]


async def test_transient_error_naks_and_redelivers(
    bus_settings: Callable[..., BusSettings],
) -> None:
    attempts: list[int] = []
    done = Collector()

    async def flaky(event: TelemetryEvent, delivery: Delivery) -> None:
        attempts.append(delivery.attempt)
        if delivery.attempt < 3:
            raise ConnectionError("upstream hiccup")
        await done.add(event.message_id)

    bus = Bus(bus_settings(), name="t")
    bus.subscribe(ConsumerSpec.on(TELEMETRY, "t-reader"), TelemetryEvent, flaky)
    async with bus:
        await bus.publish(telemetry(1))
        await done.wait(1)
    assert attempts == [1, 2, 3]


async def test_exhausted_and_rejected_messages_reach_the_dead_letter_stream(
    bus_settings: Callable[..., BusSettings],
) -> None:
    letters = Collector()
    got: dict[str, DeadLetter] = {}

    async def failing(event: TelemetryEvent, _: Delivery) -> None:
        if event.request_count == 1:
            raise RejectMessage("tenant unknown")
        raise ConnectionError("always down")

    async def on_letter(letter: DeadLetter, _: Delivery) -> None:
        got[letter.original_message_id or ""] = letter
        await letters.add(letter.message_id)

    bus = Bus(bus_settings(bus_max_deliver=3), name="t")
    bus.subscribe(ConsumerSpec.on(TELEMETRY, "t-reader"), TelemetryEvent, failing)
    bus.subscribe(dead_letters_spec(), DeadLetter, on_letter)
    async with bus:
        rejected, exhausted = telemetry(1), telemetry(2)
        await bus.publish(rejected)
        await bus.publish(exhausted)
        await letters.wait(2)
    assert got[rejected.message_id].reason_kind is DeadLetterReason.HANDLER_REJECTED
    assert got[rejected.message_id].delivery_count == 1
    assert got[exhausted.message_id].reason_kind is DeadLetterReason.MAX_DELIVERIES
    assert got[exhausted.message_id].delivery_count == 3
    assert "always down" in got[exhausted.message_id].reason


async def test_max_deliveries_advisory_dead_letters_a_message_no_worker_ever_settled(
    bus_settings: Callable[..., BusSettings], nats_server: NatsServer
) -> None:
    letters = Collector()
    got: list[DeadLetter] = []

    async def on_letter(letter: DeadLetter, _: Delivery) -> None:
        got.append(letter)
        await letters.add(letter.message_id)

    settings = bus_settings(bus_max_deliver=2, bus_ack_wait_s=0.3)
    spec = ConsumerSpec.on(TELEMETRY, "t-crashy")
    bus = Bus(settings, name="t")
    bus.subscribe(dead_letters_spec(), DeadLetter, on_letter)
    # A second consumer on the stream so the bus watches its advisories.
    bus.subscribe(ConsumerSpec.on(TELEMETRY, "t-other"), TelemetryEvent, _ignore)
    async with bus:
        from automatrix.shared.bus.provision import ensure_consumer

        await ensure_consumer(bus.js, spec, settings)
        event = telemetry(7)
        await bus.publish(event)
        # A worker that fetches and dies before settling, twice.
        raw = await nats.connect(nats_server.url)
        sub = await raw.jetstream().pull_subscribe_bind("t-crashy", "AI_TELEMETRY")
        for _ in range(2):
            (msg,) = await sub.fetch(1, timeout=5)
            assert msg.metadata.num_delivered >= 1
        # Workers keep pulling; the server finds the message exhausted and says so.
        with pytest.raises(nats.errors.TimeoutError):
            await sub.fetch(1, timeout=1)
        await letters.wait(1, within=10)
        await raw.close()
    (letter,) = got
    assert letter.reason_kind is DeadLetterReason.MAX_DELIVERIES
    assert letter.original_message_id == event.message_id
    assert letter.consumer == "t-crashy"


async def _ignore(_: TelemetryEvent, __: Delivery) -> None:
    return None


async def test_idempotent_handler_effect_happens_once_when_delivered_twice(
    bus_settings: Callable[..., BusSettings], nats_server: NatsServer, redis: Redis, namespace: str
) -> None:
    done = Collector()
    effects = f"{namespace}effects"

    async def count(event: TelemetryEvent, delivery: Delivery) -> None:
        assert delivery.tx is not None
        delivery.tx.rpush(effects, event.message_id)
        await done.add(event.message_id)

    bus = Bus(bus_settings(), name="t")
    bus.subscribe(ConsumerSpec.on(TELEMETRY, "t-reader"), TelemetryEvent, count, idempotent=True)
    async with bus:
        event = telemetry(3)
        raw = await nats.connect(nats_server.url)
        # Two copies that JetStream cannot de-duplicate (no Nats-Msg-Id): both get delivered.
        for _ in range(2):
            await raw.jetstream().publish(event.subject(), event.to_bytes())
        await raw.close()
        marker = telemetry(4)
        await bus.publish(marker)
        await done.wait(2)
        info = await bus.js.consumer_info("AI_TELEMETRY", "t-reader")
        while info.num_ack_pending or info.num_pending:
            await asyncio.sleep(0.02)
            info = await bus.js.consumer_info("AI_TELEMETRY", "t-reader")
    assert sorted(await redis.lrange(effects, 0, -1)) == sorted(
        [event.message_id.encode(), marker.message_id.encode()]
    )


async def test_a_handler_running_past_ack_wait_is_not_handed_to_another_worker(
    bus_settings: Callable[..., BusSettings],
) -> None:
    attempts: list[int] = []
    done = Collector()

    async def slow(event: TelemetryEvent, delivery: Delivery) -> None:
        attempts.append(delivery.attempt)
        await asyncio.sleep(2.0)  # the work itself: four times the ack wait
        await done.add(event.message_id)

    bus = Bus(bus_settings(bus_ack_wait_s=0.5), name="t")
    bus.subscribe(ConsumerSpec.on(TELEMETRY, "t-slow"), TelemetryEvent, slow, workers=2)
    async with bus:
        await bus.publish(telemetry(1))
        await done.wait(1)
        info = await bus.js.consumer_info("AI_TELEMETRY", "t-slow")
    assert attempts == [1]
    assert info.num_redelivered == 0


async def test_a_fallback_entry_jetstream_refuses_is_set_aside_and_replay_goes_on(
    bus_settings: Callable[..., BusSettings], redis: Redis
) -> None:
    got = Collector()

    async def handle(event: TelemetryEvent, _: Delivery) -> None:
        await got.add(event.message_id)

    bus = Bus(bus_settings(), name="t")
    bus.subscribe(ConsumerSpec.on(TELEMETRY, "t-reader"), TelemetryEvent, handle)
    refused, good = telemetry(1), telemetry(2)
    async with bus:
        # Queued behind an entry whose expected stream does not exist: JetStream answers 4xx.
        await bus.fallback.store(
            FallbackEntry(refused.subject(), "NO_SUCH_STREAM", refused.to_bytes(), {})
        )
        await bus.fallback.store(
            FallbackEntry(
                good.subject(), "AI_TELEMETRY", good.to_bytes(), {MSG_ID: good.message_id}
            )
        )
        bus.replayer.stored()
        await got.wait(1)
        assert await bus.fallback.pending() == 0
        aside: list[tuple[bytes, dict[bytes, bytes]]] = await redis.xrange(  # type: ignore[assignment]
            bus.fallback.unreplayable_key
        )
    assert got.seen == [good.message_id]
    ((_, fields),) = aside
    assert b"JetStream refused it" in fields[b"reason"]
    assert fields[b"subject"] == refused.subject().encode()
