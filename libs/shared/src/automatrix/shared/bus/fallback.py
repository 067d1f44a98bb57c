"""Redis Streams fallback: events NATS would not take wait here, in order, until replayed."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis
from redis.exceptions import RedisError
from redis.typing import EncodableT, FieldT

from automatrix.shared.bus import metrics
from automatrix.shared.bus.headers import REPLAYED

log = logging.getLogger(__name__)

JetStreamPublish = Callable[[str, bytes, dict[str, str], str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class FallbackEntry:
    """One event as it would have gone to JetStream: subject, stream, payload and headers."""

    subject: str
    stream: str
    payload: bytes
    headers: dict[str, str]

    def fields(self) -> dict[FieldT, EncodableT]:
        return {
            "subject": self.subject,
            "stream": self.stream,
            "payload": self.payload,
            "headers": json.dumps(self.headers),
        }

    @classmethod
    def from_fields(cls, fields: dict[bytes, bytes]) -> FallbackEntry:
        return cls(
            subject=fields[b"subject"].decode(),
            stream=fields[b"stream"].decode(),
            payload=fields[b"payload"],
            headers=json.loads(fields[b"headers"]),
        )


class FallbackStore:
    """The Redis stream holding events in the order they failed to reach NATS."""

    def __init__(self, redis: Redis, *, namespace: str = "") -> None:
        self.redis = redis
        self.key = f"{namespace}automatrix:bus:fallback"
        self.lock_key = f"{self.key}:replayer"

    async def store(self, entry: FallbackEntry) -> str:
        """Append an event; raises ``RedisError`` when Redis is down too."""
        entry_id = await self.redis.xadd(self.key, entry.fields())
        metrics.FALLBACK_STORED.inc()
        return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)

    async def pending(self) -> int:
        return int(await self.redis.xlen(self.key))

    async def oldest(self, count: int) -> list[tuple[bytes, FallbackEntry]]:
        rows = cast(
            list[tuple[bytes, dict[bytes, bytes]]],
            await self.redis.xrange(self.key, "-", "+", count=count),
        )
        return [(entry_id, FallbackEntry.from_fields(fields)) for entry_id, fields in rows]

    async def remove(self, entry_ids: list[bytes]) -> None:
        if entry_ids:
            await self.redis.xdel(self.key, *entry_ids)

    async def lead(self, owner: str, ttl_ms: int) -> bool:
        """Take or keep the replayer lease, so one process replays and order holds."""
        if await self.redis.set(self.lock_key, owner, nx=True, px=ttl_ms):
            return True
        if await self.redis.get(self.lock_key) == owner.encode():
            await self.redis.pexpire(self.lock_key, ttl_ms)
            return True
        return False


class Replayer:
    """Moves fallback events into JetStream, oldest first, whenever NATS is reachable."""

    def __init__(
        self,
        store: FallbackStore,
        publish: JetStreamPublish,
        connected: Callable[[], bool],
        *,
        interval_s: float = 1.0,
        batch: int = 256,
    ) -> None:
        self.store = store
        self.publish = publish
        self.connected = connected
        self.interval_s = interval_s
        self.batch = batch
        self.owner = uuid.uuid4().hex
        self.drained = asyncio.Event()
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Ask for a replay pass now (e.g. on reconnect)."""
        self._wake.set()

    async def replay_once(self) -> int:
        """Replay until the fallback is empty or NATS fails; returns how many were moved."""
        moved = 0
        while self.connected():
            rows = await self.store.oldest(self.batch)
            if not rows:
                self.drained.set()
                break
            done: list[bytes] = []
            try:
                for entry_id, entry in rows:
                    headers = {**entry.headers, REPLAYED: "1"}
                    await self.publish(entry.subject, entry.payload, headers, entry.stream)
                    done.append(entry_id)
            finally:
                await self.store.remove(done)
                moved += len(done)
                metrics.FALLBACK_REPLAYED.inc(len(done))
        metrics.FALLBACK_PENDING.set(await self.store.pending())
        return moved

    async def run(self) -> None:
        """Replay loop; errors are logged and retried on the next tick."""
        ttl_ms = int(max(self.interval_s * 10, 5.0) * 1000)
        while True:
            try:
                if self.connected() and await self.store.lead(self.owner, ttl_ms):
                    moved = await self.replay_once()
                    if moved:
                        log.info("replayed %d fallback events into JetStream", moved)
                elif not self.drained.is_set() and await self.store.pending() == 0:
                    # Another process holds the lease and has replayed what this one stored.
                    self.drained.set()
            except (RedisError, OSError) as exc:
                log.warning("fallback replay paused: %s", exc)
            except Exception:
                log.exception("fallback replay failed; retrying")
            self._wake.clear()
            # asyncio.timeout, not wait_for: on 3.11 wait_for can turn a cancel into a timeout.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.interval_s):
                    await self._wake.wait()
