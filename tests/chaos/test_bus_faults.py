"""Faults injected into a 10,000-event run on the bus: nothing lost, nothing processed twice.

Each test publishes 10,000 telemetry events at a steady rate to a counting consumer in another
process, whose effect (its message id pushed to a Redis list) commits with the done-mark, and
breaks one thing midway: the consumer process, the whole of NATS, one node of a 3-node
cluster. What is asserted is always the same: every event's effect recorded exactly once.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from redis.asyncio import Redis

from automatrix.shared.bus import Bus, ConsumerSpec
from automatrix.shared.bus.provision import ensure_consumer
from automatrix.shared.contracts import TELEMETRY, TelemetryEvent
from automatrix.shared.natsserver import NatsServer
from automatrix.shared.settings import BusSettings
from tests.support.processes import kill, spawn, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

EVENTS = 10_000
OUTAGE_S = 10.0


def events(n: int = EVENTS) -> list[TelemetryEvent]:
    return [TelemetryEvent.example(request_count=i) for i in range(n)]


async def effects_of(redis: Redis, key: str) -> Counter[bytes]:
    items: list[bytes] = await redis.lrange(key, 0, -1)  # type: ignore[assignment]
    return Counter(items)


def consumer_env(settings: BusSettings) -> dict[str, str]:
    return {
        "NATS_URL": settings.nats_url,
        "REDIS_URL": settings.redis_url,
        "BUS_NAMESPACE": settings.bus_namespace,
        "BUS_ACK_WAIT_S": "2",
        "BUS_STREAM_REPLICAS": str(settings.bus_stream_replicas),
    }


async def start_counter(
    bus: Bus, key: str, log: Path, durable: str = "chaos-counter"
) -> subprocess.Popen[bytes]:
    """Declare the durable consumer, then start a counting consumer process on it."""
    await ensure_consumer(bus.js, ConsumerSpec.on(TELEMETRY, durable), bus.settings)
    return spawn(
        "tests.support.counting_consumer", durable, key, env=consumer_env(bus.settings), log=log
    )


def effects_reach(redis: Redis, key: str, n: int) -> Callable[[], Awaitable[bool]]:
    async def reached() -> bool:
        return int(await redis.llen(key)) >= n

    return reached


async def publish_steadily(
    bus: Bus,
    batch: list[TelemetryEvent],
    per_second: float,
    paths: Counter[str] | None = None,
) -> Counter[str]:
    """Publish at a steady rate, 50 at a time; count which path each event took (in
    ``paths`` as it goes, when given)."""
    paths = Counter() if paths is None else paths
    started = time.monotonic()
    for i in range(0, len(batch), 50):
        due = started + i / per_second
        if (ahead := due - time.monotonic()) > 0:
            await asyncio.sleep(ahead)  # pacing the load, not waiting for a result
        for path in await asyncio.gather(*(bus.publish(e) for e in batch[i : i + 50])):
            paths[path] += 1
    return paths


async def assert_exactly_once(
    bus: Bus, redis: Redis, key: str, sent: list[TelemetryEvent], durable: str = "chaos-counter"
) -> None:
    """Every event's effect is recorded exactly once, once the consumer has settled all."""
    expected = {e.message_id.encode() for e in sent}

    async def all_arrived() -> bool:
        return set(await redis.lrange(key, 0, -1)) >= expected

    async def settled() -> bool:
        info = await bus.js.consumer_info("AI_TELEMETRY", durable)
        return bool(info.num_pending == 0 and info.num_ack_pending == 0)

    try:
        await wait_until(all_arrived, within=120, what=f"{len(sent)} distinct effects")
    finally:
        await wait_until(settled, within=60, what="the consumer to settle every delivery")
        effects = await effects_of(redis, key)
        lost = expected - set(effects)
        twice = [m for m, n in effects.items() if n > 1]
        assert not lost, f"{len(lost)} events lost"
        assert not twice, f"{len(twice)} events processed twice"
    assert set(effects) == expected


async def test_consumer_killed_and_restarted_mid_run_loses_and_repeats_nothing(
    bus_settings: Callable[..., BusSettings], redis: Redis, namespace: str, tmp_path: Path
) -> None:
    """Injected: SIGKILL of the consumer process a third of the way in, then a new one.
    Asserted: every event handled exactly once (in-flight ones are redelivered, and the
    idempotency guard keeps the ones already done from being done again)."""
    settings = bus_settings(bus_ack_wait_s=2.0)
    key = f"{namespace}effects"
    sent = events()
    bus = Bus(settings, name="chaos-publisher")
    async with bus:
        consumer = await start_counter(bus, key, tmp_path / "c1.log")
        try:
            publishing = asyncio.create_task(publish_steadily(bus, sent, per_second=4000))
            third = effects_reach(redis, key, EVENTS // 3)
            await wait_until(third, within=60, what="a third of the effects")
            kill(consumer)  # SIGKILL: in-flight handlers die unacknowledged
            killed_at = int(await redis.llen(key))
            assert killed_at < EVENTS, "the kill came too late to test anything"
            consumer = await start_counter(bus, key, tmp_path / "c2.log")
            paths = await publishing
            assert paths["jetstream"] == EVENTS
            await assert_exactly_once(bus, redis, key, sent)
        finally:
            kill(consumer)


async def test_nats_down_for_10s_publishers_fall_back_to_redis_and_replay(
    bus_settings: Callable[..., BusSettings],
    nats_server: NatsServer,
    redis: Redis,
    namespace: str,
    tmp_path: Path,
) -> None:
    """Injected: the only NATS server stopped for 10 s while events are being published.
    Asserted: publishes during the outage go to the Redis fallback (none fails), the fallback
    is replayed into JetStream once NATS is back, and every event is handled exactly once."""
    settings = bus_settings(bus_publish_timeout_s=1.0)
    key = f"{namespace}effects"
    sent = events()
    bus = Bus(settings, name="chaos-publisher")
    async with bus:
        consumer = await start_counter(bus, key, tmp_path / "c.log")
        try:
            # 10,000 events over ~20 s; NATS is stopped after the first 2,000 for 10 s.
            paths: Counter[str] = Counter()
            publishing = asyncio.create_task(publish_steadily(bus, sent, 500, paths))

            async def published(n: int) -> bool:
                return sum(paths.values()) >= n

            await wait_until(lambda: published(2000), within=60, what="2,000 publishes")
            nats_server.stop()
            down_since = time.monotonic()

            async def fallback_used() -> bool:
                return await bus.fallback.pending() > 500

            await wait_until(fallback_used, within=30, what="publishes into the Redis fallback")
            await asyncio.sleep(max(0.0, OUTAGE_S - (time.monotonic() - down_since)))
            outage = time.monotonic() - down_since
            nats_server.start()
            nats_server.wait_healthy()
            final = await publishing
            assert outage >= OUTAGE_S
            assert final["fallback"] > 0
            assert final["jetstream"] > 0
            assert sum(final.values()) == EVENTS

            async def replayed() -> bool:
                return await bus.fallback.pending() == 0

            await wait_until(replayed, within=120, what="the fallback to drain")
            await assert_exactly_once(bus, redis, key, sent)
        finally:
            kill(consumer)


async def test_a_bus_stops_promptly_while_nats_is_down(
    bus_settings: Callable[..., BusSettings], nats_server: NatsServer
) -> None:
    """Injected: NATS stopped under a running bus, then the bus stopped (a service shutting
    down during an outage). Asserted: the stop neither raises nor waits for NATS to return."""
    bus = Bus(bus_settings(), name="chaos-stopping")
    await bus.start()
    nats_server.stop()

    async def reconnecting() -> bool:
        return not bus.nc.is_connected

    await wait_until(reconnecting, within=10, what="the bus to notice the outage")
    connection = bus.nc
    started = time.monotonic()
    await bus.stop()
    assert time.monotonic() - started < 5
    assert connection.is_closed


@pytest.mark.cluster
async def test_r3_cluster_survives_one_node_killed_under_load(
    nats_cluster: list[NatsServer], redis_url: str, redis: Redis, namespace: str, tmp_path: Path
) -> None:
    """Injected: SIGKILL of one node of a 3-node cluster (R3 streams) under load, then the
    node restarted. Asserted: publishing carries on, every event is handled exactly once, and
    the restarted node catches up with every event."""
    settings = BusSettings(
        nats_url=",".join(node.url for node in nats_cluster),
        redis_url=redis_url,
        bus_namespace=namespace,
        bus_stream_replicas=3,
        bus_publish_timeout_s=2.0,
        bus_nak_backoff_s=(0.05, 0.1),
    )
    key = f"{namespace}effects"
    sent = events()
    bus = Bus(settings, name="chaos-publisher")
    async with bus:
        info = await bus.js.stream_info("AI_TELEMETRY")
        assert info.config.num_replicas == 3
        consumer = await start_counter(bus, key, tmp_path / "c.log")
        try:
            publishing = asyncio.create_task(publish_steadily(bus, sent, per_second=2000))
            quarter = effects_reach(redis, key, EVENTS // 4)
            await wait_until(quarter, within=60, what="a quarter of the effects")
            victim = nats_cluster[0]
            victim.kill()
            paths = await publishing
            assert sum(paths.values()) == EVENTS
            victim.start()
            victim.wait_healthy(30)
            await assert_exactly_once(bus, redis, key, sent)
            # The restarted node catches up: every replica holds every event.
            state = await bus.js.stream_info("AI_TELEMETRY")
            assert state.state.messages == EVENTS
        finally:
            kill(consumer)
