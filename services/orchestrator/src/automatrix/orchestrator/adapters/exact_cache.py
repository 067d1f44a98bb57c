"""Exact-match response cache in Redis: one key per request hash, expiring with PX."""

from __future__ import annotations

import math

from redis.asyncio import Redis

KEY_PREFIX = "automatrix:cache:exact:"


class ExactCache:
    """Opaque cached payloads by exact request key, one Redis round trip per call."""

    def __init__(self, redis: Redis, *, namespace: str = "") -> None:
        self._redis = redis
        self._prefix = f"{namespace}{KEY_PREFIX}"

    def redis_key(self, key: str) -> str:
        """The Redis key an entry is stored under."""
        return self._prefix + key

    async def get(self, key: str) -> bytes | None:
        """The cached payload, or None on a miss."""
        value = await self._redis.get(self.redis_key(key))
        if isinstance(value, str):
            raise TypeError("ExactCache got text from Redis; the client must not decode responses")
        return value

    async def put(self, key: str, value: bytes, *, ttl_s: float) -> None:
        """Store ``value`` for ``ttl_s`` seconds (rounded up to whole milliseconds)."""
        if ttl_s <= 0:
            raise ValueError(f"ttl_s must be positive, got {ttl_s}")
        await self._redis.set(self.redis_key(key), value, px=math.ceil(ttl_s * 1000))

    async def delete(self, key: str) -> None:
        """Forget the entry, if any."""
        await self._redis.delete(self.redis_key(key))
