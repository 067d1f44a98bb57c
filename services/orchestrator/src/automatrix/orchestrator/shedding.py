"""Load shedding: refuse new work with 503 + Retry-After once too much is already queued.

The depth is what waits in JetStream for relaycore (each priority's shared consumer:
pending plus taken but not yet acknowledged), read every ``interval_s`` rather than per
request. Requests admitted since a read are counted on top of it, so a flood between two
reads cannot overshoot the bound; and a request that finds that estimate at the bound has
it confirmed by a read issued after it came, so traffic that drains as fast as it comes is
never refused for what the estimate could not see leave (a read already under way, issued
before, may not have seen those requests leave: it is waited for, then read again). Each
priority has its own share of the bound, so low is shed first and critical last.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping

import nats.errors
import nats.js.errors

from automatrix.orchestrator import metrics
from automatrix.shared.bus import Bus
from automatrix.shared.bus.topology import relay_request_consumer
from automatrix.shared.contracts import REQUESTS, Priority
from automatrix.shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)


class LoadShedder:
    """Knows the queue depth per priority and whether a new request of a level may enter."""

    def __init__(
        self,
        bus: Bus,
        *,
        bound: int,
        factors: Mapping[Priority, float],
        interval_s: float = 0.25,
        confirm_after_s: float = 0.02,
    ) -> None:
        self.bus = bus
        self.bound = bound
        self.factors = dict(factors)
        self.interval_s = interval_s
        self.confirm_after_s = confirm_after_s
        self.depth: dict[Priority, int] = dict.fromkeys(Priority, 0)
        """Per level, as last read."""
        self._since_read = 0
        """Admitted since the last read was issued (the read cannot have seen them)."""
        self._read_at = 0.0
        self._reading: asyncio.Task[None] | None = None
        self._task: asyncio.Task[None] | None = None

    def total(self) -> int:
        return sum(self.depth.values()) + self._since_read

    async def admit(self, level: Priority) -> float | None:
        """None to admit; else the seconds a client should wait before retrying."""
        limit = self.bound * self.factors.get(level, 1.0)
        now = time.monotonic()
        if self.total() >= limit and now - self._read_at >= self.confirm_after_s:
            await self.read(issued_after=now)
        total = self.total()
        if total < limit:
            self._since_read += 1
            return None
        metrics.SHED.labels(level.value).inc()
        return min(30.0, 1.0 + (total - limit) / max(1.0, self.bound / 10))

    async def read(self, *, issued_after: float | None = None) -> None:
        """Read the depth now, or wait for the read under way (if it was issued after
        ``issued_after``, else for it and then a new one); a failed read keeps the last."""

        def older() -> bool:
            return issued_after is not None and self._read_at < issued_after

        reading = self._reading
        if reading is not None and not reading.done() and older():
            with contextlib.suppress(Exception):
                await asyncio.shield(reading)  # it settles the admissions it counted
        if self._reading is None or self._reading.done() or older():
            issued, self._read_at = self._since_read, time.monotonic()
            self._reading = asyncio.create_task(self.refresh(issued), name="queue-depth-read")
        try:
            await asyncio.shield(self._reading)
        except Exception:
            log.exception("could not read the queue depth")

    async def refresh(self, issued: int) -> None:
        """Read the depth of every level; ``issued``: the admissions counted when it began."""
        self.depth = await self.read_depth()
        self._since_read -= issued

    async def read_depth(self) -> dict[Priority, int]:
        """What waits for relaycore per level, from JetStream (the last value where unread)."""
        stream = REQUESTS.stream or ""
        depth = dict(self.depth)
        for level in Priority:
            try:
                info = await self.bus.js.consumer_info(
                    stream, relay_request_consumer(level.value).durable
                )
            except (nats.js.errors.NotFoundError, nats.errors.Error, TimeoutError):
                continue  # relaycore not started yet: nothing is queued for it either
            depth[level] = int(info.num_pending or 0) + int(info.num_ack_pending or 0)
            metrics.QUEUE_DEPTH.labels(level.value).set(depth[level])
        return depth

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="queue-depth")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            await self.read()
            await asyncio.sleep(self.interval_s)
