"""Request volume per deployment and time bucket, kept in Redis for every replica to read.

Replicas share one telemetry consumer, so each sees only part of the traffic; counting in
Redis (HINCRBY, batched per flush) gives every replica the whole volume, and it outlives
restarts, which a forecast with a daily season needs. One hash per deployment and day-long
partition, expiring after the retention: nothing to trim. Counts not yet flushed are lost if
the process dies (at most one flush interval of them); a failed flush keeps them for the next.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

PARTITION_S = 86_400.0
MAX_PENDING = 100_000
"""Bucket cells held while Redis is unreachable; past it the oldest are dropped (logged)."""


@dataclass
class BucketTotals:
    """What one deployment did in one bucket."""

    requests: int = 0
    errors: int = 0
    latency_sum_ms: float = 0.0
    latency_count: int = 0


@dataclass(frozen=True)
class VolumeSeries:
    """Contiguous buckets ``first .. first + len - 1`` of one deployment (0 where idle)."""

    first: int
    requests: list[float]
    errors: list[float]
    latency_sum_ms: list[float]
    latency_count: list[float]

    def mean_latency_ms(self, last: int | None = None) -> float | None:
        """Mean latency over the last ``last`` buckets (all by default), if any was measured."""
        sums = self.latency_sum_ms[-last:] if last else self.latency_sum_ms
        counts = self.latency_count[-last:] if last else self.latency_count
        total = sum(counts)
        return sum(sums) / total if total else None


class VolumeStore:
    """Counts per deployment and bucket: recorded in memory, flushed to Redis in batches."""

    def __init__(
        self, redis: Redis, *, namespace: str, bucket_s: float, retention_s: float
    ) -> None:
        if bucket_s <= 0 or retention_s < bucket_s:
            raise ValueError("bucket_s must be positive and retention_s at least one bucket")
        self.redis = redis
        self.prefix = f"{namespace}insights:volume"
        self.bucket_s = bucket_s
        self.retention_s = retention_s
        self.per_partition = max(1, int(PARTITION_S // bucket_s))
        self._pending: dict[tuple[str, int], BucketTotals] = defaultdict(BucketTotals)
        self._groups: dict[str, str] = {}
        self._new_groups: dict[str, str] = {}

    def bucket(self, at: float) -> int:
        """Index of the bucket holding epoch time ``at``."""
        return math.floor(at / self.bucket_s)

    def record(
        self,
        deployment: str,
        at: float,
        *,
        latency_ms: float | None,
        failed: bool,
        model_group: str | None = None,
    ) -> None:
        totals = self._pending[(deployment, self.bucket(at))]
        totals.requests += 1
        totals.errors += failed
        if latency_ms is not None:
            totals.latency_sum_ms += latency_ms
            totals.latency_count += 1
        if model_group and self._groups.get(deployment) != model_group:
            self._groups[deployment] = model_group
            self._new_groups[deployment] = model_group
        if len(self._pending) > MAX_PENDING:
            oldest = min(self._pending, key=lambda cell: cell[1])
            log.warning("volume: Redis unreachable too long; dropping bucket %s", oldest)
            del self._pending[oldest]

    async def flush(self) -> None:
        """Add what was recorded since the last flush to Redis; keep it on failure."""
        if not self._pending and not self._new_groups:
            return
        pending, self._pending = self._pending, defaultdict(BucketTotals)
        groups, self._new_groups = self._new_groups, {}
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for (deployment, bucket), totals in pending.items():
                    key = self._key(deployment, bucket // self.per_partition)
                    pipe.hincrby(key, f"{bucket}:n", totals.requests)
                    if totals.errors:
                        pipe.hincrby(key, f"{bucket}:e", totals.errors)
                    if totals.latency_count:
                        pipe.hincrbyfloat(key, f"{bucket}:ls", totals.latency_sum_ms)
                        pipe.hincrby(key, f"{bucket}:lc", totals.latency_count)
                    pipe.expire(key, int(self.retention_s + PARTITION_S))
                for deployment in {deployment for deployment, _ in pending}:
                    pipe.sadd(f"{self.prefix}:deployments", deployment)
                for deployment, group in groups.items():
                    pipe.hset(f"{self.prefix}:groups", deployment, group)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            log.warning("volume: flush to Redis failed (%r); retrying at the next flush", exc)
            for cell, totals in pending.items():
                merged = self._pending[cell]
                merged.requests += totals.requests
                merged.errors += totals.errors
                merged.latency_sum_ms += totals.latency_sum_ms
                merged.latency_count += totals.latency_count
            self._new_groups = {**groups, **self._new_groups}

    async def deployments(self) -> dict[str, str | None]:
        """Every deployment with recorded volume, and its model group when known."""
        names = await self.redis.smembers(f"{self.prefix}:deployments")
        groups = await self.redis.hgetall(f"{self.prefix}:groups")
        by_name = {_text(k): _text(v) for k, v in groups.items()}
        return {_text(name): by_name.get(_text(name)) for name in sorted(names)}

    async def series(self, deployment: str, *, last: int, buckets: int) -> VolumeSeries:
        """The ``buckets`` buckets ending with bucket ``last`` (inclusive)."""
        first = last - buckets + 1
        cells: dict[str, float] = {}
        for partition in range(first // self.per_partition, last // self.per_partition + 1):
            raw = await self.redis.hgetall(self._key(deployment, partition))
            cells.update({_text(k): float(v) for k, v in raw.items()})

        def column(suffix: str) -> list[float]:
            return [cells.get(f"{b}:{suffix}", 0.0) for b in range(first, last + 1)]

        return VolumeSeries(first, column("n"), column("e"), column("ls"), column("lc"))

    def _key(self, deployment: str, partition: int) -> str:
        return f"{self.prefix}:{deployment}:{partition}"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
