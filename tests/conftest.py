"""Real servers for the tests: a fresh nats-server per test, a Redis, a 3-node cluster."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from redis import Redis as SyncRedis
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

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


def _wait_redis(url: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    client = SyncRedis.from_url(url)
    while True:
        try:
            client.ping()
            return
        except (OSError, RedisConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        finally:
            client.close()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``REDIS_URL`` when set, else a ``redis-server`` of our own on a free port."""
    if url := os.environ.get("REDIS_URL"):
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server not found and REDIS_URL not set: run `make setup`")
    port = free_port()
    data = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(data),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_redis(url)
        yield url
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
