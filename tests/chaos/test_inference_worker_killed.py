"""Fault: the inference worker serving a request is SIGKILLed while the provider call is out.

Two inference processes serve one litellm deployment (a real upstream, held on the request);
relaycore runs in this process, NATS and Redis are real. Asserted: the dispatch, unacked by
the dead worker, is redelivered to the other one, which calls the provider again and answers;
the requester receives exactly one result for the request, a completion, and nothing stays
pending on the dispatch queue.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

import nats.js.errors
import pytest

from automatrix.relaycore.app import create_app as create_relay
from automatrix.relaycore.settings import Settings as RelaySettings
from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.contracts import (
    DEPLOYMENTS,
    RESULTS,
    ChatMessage,
    DeploymentRecord,
    InferenceCompleted,
    InferenceFailed,
    InferenceRequested,
)
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.settings import BusSettings
from tests.chaos.upstream import ScriptedUpstream
from tests.support.processes import kill, spawn, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

DEPLOYMENT = "kill-me"
MODEL = "work-1"
REQUESTER = "tests"
WORKERS = ("a", "b")


class Results:
    """Every result addressed to ``REQUESTER``, counted by request id."""

    def __init__(self) -> None:
        self.seen: dict[str, list[InferenceCompleted | InferenceFailed]] = {}

    async def record(self, event: InferenceCompleted | InferenceFailed, _: Delivery) -> None:
        self.seen.setdefault(event.request_id, []).append(event)

    def listen(self, bus: Bus) -> None:
        completed = ConsumerSpec.on(RESULTS, "tests-completed", requester=REQUESTER)
        failed = ConsumerSpec.on(RESULTS, "tests-failed", requester=REQUESTER)
        bus.subscribe(completed, InferenceCompleted, self.record)
        bus.subscribe(failed, InferenceFailed, self.record)

    def counts(self) -> Counter[str]:
        return Counter({request_id: len(events) for request_id, events in self.seen.items()})


def worker_env(settings: BusSettings, deployments: Path, name: str) -> dict[str, str]:
    """An inference process serving only the upstream deployment, with its own API key."""
    return {
        "NATS_URL": settings.nats_url,
        "REDIS_URL": settings.redis_url,
        "BUS_NAMESPACE": settings.bus_namespace,
        "BUS_ACK_WAIT_S": "2",
        "HTTP_PORT": "0",
        "STATE_DIR": str(deployments.parent / f"inference-{name}"),
        "LOG_LEVEL": "WARNING",
        # Triton plays no part here: an external one that is never called.
        "TRITON_URL": "127.0.0.1:9",
        "AUTOMATRIX_DEPLOYMENTS_FILE": str(deployments),
        "AUTOMATRIX_DEPLOYMENT_MINILM_EMBED_ENABLED": "false",
        "AUTOMATRIX_DEPLOYMENT_GEMMA3_270M_ENABLED": "false",
        "CHAOS_WORKER_KEY": f"key-{name}",
    }


@pytest.fixture
async def upstream() -> AsyncIterator[ScriptedUpstream]:
    server = ScriptedUpstream()
    async with server:
        yield server


async def test_a_worker_killed_mid_request_is_redelivered_and_answered_once(
    bus_settings: Callable[..., BusSettings], upstream: ScriptedUpstream, tmp_path: Path
) -> None:
    settings = bus_settings(bus_ack_wait_s=2.0)
    deployments = tmp_path / "deployments.toml"
    deployments.write_text(
        f'[deployments.{DEPLOYMENT}]\nmodel = "openai/{MODEL}"\n'
        f'api_base = "{upstream.base_url}"\napi_key_env = "CHAOS_WORKER_KEY"\n'
        'tier = "fast"\nconcurrency = 2\ntimeout_s = 60\n'
    )
    relay = create_relay(
        RelaySettings(
            nats_url=settings.nats_url,
            redis_url=settings.redis_url,
            bus_namespace=settings.bus_namespace,
            relay_sweep_interval_s=0.2,
            relay_no_route_wait_s=60.0,
        )
    )
    results = Results()
    bus = Bus(settings, name="tests-requester")
    results.listen(bus)
    workers: dict[str, subprocess.Popen[bytes]] = {}
    await relay.start()
    try:
        async with bus:
            for name in WORKERS:
                env = worker_env(settings, deployments, name)
                workers[name] = spawn("automatrix.inference", env=env, log=tmp_path / f"{name}.log")

            async def ask(request_id: str) -> None:
                await bus.publish(
                    InferenceRequested(
                        request_id=request_id,
                        requester=REQUESTER,
                        model=DEPLOYMENT,
                        messages=[ChatMessage(role="user", content=f"question {request_id}")],
                        deadline=utcnow() + timedelta(seconds=90),
                    )
                )

            deployments_kv = await bus.js.key_value(DEPLOYMENTS.name)

            async def both_registered() -> bool:
                try:
                    entry = await deployments_kv.get(DEPLOYMENT)
                except nats.js.errors.KeyNotFoundError:
                    return False
                record = DeploymentRecord.model_validate_json(entry.value or b"")
                return len(record.instances) == len(WORKERS)

            await wait_until(both_registered, within=180, what="both workers to register")
            await ask("warm-up")  # litellm loads on its first call
            await wait_until(
                lambda: _arrived(results, "warm-up"), within=120, what="the warm-up answer"
            )
            callers_before = Counter(upstream.callers)
            upstream.delays[MODEL] = 3600.0  # the provider holds the next call
            await ask("victim")

            async def called() -> bool:
                return sum((upstream.callers - callers_before).values()) == 1

            await wait_until(called, within=120, what="the provider call to start")
            (caller,) = (upstream.callers - callers_before).keys()
            victim = next(n for n in WORKERS if caller == f"Bearer key-{n}")
            upstream.delays[MODEL] = 0.0
            kill(workers[victim])
            await wait_until(
                lambda: _arrived(results, "victim"), within=60, what="the victim's answer"
            )

            async def settled() -> bool:
                info = await bus.js.consumer_info("AI_DISPATCH", f"inference-{DEPLOYMENT}")
                return bool(info.num_pending == 0 and info.num_ack_pending == 0)

            await wait_until(settled, within=60, what="the dispatch queue to settle")
            survivor = next(n for n in WORKERS if n != victim)
            calls = upstream.callers - callers_before
    finally:
        for process in workers.values():
            kill(process)
        await relay.stop()
    assert results.counts()["victim"] == 1, results.seen["victim"]
    (answer,) = results.seen["victim"]
    assert isinstance(answer, InferenceCompleted), answer
    assert answer.output == "echo: question victim"
    assert calls == {f"Bearer key-{victim}": 1, f"Bearer key-{survivor}": 1}, calls


async def _arrived(results: Results, request_id: str) -> bool:
    return request_id in results.seen
