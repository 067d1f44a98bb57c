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

import nats.js.errors
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
        self.unreplayable_key = f"{self.key}:unreplayable"
        self._lead = redis.register_script(_LEAD)

    async def store(self, entry: FallbackEntry) -> str:
        """Append an event; raises ``RedisError`` when Redis is down too."""
        entry_id = await self.redis.xadd(self.key, entry.fields())
        metrics.FALLBACK_STORED.inc()
        return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)

    async def pending(self) -> int:
        return int(await self.redis.xlen(self.key))

    async def oldest(self, count: int) -> list[tuple[bytes, dict[bytes, bytes]]]:
        return cast(
            list[tuple[bytes, dict[bytes, bytes]]],
            await self.redis.xrange(self.key, "-", "+", count=count),
        )

    async def set_aside(self, entry_id: bytes, fields: dict[bytes, bytes], reason: str) -> None:
        """Move an entry JetStream will never take out of the way, keeping it for operators."""
        kept = cast(dict[FieldT, EncodableT], dict(fields))
        kept[b"reason"] = reason.encode()
        await self.redis.xadd(self.unreplayable_key, kept)
        await self.redis.xdel(self.key, entry_id)

    async def remove(self, entry_ids: list[bytes]) -> None:
        if entry_ids:
            await self.redis.xdel(self.key, *entry_ids)

    async def lead(self, owner: str, ttl_ms: int) -> bool:
        """Take or keep the replayer lease (atomically), so one process replays at a time."""
        return bool(await self._lead(keys=[self.lock_key], args=[owner, ttl_ms]))


_LEAD = """
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
end
return 0
"""


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
        self.ttl_ms = int(max(interval_s * 10, 5.0) * 1000)
        self.drained = asyncio.Event()
        self.drained.set()
        self._stored = 0  # fallback writes by this process, to tell a stale "empty" read
        self._wake = asyncio.Event()

    def stored(self) -> None:
        """Record that this process just wrote to the fallback: its publishes now queue."""
        self._stored += 1
        self.drained.clear()
        self._wake.set()

    def _mark_drained_if(self, stored_before: int) -> None:
        # An empty read only means "drained" if nothing was stored since it was issued.
        if self._stored == stored_before:
            self.drained.set()

    def wake(self) -> None:
        """Ask for a replay pass now (e.g. on reconnect)."""
        self._wake.set()

    async def replay_once(self) -> int:
        """Replay until the fallback is empty, NATS fails or the lease is lost; returns count."""
        moved = 0
        while self.connected() and await self.store.lead(self.owner, self.ttl_ms):
            stored_before = self._stored
            rows = await self.store.oldest(self.batch)
            if not rows:
                self._mark_drained_if(stored_before)
                break
            done: list[bytes] = []
            try:
                for entry_id, fields in rows:
                    if await self._replay(entry_id, fields):
                        done.append(entry_id)
            finally:
                await self.store.remove(done)
                moved += len(done)
                metrics.FALLBACK_REPLAYED.inc(len(done))
        metrics.FALLBACK_PENDING.set(await self.store.pending())
        return moved

    async def _replay(self, entry_id: bytes, fields: dict[bytes, bytes]) -> bool:
        """Publish one entry; False when it was set aside as one JetStream will never take."""
        try:
            entry = FallbackEntry.from_fields(fields)
        except (KeyError, ValueError) as exc:
            reason = f"unreadable fallback entry: {exc!r}"
        else:
            try:
                headers = {**entry.headers, REPLAYED: "1"}
                await self.publish(entry.subject, entry.payload, headers, entry.stream)
                return True
            except nats.js.errors.APIError as exc:
                if exc.code == 503:  # JetStream not available yet: keep it for the next pass
                    raise
                reason = f"JetStream refused it: {exc.description or exc!r}"
        log.error("fallback entry %s set aside: %s", entry_id.decode(), reason)
        await self.store.set_aside(entry_id, fields, reason)
        return False

    async def run(self) -> None:
        """Replay loop; errors are logged and retried on the next tick."""
        while True:
            self._wake.clear()  # before the pass, so a wake during it is not lost
            try:
                if self.connected() and await self.store.lead(self.owner, self.ttl_ms):
                    moved = await self.replay_once()
                    if moved:
                        log.info("replayed %d fallback events into JetStream", moved)
                elif not self.drained.is_set():
                    stored_before = self._stored
                    if await self.store.pending() == 0:
                        # Another process holds the lease and replayed what this one stored.
                        self._mark_drained_if(stored_before)
            except (RedisError, OSError) as exc:
                log.warning("fallback replay paused: %s", exc)
            except Exception:
                log.exception("fallback replay failed; retrying")
            # asyncio.timeout, not wait_for: on 3.11 wait_for can turn a cancel into a timeout.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.interval_s):
                    await self._wake.wait()
