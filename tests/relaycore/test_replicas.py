"""Two relaycore processes share the work; killing one under load loses and repeats nothing."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path
from typing import Any

import pytest

from automatrix.shared.contracts import InferenceCompleted
from tests.support.processes import kill, spawn, wait_until
from tests.support.scripted import ScriptedDeployment

pytestmark = pytest.mark.slow


def _relay(w: Any, log: Path) -> subprocess.Popen[bytes]:
    return spawn(
        "automatrix.relaycore",
        env={
            "NATS_URL": w.settings.nats_url,
            "REDIS_URL": w.settings.redis_url,
            "BUS_NAMESPACE": w.settings.bus_namespace,
            "HTTP_PORT": "0",
            "BUS_ACK_WAIT_S": "2",
            "RELAY_LEASE_GRACE_S": "1",
            "RELAY_WINDOW": "16",
            "LOG_LEVEL": "WARNING",
        },
        log=log,
    )


async def test_killing_one_of_two_replicas_loses_nothing_and_dispatches_nothing_twice(
    world: Any, tmp_path: Path
) -> None:
    workers = [
        ScriptedDeployment(f"w{i}", group="pool", concurrency=4, timeout_s=5) for i in range(3)
    ]
    w = await world(workers)
    replicas = [_relay(w, tmp_path / f"relay-{i}.log") for i in range(2)]
    try:
        for worker in workers:
            worker.delay_s = 0.02
        total = 300
        ids = [f"r{i:03d}" for i in range(total)]
        publishing = asyncio.create_task(_publish(w, ids))

        async def some_done() -> bool:
            return len(w.results) >= 60

        await wait_until(some_done, within=60, what="the first results")
        kill(replicas[0])
        await publishing

        async def all_done() -> bool:
            return len(w.results) == total

        await wait_until(all_done, within=120, what=f"all {total} results")
    finally:
        for proc in replicas:
            kill(proc)
    assert all(isinstance(r, InferenceCompleted) for r in w.results.values())
    assert set(w.result_count.values()) == {1}
    dispatches: dict[str, int] = {}
    for worker in workers:
        for request_id, count in worker.dispatch_counts().items():
            dispatches[request_id] = dispatches.get(request_id, 0) + count
    assert sorted(dispatches) == ids
    assert max(dispatches.values()) == 1, {k: v for k, v in dispatches.items() if v > 1}
    assert all(worker.peak <= worker.concurrency for worker in workers)


async def _publish(w: Any, ids: list[str]) -> None:
    for request_id in ids:
        await w.request(request_id, model="pool")
