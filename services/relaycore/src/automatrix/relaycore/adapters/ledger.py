"""Shared in-flight accounting in Redis: capacity slots with leases, and each request's attempt.

Every relaycore replica takes a deployment's slot through one Lua script, so the concurrency
limit holds across replicas. A slot is a sorted-set member (the request id) scored by its
lease expiry: a replica that dies holding slots loses them when the leases run out, not
forever. The same script records the attempt the slot is for, so a request redelivered
after a crash is dispatched again as the very same attempt (and JetStream de-duplicates it).
Slots are taken a scheduling pass at a time, and the releases and settlements of one event-loop
turn share one script call (``Coalescer``).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from automatrix.relaycore.adapters.coalesce import MAX_BATCH, Coalescer
from automatrix.shared.contracts import FailedAttempt, InferenceRequested

log = logging.getLogger(__name__)

# Each script serves a batch (a scheduling pass, or the calls of one loop turn: coalesce.py).
# KEYS: per acquisition, its slots zset and attempt hash.
# ARGV: now, then per acquisition: request id, limit, lease until, attempt, deployment,
#       request json, history json, ttl ms, failure id the attempt follows ("" for the first).
# Returns per acquisition: {slots taken now, deployment}, {-1, ""} (full) or
#       {-2, deployment of the recorded attempt} (this attempt or a later one was placed).
_ACQUIRE = """
local out = {}
for i = 1, #KEYS, 2 do
  local slots, record, a = KEYS[i], KEYS[i + 1], 1 + (i - 1) / 2 * 9
  redis.call('ZREMRANGEBYSCORE', slots, '-inf', ARGV[1])
  local current = tonumber(redis.call('HGET', record, 'attempt') or '0')
  if current >= tonumber(ARGV[a + 4]) then
    out[#out + 1] = -2
    out[#out + 1] = redis.call('HGET', record, 'deployment')
  elseif not redis.call('ZSCORE', slots, ARGV[a + 1])
      and redis.call('ZCARD', slots) >= tonumber(ARGV[a + 2]) then
    out[#out + 1] = -1
    out[#out + 1] = ''
  else
    redis.call('ZADD', slots, ARGV[a + 3], ARGV[a + 1])
    redis.call('HSET', record, 'attempt', ARGV[a + 4], 'deployment', ARGV[a + 5],
               'request', ARGV[a + 6], 'history', ARGV[a + 7], 'after_failure', ARGV[a + 9])
    redis.call('PEXPIRE', record, ARGV[a + 8])
    out[#out + 1] = redis.call('ZCARD', slots)
    out[#out + 1] = ARGV[a + 5]
  end
end
return out
"""

# KEYS: per completion, its attempt hash and the slots zset of the deployment that answered.
# ARGV: per completion, request id and that deployment.
# Returns per completion: {attempt, request json} when the recorded attempt was on that
#       deployment (slot released, record dropped), else {false, false}: already settled.
_SETTLE = """
local out = {}
for i = 1, #KEYS, 2 do
  local record, slots = KEYS[i], KEYS[i + 1]
  local fields = redis.call('HMGET', record, 'deployment', 'attempt', 'request')
  if fields[1] == ARGV[i + 1] then
    redis.call('ZREM', slots, ARGV[i])
    redis.call('DEL', record)
    out[#out + 1] = fields[2]
    out[#out + 1] = fields[3]
  else
    out[#out + 1] = false
    out[#out + 1] = false
  end
end
return out
"""

# KEYS: slots zsets; ARGV: the request id to take out of each.
_RELEASE = """
for i = 1, #KEYS do
  redis.call('ZREM', KEYS[i], ARGV[i])
end
return #KEYS
"""

# KEYS: slots zsets; ARGV: now. Returns the live slots of each.
_COUNT = """
local out = {}
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[1])
  out[i] = redis.call('ZCARD', KEYS[i])
end
return out
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


@dataclass(frozen=True, slots=True)
class Settled:
    """A completed attempt, retired: its slot released and its record dropped."""

    request: InferenceRequested
    attempt: int


@dataclass(frozen=True, slots=True)
class SlotClaim:
    """A slot to take on ``deployment`` for one attempt of ``request``."""

    deployment: str
    limit: int
    request: InferenceRequested
    attempt: int
    history: list[FailedAttempt]
    lease_s: float
    after_failure: str = ""


class Ledger:
    """Capacity slots per deployment and the attempt record per request, in Redis."""

    def __init__(self, redis: Redis, *, namespace: str = "", timeout_s: float = 5.0) -> None:
        self.redis = redis
        """Best without a socket timeout (``ledger_client``): ``timeout_s`` bounds each call."""
        self.timeout_s = timeout_s
        self.prefix = f"{namespace}automatrix:relay:"
        self._acquire_script = redis.register_script(_ACQUIRE)
        self._settle_script = redis.register_script(_SETTLE)
        self._release_script = redis.register_script(_RELEASE)
        self._count = redis.register_script(_COUNT)
        self._settlements: Coalescer[tuple[str, str], Settled | None] = Coalescer(self._settle_all)
        self._releases: Coalescer[tuple[str, str], None] = Coalescer(self._release_all)

    def _slots(self, deployment: str) -> str:
        return f"{self.prefix}slots:{deployment}"

    def _attempt(self, request_id: str) -> str:
        return f"{self.prefix}attempt:{request_id}"

    async def acquire_all(
        self, claims: Sequence[SlotClaim]
    ) -> list[Acquired | Full | AlreadyPlaced]:
        """Take each claimed slot and record its attempt, atomically, in one round trip."""
        results: list[Acquired | Full | AlreadyPlaced] = []
        for start in range(0, len(claims), MAX_BATCH):
            results += await self._acquire_batch(claims[start : start + MAX_BATCH])
        return results

    async def _acquire_batch(
        self, claims: Sequence[SlotClaim]
    ) -> list[Acquired | Full | AlreadyPlaced]:
        now = time.time()
        keys: list[str] = []
        args: list[str | int | float] = [now]
        for claim in claims:
            keys += (self._slots(claim.deployment), self._attempt(claim.request.request_id))
            args += (
                claim.request.request_id,
                claim.limit,
                now + claim.lease_s,
                claim.attempt,
                claim.deployment,
                claim.request.model_dump_json(),
                json.dumps([h.model_dump(mode="json") for h in claim.history]),
                int(max(claim.lease_s, 1.0) * 1000),
                claim.after_failure,
            )
        async with asyncio.timeout(self.timeout_s):
            reply: list[Any] = await self._acquire_script(keys=keys, args=args)
        results: list[Acquired | Full | AlreadyPlaced] = []
        for code, deployment in zip(reply[::2], reply[1::2], strict=True):
            if code == -1:
                results.append(Full())
            elif code == -2:
                results.append(AlreadyPlaced(_text(deployment)))
            else:
                results.append(Acquired(int(code)))
        return results

    async def release(self, deployment: str, request_id: str) -> None:
        """Give back the slot a request held on ``deployment`` (idempotent)."""
        await self._releases.call((self._slots(deployment), request_id))

    def release_soon(self, deployment: str, request_id: str) -> asyncio.Future[None]:
        """``release`` without waiting for it; a failure is logged (the lease still ends it)."""
        released = self._releases.submit((self._slots(deployment), request_id))
        released.add_done_callback(functools.partial(_log_failed_release, deployment, request_id))
        return released

    async def _release_all(self, releases: Sequence[tuple[str, str]]) -> list[None]:
        async with asyncio.timeout(self.timeout_s):
            await self._release_script(
                keys=[slots for slots, _ in releases],
                args=[request_id for _, request_id in releases],
            )
        return [None] * len(releases)

    async def settle(self, request_id: str, deployment: str) -> Settled | None:
        """Retire a completed attempt on ``deployment``; None: not the attempt out (settled)."""
        return await self._settlements.call((request_id, deployment))

    async def _settle_all(self, completions: Sequence[tuple[str, str]]) -> list[Settled | None]:
        keys: list[str] = []
        args: list[str] = []
        for request_id, deployment in completions:
            keys += (self._attempt(request_id), self._slots(deployment))
            args += (request_id, deployment)
        async with asyncio.timeout(self.timeout_s):
            reply: list[Any] = await self._settle_script(keys=keys, args=args)
        return [
            None
            if attempt is None
            else Settled(InferenceRequested.model_validate_json(request), int(attempt))
            for attempt, request in zip(reply[::2], reply[1::2], strict=True)
        ]

    async def forget(self, request_id: str) -> None:
        """Drop a request's attempt record once it has its final answer."""
        async with asyncio.timeout(self.timeout_s):
            await self.redis.delete(self._attempt(request_id))

    async def record(self, request_id: str) -> AttemptRecord | None:
        """The attempt out for ``request_id``, if any."""
        async with asyncio.timeout(self.timeout_s):
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
        async with asyncio.timeout(self.timeout_s):
            counts: list[Any] = await self._count(
                keys=[self._slots(name) for name in deployments], args=[time.time()]
            )
        return {name: int(count) for name, count in zip(deployments, counts, strict=True)}


def ledger_client(url: str, *, connect_timeout_s: float = 5.0) -> Redis:
    """A Redis client for the ledger: no socket timeout, the ledger bounds its calls itself.

    redis-py puts a write under ``socket_timeout`` through ``asyncio.wait_for``, which on
    Python 3.11 runs every command's send as a task of its own: two more event-loop turns
    between a decision and its dispatch.
    """
    return Redis.from_url(url, socket_timeout=None, socket_connect_timeout=connect_timeout_s)


def _log_failed_release(deployment: str, request_id: str, done: asyncio.Future[None]) -> None:
    if not done.cancelled() and (exc := done.exception()) is not None:
        log.warning("could not release %s on %s: %r", request_id, deployment, exc)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
