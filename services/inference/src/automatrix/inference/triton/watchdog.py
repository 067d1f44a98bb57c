"""Brings the embedded Triton back when its server process dies.

Without it a killed or crashed ``tritonserver`` would leave the service up, heartbeating
its local deployments, and failing every attempt on them until someone restarted it.
Relaycore's breakers keep traffic off the deployments meanwhile; once the server is back,
a half-open probe closes them again.
"""

from __future__ import annotations

import asyncio
import logging

from prometheus_client import Counter

from automatrix.inference.triton.embedded import EmbeddedTriton
from automatrix.shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)

RESTARTS = Counter(
    "automatrix_inference_triton_restarts_total",
    "Restarts of the embedded Triton after its server process died, by outcome.",
    ["outcome"],
)


class TritonWatchdog:
    """Checks every ``interval_s`` that the server runs; restarts it, backing off on failure."""

    def __init__(
        self, triton: EmbeddedTriton, *, interval_s: float = 1.0, max_backoff_s: float = 30.0
    ) -> None:
        self.triton = triton
        self.interval_s = interval_s
        self.max_backoff_s = max_backoff_s
        self.restarts = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._watch(), name="triton-watchdog")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _watch(self) -> None:
        wait_s = self.interval_s
        while True:
            await asyncio.sleep(wait_s)
            if self.triton.server_alive:
                wait_s = self.interval_s
                continue
            log.error("the embedded Triton server is not running; restarting it")
            try:
                await asyncio.to_thread(self.triton.restart)
            except Exception:
                RESTARTS.labels("failed").inc()
                wait_s = min(self.max_backoff_s, max(wait_s, self.interval_s) * 2)
                log.exception("restarting the embedded Triton failed; next try in %.0fs", wait_s)
                continue
            self.restarts += 1
            RESTARTS.labels("ok").inc()
            wait_s = self.interval_s
            log.warning("embedded Triton restarted, serving %s", ", ".join(self.triton.models))
