"""API keys: made here, stored hashed in the ``AI_KEYS`` bucket (one record per key hash).

The plaintext key is returned once by ``KeyStore.create`` and never written anywhere.
``KeyStore`` is the management side (CLI, admin API); ``KeyCache`` is the gateway's hot path:
every record in memory, kept current by a watch, so a revoke takes effect without a restart.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import UTC, datetime

import nats.errors
import nats.js.errors
from nats.js import JetStreamContext
from nats.js.kv import KeyValue
from pydantic import ValidationError

from automatrix.shared.contracts.gateway import KEYS, ApiKeyRecord
from automatrix.shared.kv import KeyValueStore, watch_caught_up

log = logging.getLogger(__name__)

KEY_PREFIX = "am-"
SHOWN_PREFIX_LENGTH = 10
"""``ApiKeyRecord.prefix``: ``am-`` and 7 random characters, enough to recognise a key."""

_WRITE_TRIES = 5


def generate_key() -> str:
    """A new API key: ``am-`` and 40 URL-safe random characters (240 bits)."""
    return KEY_PREFIX + secrets.token_urlsafe(30)


def hash_key(key: str) -> str:
    """The SHA-256 of a key, hex: its id in the bucket."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_key_id() -> str:
    """A public id for a key, safe in logs, subjects and Redis keys."""
    return f"key_{secrets.token_hex(8)}"


def _parse(entry: KeyValue.Entry) -> ApiKeyRecord | None:
    """The record in a bucket entry; None for a delete, a purge or an unreadable value."""
    if entry.operation is not None or not entry.value:
        return None
    try:
        return ApiKeyRecord.model_validate_json(entry.value)
    except ValidationError as exc:
        log.error("%s/%s: unreadable key record ignored: %s", KEYS.name, entry.key, exc)
        return None


async def _read_all(kv: KeyValue) -> list[tuple[KeyValue.Entry, ApiKeyRecord]]:
    """Every live record with its entry, as the bucket holds them now."""
    watcher, entries = await watch_caught_up(kv)
    await watcher.stop()  # type: ignore[no-untyped-call]
    latest = {entry.key: entry for entry in entries}  # a key written during the read: its last
    return [(e, r) for e in latest.values() if (r := _parse(e)) is not None]


class KeyStore:
    """Create, list, revoke and look up API keys in the ``AI_KEYS`` bucket."""

    def __init__(self, kv: KeyValue) -> None:
        self.kv = kv

    @classmethod
    async def open(cls, js: JetStreamContext) -> KeyStore:
        """Bind the bucket (it must exist: the bus provisions it at start)."""
        return cls(await js.key_value(KEYS.name))

    async def create(
        self,
        *,
        tenant: str,
        name: str = "",
        admin: bool = False,
        rpm: int | None = None,
        tpm: int | None = None,
        semantic_threshold: float | None = None,
    ) -> tuple[str, ApiKeyRecord]:
        """Make a key and store its record; the plaintext is returned here and only here."""
        key = generate_key()
        record = ApiKeyRecord(
            key_id=new_key_id(),
            key_hash=hash_key(key),
            prefix=key[:SHOWN_PREFIX_LENGTH],
            tenant=tenant,
            name=name,
            admin=admin,
            rpm=rpm,
            tpm=tpm,
            semantic_threshold=semantic_threshold,
        )
        await self.kv.create(record.key_hash, record.model_dump_json().encode())
        return key, record

    async def list(
        self, *, tenant: str | None = None, include_revoked: bool = False
    ) -> list[ApiKeyRecord]:
        """Records, oldest first, of one tenant or all; revoked ones only when asked."""
        records = [record for _, record in await _read_all(self.kv)]
        return sorted(
            (
                r
                for r in records
                if (tenant is None or r.tenant == tenant) and (include_revoked or not r.revoked)
            ),
            key=lambda r: r.created_at,
        )

    async def revoke(self, key_id: str) -> ApiKeyRecord:
        """Mark a key revoked (kept for the record); KeyError when no key has that id."""
        for _ in range(_WRITE_TRIES):
            found = next((f for f in await _read_all(self.kv) if f[1].key_id == key_id), None)
            if found is None:
                raise KeyError(key_id)
            entry, record = found
            if record.revoked:
                return record
            revoked = record.model_copy(update={"revoked_at": datetime.now(UTC)})
            try:
                await self.kv.update(
                    entry.key, revoked.model_dump_json().encode(), last=entry.revision
                )
            except nats.js.errors.KeyWrongLastSequenceError:
                continue  # written since we read it: read again
            return revoked
        raise RuntimeError(f"{KEYS.name}: key {key_id} kept changing while being revoked")

    async def lookup(self, key: str) -> ApiKeyRecord | None:
        """The record of a plaintext key (revoked ones included), or None when unknown."""
        try:
            entry = await self.kv.get(hash_key(key))
        except (nats.js.errors.KeyNotFoundError, nats.js.errors.KeyDeletedError):
            return None
        return _parse(entry)


class KeyCache:
    """Every key record in memory, kept current by a watch on the bucket."""

    def __init__(self, js: JetStreamContext) -> None:
        self._js = js
        self._store = KeyValueStore(KEYS, ApiKeyRecord)

    def __len__(self) -> int:
        return len(self._store.values)

    async def start(self) -> None:
        """Load every record before returning, then follow changes in the background."""
        await self._store.open(self._js)

    async def stop(self) -> None:
        """Stop following the bucket; ``get`` keeps answering from what was loaded."""
        await self._store.close()

    def get(self, key: str) -> ApiKeyRecord | None:
        """The record of a plaintext key (check ``revoked``), or None when unknown."""
        if not key.startswith(KEY_PREFIX):
            return None
        return self._store.values.get(hash_key(key))
