"""Which id an open episode goes by when several replicas detect it: the first to claim it.

A claim is a Redis key per deployment and kind, set only if absent (SET NX) and expiring on
its own, so a replica that dies holding one blocks nothing for long. Losers adopt the
winner's id instead of publishing their own detection. With Redis unreachable every replica
keeps its own id (and JetStream still drops the duplicates that share one).
"""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from automatrix.shared.contracts import AnomalyKind

log = logging.getLogger(__name__)


class EpisodeClaims:
    """First-come claims on open episodes, in Redis."""

    def __init__(self, redis: Redis, *, namespace: str, ttl_s: float) -> None:
        self.redis = redis
        self.prefix = f"{namespace}insights:episode"
        self.ttl_s = max(1, int(ttl_s))

    async def claim(self, deployment: str, kind: AnomalyKind, anomaly_id: str) -> str:
        """The id the episode goes by: ``anomaly_id`` if this claim won, else the winner's."""
        key = self._key(deployment, kind)
        try:
            if await self.redis.set(key, anomaly_id, nx=True, ex=self.ttl_s):
                return anomaly_id
            held = await self.redis.get(key)
        except (RedisError, OSError) as exc:
            log.warning("episode claim for %s unavailable (%r): using our own id", key, exc)
            return anomaly_id
        if held is None:  # expired between the two calls
            return anomaly_id
        return _text(held)

    async def release(self, deployment: str, kind: AnomalyKind, anomaly_id: str) -> None:
        """Drop the claim if it is still this episode's, so the next episode can be claimed."""
        key = self._key(deployment, kind)
        try:
            held = await self.redis.get(key)
            if held is not None and _text(held) == anomaly_id:
                await self.redis.delete(key)
        except (RedisError, OSError) as exc:
            log.warning("episode claim %s not released (%r); it expires on its own", key, exc)

    def _key(self, deployment: str, kind: AnomalyKind) -> str:
        return f"{self.prefix}:{deployment}:{kind.value}"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
