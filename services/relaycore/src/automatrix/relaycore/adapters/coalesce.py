"""Calls made in one turn of the event loop, sent to a server as one round trip."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_BATCH = 128
"""Most calls in one round trip: a Lua script blocks Redis while it runs."""


class Coalescer(Generic[T, R]):
    """Gathers the calls of one loop turn and sends them through ``send`` together.

    In the profile of ``bench/router.py`` a redis-py call cost ~70 µs of CPU alone and one
    carrying ten operations ~20 µs per operation; the router releases slots and retires
    attempts from many tasks at once (the results of one fetch, one burst of result copies).
    """

    def __init__(self, send: Callable[[Sequence[T]], Awaitable[Sequence[R]]]) -> None:
        self._send = send
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._flushing: set[asyncio.Task[None]] = set()

    async def call(self, item: T) -> R:
        """Send ``item`` with the other calls of this loop turn; its own result."""
        return await self.submit(item)

    def submit(self, item: T) -> asyncio.Future[R]:
        """Queue ``item`` for this loop turn's round trip; its result, to await or not."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        if not self._pending:
            loop.call_soon(self._flush)
        self._pending.append((item, future))
        return future

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        for start in range(0, len(pending), MAX_BATCH):
            task = asyncio.create_task(self._round_trip(pending[start : start + MAX_BATCH]))
            self._flushing.add(task)
            task.add_done_callback(self._flushing.discard)

    async def _round_trip(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self._send([item for item, _ in batch])
        except Exception as exc:
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        except BaseException:
            for _, future in batch:
                future.cancel()
            raise
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
