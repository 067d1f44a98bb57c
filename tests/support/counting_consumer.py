"""A consumer process for fault tests: records each handled message id in Redis, once.

Run: ``python -m tests.support.counting_consumer DURABLE EFFECTS_KEY`` with NATS_URL,
REDIS_URL and BUS_NAMESPACE in the environment. The effect (RPUSH of the message id) is
written through the delivery's transaction, so it commits together with the done-mark.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.contracts import TELEMETRY, TelemetryEvent
from automatrix.shared.settings import BusSettings


async def main(durable: str, effects_key: str) -> None:
    settings = BusSettings()
    bus = Bus(settings, name=f"counting-{durable}")

    async def record(event: TelemetryEvent, delivery: Delivery) -> None:
        assert delivery.tx is not None
        delivery.tx.rpush(effects_key, event.message_id)

    bus.subscribe(
        ConsumerSpec.on(TELEMETRY, durable), TelemetryEvent, record, idempotent=True, batch=128
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await bus.start()
    print("consuming", flush=True)
    await stop.wait()
    await bus.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
