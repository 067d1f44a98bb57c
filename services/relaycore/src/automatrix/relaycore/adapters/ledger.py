"""Shared in-flight accounting in Redis: capacity slots with leases, and each request's attempt.

Every relaycore replica takes a deployment's slot through one Lua script, so the concurrency
limit holds across replicas. A slot is a sorted-set member (the request id) scored by its
lease expiry: a replica that dies holding slots loses them when the leases run out, not
forever. The same script records the attempt the slot is for, so a request redelivered
after a crash is dispatched again as the very same attempt (and JetStream de-duplicates it).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from automatrix.shared.contracts import FailedAttempt, InferenceRequested

# KEYS: slots zset, attempt hash.
# ARGV: now, request id, limit, lease until, attempt, deployment, request json, history json,
#       ttl ms, failure id the attempt follows ("" for the first).
_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local current = tonumber(redis.call('HGET', KEYS[2], 'attempt') or '0')
if current >= tonumber(ARGV[5]) then
  return {-2, redis.call('HGET', KEYS[2], 'deployment')}
end
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
    return {-1, ''}
  end
end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
redis.call('HSET', KEYS[2], 'attempt', ARGV[5], 'deployment', ARGV[6], 'request', ARGV[7],
           'history', ARGV[8], 'after_failure', ARGV[10])
redis.call('PEXPIRE', KEYS[2], ARGV[9])
return {redis.call('ZCARD', KEYS[1]), ARGV[6]}
"""

_COUNT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZCARD', KEYS[1])
"""


@dataclass(frozen=True, slots=True)
class Acquired:
    """A slot taken: ``inflight`` counts it."""

    inflight: int


@dataclass(frozen=True, slots=True)
class Full:
    """The deployment is at its concurrency limit."""


@dataclass(frozen=True, slots=True)
class AlreadyPlaced:
    """This attempt (or a later one) was placed before, on ``deployment``: a redelivery."""

    deployment: str


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """The attempt of a request currently out with a deployment."""

    request: InferenceRequested
    attempt: int
    deployment: str
    history: list[FailedAttempt]
    after_failure: str


class Ledger:
    """Capacity slots per deployment and the attempt record per request, in Redis."""

    def __init__(self, redis: Redis, *, namespace: str = "") -> None:
        self.redis = redis
        self.prefix = f"{namespace}automatrix:relay:"
        self._acquire = redis.register_script(_ACQUIRE)
        self._count = redis.register_script(_COUNT)

    def _slots(self, deployment: str) -> str:
        return f"{self.prefix}slots:{deployment}"

    def _attempt(self, request_id: str) -> str:
        return f"{self.prefix}attempt:{request_id}"

    async def acquire(
        self,
        *,
        deployment: str,
        limit: int,
        request: InferenceRequested,
        attempt: int,
        history: list[FailedAttempt],
        lease_s: float,
        after_failure: str = "",
    ) -> Acquired | Full | AlreadyPlaced:
        """Take a slot on ``deployment`` for this attempt and record the attempt, atomically."""
        now = time.time()
        history_json = json.dumps([h.model_dump(mode="json") for h in history])
        ttl_ms = int(max(lease_s, 1.0) * 1000)
        result: list[Any] = await self._acquire(
            keys=[self._slots(deployment), self._attempt(request.request_id)],
            args=[
                now,
                request.request_id,
                limit,
                now + lease_s,
                attempt,
                deployment,
                request.model_dump_json(),
                history_json,
                ttl_ms,
                after_failure,
            ],
        )
        code = int(result[0])
        if code == -1:
            return Full()
        if code == -2:
            return AlreadyPlaced(_text(result[1]))
        return Acquired(code)

    async def release(self, deployment: str, request_id: str) -> None:
        """Give back the slot a request held on ``deployment`` (idempotent)."""
        await self.redis.zrem(self._slots(deployment), request_id)

    async def forget(self, request_id: str) -> None:
        """Drop a request's attempt record once it has its final answer."""
        await self.redis.delete(self._attempt(request_id))

    async def record(self, request_id: str) -> AttemptRecord | None:
        """The attempt out for ``request_id``, if any."""
        fields = await self.redis.hgetall(self._attempt(request_id))
        if not fields:
            return None
        values = {_text(k): _text(v) for k, v in fields.items()}
        return AttemptRecord(
            request=InferenceRequested.model_validate_json(values["request"]),
            attempt=int(values["attempt"]),
            deployment=values["deployment"],
            history=[FailedAttempt.model_validate(h) for h in json.loads(values["history"])],
            after_failure=values.get("after_failure", ""),
        )

    async def inflight(self, deployments: list[str]) -> dict[str, int]:
        """Slots held now on each deployment (expired leases dropped)."""
        now = time.time()
        async with self.redis.pipeline(transaction=False) as pipe:
            for name in deployments:
                await self._count(keys=[self._slots(name)], args=[now], client=pipe)
            counts = await pipe.execute()
        return {name: int(count) for name, count in zip(deployments, counts, strict=True)}


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
