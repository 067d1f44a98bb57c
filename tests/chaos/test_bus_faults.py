"""Faults injected into a 10,000-event run: nothing lost, nothing processed twice."""

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
    bus: Bus, batch: list[TelemetryEvent], per_second: float
) -> Counter[str]:
    """Publish at a steady rate, 50 at a time; count which path each event took."""
    paths: Counter[str] = Counter()
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


async def test_nats_down_for_5s_publishers_fall_back_to_redis_and_replay(
    bus_settings: Callable[..., BusSettings],
    nats_server: NatsServer,
    redis: Redis,
    namespace: str,
    tmp_path: Path,
) -> None:
    settings = bus_settings(bus_publish_timeout_s=1.0)
    key = f"{namespace}effects"
    sent = events()
    bus = Bus(settings, name="chaos-publisher")
    async with bus:
        consumer = await start_counter(bus, key, tmp_path / "c.log")
        try:
            # 10,000 events over ~10 s; NATS is stopped from about 2 s to at least 7 s.
            publishing = asyncio.create_task(publish_steadily(bus, sent, per_second=1000))
            first = effects_reach(redis, key, 1000)
            await wait_until(first, within=60, what="the first 1,000 effects")
            nats_server.stop()
            down_since = time.monotonic()

            async def fallback_used() -> bool:
                return await bus.fallback.pending() > 500

            await wait_until(fallback_used, within=30, what="publishes into the Redis fallback")
            await asyncio.sleep(max(0.0, 5.0 - (time.monotonic() - down_since)))  # the outage
            outage = time.monotonic() - down_since
            nats_server.start()
            nats_server.wait_healthy()
            paths = await publishing
            assert outage >= 5.0
            assert paths["fallback"] > 0
            assert paths["jetstream"] > 0
            assert sum(paths.values()) == EVENTS

            async def replayed() -> bool:
                return await bus.fallback.pending() == 0

            await wait_until(replayed, within=60, what="the fallback to drain")
            await assert_exactly_once(bus, redis, key, sent)
        finally:
            kill(consumer)


@pytest.mark.cluster
async def test_r3_cluster_survives_one_node_killed_under_load(
    nats_cluster: list[NatsServer], redis_url: str, redis: Redis, namespace: str, tmp_path: Path
) -> None:
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
