"""Load shedding against a real JetStream queue: low is refused first, critical last."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import httpx

from automatrix.orchestrator.app import create_app
from automatrix.orchestrator.settings import Settings
from automatrix.orchestrator.shedding import LoadShedder
from automatrix.shared.bus import Bus
from automatrix.shared.bus.provision import ensure_consumer
from automatrix.shared.bus.topology import relay_request_consumer
from automatrix.shared.contracts import DeploymentRecord, Priority
from automatrix.shared.contracts.registry import DEPLOYMENTS
from automatrix.shared.settings import BusSettings
from tests.support.processes import wait_until

MASTER = "am-shedding-test-master-key"


async def test_a_full_queue_sheds_by_priority_with_retry_after(
    bus_settings: Callable[..., BusSettings], tmp_path: Path
) -> None:
    bus = bus_settings()
    settings = Settings(
        nats_url=bus.nats_url,
        redis_url=bus.redis_url,
        bus_namespace=bus.bus_namespace,
        state_dir=tmp_path,
        automatrix_master_key=MASTER,
        gateway_shed_queue_depth=4,  # low sheds at 2, normal at 3, high at 4, critical at 8
        cache_enabled=False,
    )
    service = create_app(settings)
    await service.start()
    try:
        js = service.bus.js
        for level in Priority:  # relaycore's queues, with no relaycore draining them
            spec = relay_request_consumer(level.value)
            await ensure_consumer(js, spec, settings)
        kv = await js.key_value(DEPLOYMENTS.name)
        record = DeploymentRecord.example(name="m-1", model_group="m")
        await kv.create(record.name, record.model_dump_json().encode())
        gateway_app: Any = service.app
        while not hasattr(gateway_app, "state"):  # middleware around the FastAPI app
            gateway_app = gateway_app.app
        shedder = gateway_app.state.context.shedder
        transport = httpx.ASGITransport(app=service.app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://gateway",
            headers={"Authorization": f"Bearer {MASTER}"},
        ) as http:

            async def submit(level: Priority) -> httpx.Response:
                return await http.post(
                    "/api/v2/queries", json={"text": "hi", "model": "m", "priority": level.value}
                )

            async def model_known() -> bool:
                models = (await http.get("/v1/models")).json()["data"]
                return any(m["id"] == "m" for m in models)

            async def queued(count: int) -> None:
                async def seen() -> bool:
                    return bool(shedder.total() == count)

                await wait_until(seen, within=10, what=f"{count} requests queued")

            await wait_until(model_known, within=10, what="the gateway to see model m")
            for _ in range(2):
                assert (await submit(Priority.LOW)).status_code == 202
            await queued(2)
            refused = await submit(Priority.LOW)
            assert refused.status_code == 503
            assert refused.json()["error"]["code"] == "overloaded"
            assert int(refused.headers["retry-after"]) >= 1
            assert (await submit(Priority.NORMAL)).status_code == 202
            await queued(3)
            assert (await submit(Priority.NORMAL)).status_code == 503
            assert (await submit(Priority.HIGH)).status_code == 202
            await queued(4)
            assert (await submit(Priority.HIGH)).status_code == 503
            assert (await submit(Priority.CRITICAL)).status_code == 202  # shed last
    finally:
        await service.stop()


class HeldReads(LoadShedder):
    """Reads of an empty queue that finish only once ``released``: a slow JetStream."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cast(Bus, None), **kwargs)
        self.released = asyncio.Event()
        self.reads = 0

    async def read_depth(self) -> dict[Priority, int]:
        self.reads += 1
        await self.released.wait()
        return dict.fromkeys(Priority, 0)


async def test_a_confirmation_waits_for_a_read_issued_after_the_request() -> None:
    """Requests that came and went while a slow read was under way do not fill the bound:
    the request that finds the estimate full gets a read of its own, not the older one."""
    shedder = HeldReads(bound=8, factors={Priority.NORMAL: 0.75}, confirm_after_s=0.0)
    periodic = asyncio.create_task(shedder.read())  # issued before the requests below
    await wait_until(lambda: _true(shedder.reads == 1), within=5, what="the first read")
    for _ in range(6):  # each admitted, answered and gone while that read is under way
        assert await shedder.admit(Priority.NORMAL) is None
    seventh = asyncio.create_task(shedder.admit(Priority.NORMAL))  # runs before the read ends
    shedder.released.set()
    assert await seventh is None, "refused for requests that had already left"
    assert shedder.reads == 2
    await periodic


async def _true(value: bool) -> bool:
    return value
