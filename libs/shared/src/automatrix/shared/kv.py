"""A key-value bucket of pydantic records: kept in memory by a watch, compare-and-set writes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Generic, TypeVar

import nats.js.errors
from nats.js import JetStreamContext
from nats.js.kv import KeyValue
from pydantic import BaseModel, ValidationError

from automatrix.shared.contracts.registry import Bucket
from automatrix.shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

Mutation = Callable[[M | None], M | None]
"""Given the current value (None: absent), the new one (None: delete)."""


LOAD_TIMEOUT_S = 10.0


async def watch_caught_up(kv: KeyValue) -> tuple[KeyValue.KeyWatcher, list[KeyValue.Entry]]:
    """A watch on every key, and the entries it delivered up to the bucket's state at the start.

    nats-py's "caught up" marker (a None update) can come before the first entries: it
    compares the server's pending count, already 0 once everything is pushed, with what the
    client has parsed so far. So the end of the initial state is found from the stream instead:
    the entry at (or past) its last sequence, or the one the server sent with none pending.
    """
    state = (await kv.status()).stream_info.state
    watcher = await kv.watchall()
    entries: list[KeyValue.Entry] = []
    if state.messages == 0:
        return watcher, entries
    try:
        while True:
            entry = await watcher.updates(timeout=LOAD_TIMEOUT_S)  # type: ignore[no-untyped-call]
            if entry is None:
                continue
            entries.append(entry)
            if (entry.revision or 0) >= state.last_seq or entry.delta == 0:
                return watcher, entries
    except BaseException:
        await watcher.stop()  # type: ignore[no-untyped-call]
        raise


class ConflictError(Exception):
    """A compare-and-set write kept losing to concurrent writers."""


class KeyValueStore(Generic[M]):
    """One bucket of pydantic records, kept in step in memory by a watch."""

    def __init__(self, bucket: Bucket, model: type[M]) -> None:
        self.bucket = bucket
        self.model = model
        self.values: dict[str, M] = {}
        self.listeners: list[Callable[[str, M | None], None]] = []
        self._kv: KeyValue | None = None
        self._watching: asyncio.Task[None] | None = None
        self._watcher: KeyValue.KeyWatcher | None = None

    @property
    def kv(self) -> KeyValue:
        if self._kv is None:
            raise RuntimeError(f"{self.bucket.name} is not open")
        return self._kv

    async def open(self, js: JetStreamContext) -> None:
        """Bind the bucket and load every value before returning, then keep watching."""
        self._kv = await js.key_value(self.bucket.name)
        self._watcher, entries = await watch_caught_up(self._kv)
        for entry in entries:
            self._apply(entry)
        self._watching = asyncio.create_task(self._watch(), name=f"watch-{self.bucket.name}")

    async def close(self) -> None:
        await cancel_and_wait(self._watching)
        self._watching = None
        if self._watcher is not None:
            with contextlib.suppress(Exception):
                await self._watcher.stop()  # type: ignore[no-untyped-call]
            self._watcher = None

    async def _watch(self) -> None:
        # Iterating reads the watcher's queue directly: a plain get that cancels cleanly
        # (``updates()`` wraps it in wait_for, whose cancellation hangs on Python 3.11 here).
        assert self._watcher is not None
        async for entry in self._watcher:
            if entry is not None:
                self._apply(entry)

    def _apply(self, entry: KeyValue.Entry) -> None:
        value: M | None = None
        if entry.operation is None and entry.value:
            try:
                value = self.model.model_validate_json(entry.value)
            except ValidationError as exc:
                log.error("%s/%s: unreadable record dropped: %s", self.bucket.name, entry.key, exc)
        if value is None:
            self.values.pop(entry.key, None)
        else:
            self.values[entry.key] = value
        for listener in self.listeners:
            listener(entry.key, value)

    async def read(self, key: str) -> tuple[M | None, int]:
        """The stored value and its revision (0 when absent), read from the server."""
        try:
            entry = await self.kv.get(key)
        except (nats.js.errors.KeyNotFoundError, nats.js.errors.KeyDeletedError) as exc:
            entry_rev = getattr(getattr(exc, "entry", None), "revision", None) or 0
            return None, entry_rev
        if not entry.value:
            return None, entry.revision or 0
        return self.model.model_validate_json(entry.value), entry.revision or 0

    async def mutate(self, key: str, change: Mutation[M], *, tries: int = 20) -> M | None:
        """Apply ``change`` with compare-and-set, re-reading and retrying on a lost race."""
        for _ in range(tries):
            current, revision = await self.read(key)
            new = change(current)
            if new is current or (new is not None and new == current):
                return current
            try:
                if new is None:
                    if current is not None:
                        await self.kv.delete(key, last=revision)
                elif revision == 0:
                    await self.kv.create(key, new.model_dump_json().encode())
                else:
                    await self.kv.update(key, new.model_dump_json().encode(), last=revision)
            except nats.js.errors.KeyWrongLastSequenceError:
                continue
            return new
        raise ConflictError(f"{self.bucket.name}/{key}: {tries} concurrent writes in a row")
