"""What ``optimize`` did: one entry per run, in the document store (collection
``optimizations``) when there is one, else in memory."""

from __future__ import annotations

import uuid
from collections import deque
from datetime import UTC, datetime
from typing import Any

from automatrix.shared.docstore import DocumentStore, Query

COLLECTION = "optimizations"


class OptimizationJournal:
    """Entries newest last in memory (bounded); the store, if given, keeps them all."""

    def __init__(self, store: DocumentStore | None = None, *, limit: int = 200) -> None:
        self.store = store
        self.limit = limit
        self._memory: deque[dict[str, Any]] = deque(maxlen=limit)

    async def record(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Store one run's entry (``at`` and ``id`` added); returns it as JSON data."""
        at = datetime.now(UTC)
        doc = {**entry, "at": at}
        entry_id = f"{at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        if self.store is not None:
            await self.store.insert(COLLECTION, doc, id=entry_id)
        stored = _plain({**doc, "id": entry_id})
        self._memory.append(stored)
        return stored

    async def recent(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest entries first."""
        if self.store is None:
            return list(reversed(self._memory))[:limit]
        docs = await self.store.find(COLLECTION, Query(sort=[("at", "desc")], limit=limit))
        return [
            _plain({**{k: v for k, v in d.items() if k != "_id"}, "id": d["_id"]}) for d in docs
        ]


def _plain(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in doc.items()}
