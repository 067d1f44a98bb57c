"""Once-only handling by message id, kept in Redis beside the handler's own Redis writes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import WatchError


class AlreadyHandled(Exception):  # noqa: N818 - a control signal
    """Another delivery of the same message id completed first."""


class IdempotencyGuard:
    """Records handled message ids per consumer for ``ttl_s`` (longer than any redelivery)."""

    def __init__(self, redis: Redis, consumer: str, *, namespace: str = "", ttl_s: int = 86400):
        self.redis = redis
        self.prefix = f"{namespace}automatrix:bus:done:{consumer}:"
        self.ttl_s = ttl_s

    def key(self, message_id: str) -> str:
        return self.prefix + message_id

    async def handled(self, message_id: str) -> bool:
        """True when this message id was already handled to completion."""
        return bool(await self.redis.exists(self.key(message_id)))

    @asynccontextmanager
    async def once(self, message_id: str) -> AsyncIterator[Pipeline]:
        """Yield a transaction; the handler's Redis writes and the done-mark commit together.

        Effects written through the yielded pipeline happen exactly once. Effects elsewhere
        happen at least once, and a redelivery after completion is skipped.
        """
        key = self.key(message_id)
        async with self.redis.pipeline(transaction=True) as tx:
            await tx.watch(key)
            if await tx.exists(key):
                raise AlreadyHandled(message_id)
            tx.multi()  # type: ignore[no-untyped-call]
            yield tx
            tx.set(key, b"1", ex=self.ttl_s)
            try:
                await tx.execute()
            except WatchError as exc:
                raise AlreadyHandled(message_id) from exc
