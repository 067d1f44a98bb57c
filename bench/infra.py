"""Throwaway NATS and Redis servers for a benchmark run."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from automatrix.shared.launcher.redis_server import RedisServer, redis_binary
from automatrix.shared.natsserver import NatsServer, free_port


@contextmanager
def nats_and_redis(workdir: Path) -> Iterator[tuple[str, str]]:
    """A fresh nats-server (JetStream) and redis-server under ``workdir``; yields their URLs."""
    redis = RedisServer(port=free_port(), data_dir=workdir)
    proc = subprocess.Popen(redis.argv(redis_binary()), stdout=subprocess.DEVNULL)
    try:
        redis.wait_ready(lambda: proc.poll() is None)
        with NatsServer(store_dir=workdir / "nats") as server:
            yield server.url, redis.url
    finally:
        proc.terminate()
        proc.wait(10)
