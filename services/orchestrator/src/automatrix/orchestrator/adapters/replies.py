"""What comes back to this gateway instance: results on its own subject, chunks per request.

Each instance names itself as the requester (``ai.v1.results.<token>``) and listens with a
core-NATS subscription: a result that arrives while nobody waits is of no use to a client
that already gave up, and the AI_RESULTS stream keeps it for anyone who audits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from pydantic import ValidationError

from automatrix.shared.bus import Bus
from automatrix.shared.contracts import (
    RESULTS,
    STREAM,
    InferenceCompleted,
    InferenceFailed,
    StreamChunk,
    parse_result,
)

log = logging.getLogger(__name__)

Result = InferenceCompleted | InferenceFailed


@dataclass(eq=False)
class ChunkStream:
    """The chunks of one streamed request, in order, ending with the final chunk or a failure."""

    request_id: str
    result: asyncio.Future[Result]
    queue: asyncio.Queue[StreamChunk] = field(default_factory=asyncio.Queue)
    subscription: Subscription | None = None
    next_index: int = 0

    async def chunks(self) -> AsyncIterator[StreamChunk | InferenceFailed]:
        """Chunks until the one with a finish reason; a failure ends the stream instead."""
        while True:
            get = asyncio.ensure_future(self.queue.get())
            waits: set[asyncio.Future[Any]] = {get, self.result}
            done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            if get not in done:
                get.cancel()
                outcome = self.result.result()
                if isinstance(outcome, InferenceFailed):
                    yield outcome
                    return
                # Completed: the final chunk may still be in flight; drain what came.
                while not self.queue.empty():
                    chunk = self.queue.get_nowait()
                    if self._fresh(chunk):
                        yield chunk
                        if chunk.finish_reason is not None:
                            return
                return
            chunk = get.result()
            if not self._fresh(chunk):
                continue  # a retry restarting from 0 after a failed attempt's chunks
            yield chunk
            if chunk.finish_reason is not None:
                return

    def _fresh(self, chunk: StreamChunk) -> bool:
        if chunk.index < self.next_index:
            return False
        self.next_index = chunk.index + 1
        return True


class Replies:
    """Futures for the results this instance waits for, and chunk streams."""

    def __init__(self, bus: Bus, token: str) -> None:
        self.bus = bus
        self.token = token
        self._waiting: dict[str, asyncio.Future[Result]] = {}
        self._subscription: Subscription | None = None

    async def start(self) -> None:
        self._subscription = await self.bus.nc.subscribe(
            RESULTS.format(requester=self.token), cb=self._on_result
        )

    async def stop(self) -> None:
        if self._subscription is not None:
            await self._subscription.unsubscribe()
            self._subscription = None
        for future in self._waiting.values():
            if not future.done():
                future.cancel()
        self._waiting.clear()

    def expect(self, request_id: str) -> asyncio.Future[Result]:
        """Register before publishing, so a fast result is never missed."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting[request_id] = future
        future.add_done_callback(lambda _: self._waiting.pop(request_id, None))
        return future

    async def open_stream(self, request_id: str) -> ChunkStream:
        """Subscribe to a request's chunks (before publishing it) and to its result."""
        stream = ChunkStream(request_id, self.expect(request_id))

        async def on_chunk(msg: Msg) -> None:
            try:
                stream.queue.put_nowait(StreamChunk.parse(msg.data))
            except ValidationError as exc:
                log.warning("unreadable chunk for %s: %s", request_id, exc)

        stream.subscription = await self.bus.nc.subscribe(
            STREAM.format(request_id=request_id), cb=on_chunk
        )
        return stream

    @staticmethod
    async def close_stream(stream: ChunkStream) -> None:
        if stream.subscription is not None:
            await stream.subscription.unsubscribe()
            stream.subscription = None
        if not stream.result.done():
            stream.result.cancel()

    async def _on_result(self, msg: Msg) -> None:
        try:
            result = parse_result(msg.data)
        except ValidationError as exc:
            log.warning("unreadable result on %s: %s", msg.subject, exc)
            return
        future = self._waiting.get(result.request_id)
        if future is not None and not future.done():
            future.set_result(result)
