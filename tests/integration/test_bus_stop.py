"""Stopping a bus never hangs on a handler that does not return; its message comes back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.contracts import TELEMETRY, TelemetryEvent
from automatrix.shared.settings import BusSettings


async def test_a_stuck_handler_is_cancelled_at_stop_and_redelivered(
    bus_settings: Callable[..., BusSettings],
) -> None:
    settings = bus_settings(bus_drain_timeout_s=0.5, bus_ack_wait_s=2.0)
    spec = ConsumerSpec.on(TELEMETRY, "stuck-test", service="t", kind="request")
    started = asyncio.Event()

    async def stuck(_: TelemetryEvent, __: Delivery) -> None:
        started.set()
        await asyncio.Event().wait()  # never returns

    first = Bus(settings, name="stuck-1")
    first.subscribe(spec, TelemetryEvent, stuck, batch=1)
    await first.start()
    event = TelemetryEvent.example(service="t", kind="request")
    await first.publish(event)
    async with asyncio.timeout(10):
        await started.wait()
    async with asyncio.timeout(5):  # drain waits 0.5 s, then cancels
        await first.stop()

    received: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def served(again: TelemetryEvent, _: Delivery) -> None:
        if not received.done():
            received.set_result(again.message_id)

    second = Bus(settings, name="stuck-2")
    second.subscribe(spec, TelemetryEvent, served, batch=1)
    async with second:
        async with asyncio.timeout(15):
            assert await received == event.message_id
