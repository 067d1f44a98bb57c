"""A relaycore under test (in this process, real NATS and Redis) and the world around it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from automatrix.relaycore.app import create_app
from automatrix.relaycore.settings import Settings
from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.contracts import (
    DLQ,
    RESULTS,
    ChatMessage,
    DeadLetter,
    InferenceCompleted,
    InferenceFailed,
    InferenceRequested,
    Priority,
)
from automatrix.shared.service import Service
from automatrix.shared.settings import BusSettings
from tests.support.processes import wait_until
from tests.support.scripted import ScriptedDeployment, register

REQUESTER = "tests"


@dataclass
class World:
    """The test's side of the bus: scripted deployments, a requester, the dead letters."""

    bus: Bus
    settings: BusSettings
    deployments: dict[str, ScriptedDeployment]
    results: dict[str, InferenceCompleted | InferenceFailed] = field(default_factory=dict)
    result_count: dict[str, int] = field(default_factory=dict)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    relays: list[Service] = field(default_factory=list)

    async def _completed(self, event: InferenceCompleted, _: Delivery) -> None:
        self._record(event)

    async def _failed(self, event: InferenceFailed, _: Delivery) -> None:
        self._record(event)

    def _record(self, event: InferenceCompleted | InferenceFailed) -> None:
        self.results[event.request_id] = event
        self.result_count[event.request_id] = self.result_count.get(event.request_id, 0) + 1

    async def _dead(self, letter: DeadLetter, _: Delivery) -> None:
        self.dead_letters.append(letter)

    async def request(
        self, request_id: str | None = None, *, priority: Priority = Priority.NORMAL, **fields: Any
    ) -> str:
        request_id = request_id or uuid.uuid4().hex[:12]
        if "messages" not in fields and fields.get("kind") != "embedding":
            fields["messages"] = [ChatMessage(role="user", content=f"hello {request_id}")]
        await self.bus.publish(
            InferenceRequested(
                request_id=request_id, requester=REQUESTER, priority=priority, **fields
            )
        )
        return request_id

    async def result(
        self, request_id: str, within: float = 30.0
    ) -> InferenceCompleted | InferenceFailed:
        async def arrived() -> bool:
            return request_id in self.results

        await wait_until(arrived, within=within, what=f"the result of {request_id}")
        return self.results[request_id]

    async def view(self, path: str, relay: int = 0) -> Any:
        transport = httpx.ASGITransport(app=self.relays[relay].app)
        async with httpx.AsyncClient(transport=transport, base_url="http://relay") as client:
            response = await client.get(path)
            response.raise_for_status()
            return response.json()

    async def deployment_view(self, name: str) -> dict[str, Any]:
        views = (await self.view("/v1/relay/deployments"))["deployments"]
        return next(v for v in views if v["name"] == name)

    async def registered(self, *names: str, relay: int = 0) -> None:
        async def seen() -> bool:
            views = (await self.view("/v1/relay/deployments", relay))["deployments"]
            return set(names) <= {v["name"] for v in views if v["effective_state"] == "active"}

        await wait_until(seen, within=15, what=f"registration of {names}")

    async def waiting(self, level: Priority, count: int) -> None:
        async def held() -> bool:
            queues = await self.view("/v1/relay/queues")
            return int(queues["waiting"][level.value]) >= count

        await wait_until(held, within=15, what=f"{count} {level.value} requests held")


@pytest.fixture
async def world(
    bus_settings: Callable[..., BusSettings],
) -> AsyncIterator[Callable[..., Any]]:
    """``await world(deployments, **relay_settings)``: deployments registered, relay running."""
    started: list[tuple[Bus, list[Service]]] = []

    async def start(
        deployments: Iterable[ScriptedDeployment], *, relays: int = 1, **overrides: Any
    ) -> World:
        base = bus_settings()
        bus = Bus(base, name="tests-world")
        w = World(bus=bus, settings=base, deployments={d.name: d for d in deployments})
        for deployment in w.deployments.values():
            deployment.serve(bus)
        bus.subscribe(
            ConsumerSpec.on(RESULTS, "tests-completed", requester=REQUESTER),
            InferenceCompleted,
            w._completed,
        )
        bus.subscribe(
            ConsumerSpec.on(RESULTS, "tests-failed", requester=REQUESTER),
            InferenceFailed,
            w._failed,
        )
        bus.subscribe(ConsumerSpec.on(DLQ, "tests-dlq", stream="AI_REQUESTS"), DeadLetter, w._dead)
        await bus.start()
        services: list[Service] = []
        started.append((bus, services))
        values: dict[str, Any] = {
            "nats_url": base.nats_url,
            "redis_url": base.redis_url,
            "bus_namespace": base.bus_namespace,
            "bus_nak_backoff_s": base.bus_nak_backoff_s,
            "relay_sweep_interval_s": 0.2,
            "relay_no_route_wait_s": 1.0,
            "relay_backoff_base_s": 0.01,
            "relay_backoff_max_s": 0.05,
            **overrides,
        }
        for _ in range(relays):
            service = create_app(Settings(**values))
            await service.start()
            services.append(service)
            w.relays.append(service)
        await register(bus, *w.deployments.values())
        if w.deployments and w.relays:
            await w.registered(*w.deployments)
        return w

    yield start
    for bus, services in started:
        for service in services:
            await service.stop()
        await bus.stop()
