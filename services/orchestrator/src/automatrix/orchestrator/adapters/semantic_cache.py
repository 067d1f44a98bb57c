"""Semantic response cache in Qdrant: nearest cached query within the same scope and guard.

An entry is a point holding the query embedding; its payload keeps the scope (tenant, model,
parameters and earlier conversation, hashed by the gateway), the guard (the query's negations
and numbers), the expiry time and the cached response. Only an entry with the very same scope
and guard, not yet expired, can match, however close another entry's embedding is; ``sweep``
deletes expired entries so they do not pile up.

Local mode (``path``) keeps the collection in this process and on disk, locked to one
process: it serves a single orchestrator replica, and its calls run on the event loop.
Several replicas share one Qdrant server through ``QDRANT_URL`` (``url``).

On a server, scope, guard and expiry are payload filters (keyword and range, indexed). Local
mode evaluates a payload filter in Python for every point (about 5 µs each, so 16 ms for
3,000 entries), so there the lookup asks for the nearest points above the threshold without
a filter, a vectorised scan, and checks scope, guard and expiry on those few candidates.
Local mode also commits each store and deletion to SQLite on the event loop (about 1 ms
each), so ``sweep`` deletes in small batches and yields between them.
"""

from __future__ import annotations

import asyncio
import base64
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qdrant_client import AsyncQdrantClient, models

SCOPE = "scope"
GUARD = "guard"
EXPIRES_AT = "expires_at"
VALUE = "value"

_INDEXED_FIELDS = {
    SCOPE: models.PayloadSchemaType.KEYWORD,
    GUARD: models.PayloadSchemaType.KEYWORD,
    EXPIRES_AT: models.PayloadSchemaType.FLOAT,
}

# Local mode: how many nearest points to check first; grown fourfold while all fail.
_FIRST_CANDIDATES = 8

# Expired entries deleted per step of a sweep.
_SWEEP_BATCH = 64


@dataclass(frozen=True, slots=True)
class SemanticHit:
    """A cached response whose query is close enough to the one asked."""

    value: bytes
    score: float
    entry_id: str


class SemanticCache:
    """Cached responses found by embedding similarity, one Qdrant collection."""

    def __init__(
        self,
        client: AsyncQdrantClient,
        *,
        collection: str,
        dimensions: int,
        filter_in_qdrant: bool,
    ) -> None:
        self._client = client
        self.collection = collection
        self.dimensions = dimensions
        self.filter_in_qdrant = filter_in_qdrant

    @classmethod
    async def open(
        cls,
        *,
        path: Path | None = None,
        url: str | None = None,
        api_key: str | None = None,
        collection: str = "automatrix_semantic_cache",
        dimensions: int = 384,
        filter_in_qdrant: bool | None = None,
    ) -> SemanticCache:
        """Connect to ``url``, else open local mode at ``path``; create what is missing.

        ``filter_in_qdrant`` (default: on a server only) picks the lookup described above.
        """
        if url is not None:
            client = AsyncQdrantClient(url=url, api_key=api_key)
        elif path is not None:
            client = AsyncQdrantClient(path=str(path))
        else:
            raise ValueError("SemanticCache needs a Qdrant url or a local path")
        server = url is not None
        cache = cls(
            client,
            collection=collection,
            dimensions=dimensions,
            filter_in_qdrant=server if filter_in_qdrant is None else filter_in_qdrant,
        )
        try:
            await cache._ensure_collection(server=server)
        except BaseException:
            await client.close()
            raise
        return cache

    async def _ensure_collection(self, *, server: bool) -> None:
        if not await self._client.collection_exists(self.collection):
            try:
                await self._client.create_collection(
                    self.collection,
                    vectors_config=models.VectorParams(
                        size=self.dimensions, distance=models.Distance.COSINE
                    ),
                )
            except Exception:
                # Another replica may have created it between our check and our create.
                if not await self._client.collection_exists(self.collection):
                    raise
        info = await self._client.get_collection(self.collection)
        vectors = info.config.params.vectors
        if not (
            isinstance(vectors, models.VectorParams)
            and vectors.size == self.dimensions
            and vectors.distance == models.Distance.COSINE
        ):
            raise ValueError(
                f"collection {self.collection} holds {vectors}, "
                f"not {self.dimensions} cosine dimensions"
            )
        # Local mode ignores payload indexes (and warns); they matter on a server only.
        if server:
            for field, schema in _INDEXED_FIELDS.items():
                if field not in info.payload_schema:
                    await self._client.create_payload_index(
                        self.collection, field, field_schema=schema
                    )

    async def lookup(
        self,
        *,
        scope: str,
        guard: str,
        vector: Sequence[float],
        threshold: float,
        now: float | None = None,
    ) -> SemanticHit | None:
        """The closest live entry of this scope and guard scoring at least ``threshold``."""
        query = self._vector(vector)
        at = _now(now)
        if self.filter_in_qdrant:
            return await self._lookup_filtered(scope, guard, query, threshold, at)
        return await self._lookup_candidates(scope, guard, query, threshold, at)

    async def _lookup_filtered(
        self, scope: str, guard: str, query: list[float], threshold: float, at: float
    ) -> SemanticHit | None:
        live_here = models.Filter(
            must=[
                models.FieldCondition(key=SCOPE, match=models.MatchValue(value=scope)),
                models.FieldCondition(key=GUARD, match=models.MatchValue(value=guard)),
                models.FieldCondition(key=EXPIRES_AT, range=models.Range(gt=at)),
            ]
        )
        response = await self._client.query_points(
            self.collection,
            query=query,
            query_filter=live_here,
            limit=1,
            with_payload=[VALUE],
            score_threshold=threshold,
        )
        if not response.points:
            return None
        best = response.points[0]
        return _hit(best.id, best.score, best.payload)

    async def _lookup_candidates(
        self, scope: str, guard: str, query: list[float], threshold: float, at: float
    ) -> SemanticHit | None:
        limit = _FIRST_CANDIDATES
        while True:
            response = await self._client.query_points(
                self.collection,
                query=query,
                limit=limit,
                with_payload=[SCOPE, GUARD, EXPIRES_AT],
                score_threshold=threshold,
            )
            # Nearest first: the first candidate that qualifies is the best match.
            for point in response.points:
                meta = point.payload or {}
                if (
                    meta.get(SCOPE) == scope
                    and meta.get(GUARD) == guard
                    and meta.get(EXPIRES_AT, 0.0) > at
                ):
                    records = await self._client.retrieve(
                        self.collection, ids=[point.id], with_payload=[VALUE]
                    )
                    return _hit(point.id, point.score, records[0].payload) if records else None
            if len(response.points) < limit:
                return None
            limit *= 4

    async def store(
        self,
        *,
        scope: str,
        guard: str,
        vector: Sequence[float],
        value: bytes,
        ttl_s: float,
        now: float | None = None,
    ) -> str:
        """Cache ``value`` under this query for ``ttl_s`` seconds; the new entry's id."""
        if ttl_s <= 0:
            raise ValueError(f"ttl_s must be positive, got {ttl_s}")
        entry_id = str(uuid.uuid4())
        await self._client.upsert(
            self.collection,
            points=[
                models.PointStruct(
                    id=entry_id,
                    vector=self._vector(vector),
                    payload={
                        SCOPE: scope,
                        GUARD: guard,
                        EXPIRES_AT: _now(now) + ttl_s,
                        VALUE: base64.b64encode(value).decode("ascii"),
                    },
                )
            ],
        )
        return entry_id

    async def sweep(self, *, now: float | None = None) -> int:
        """Delete expired entries a batch at a time, letting other tasks run between; how many."""
        expired = models.Filter(
            must=[models.FieldCondition(key=EXPIRES_AT, range=models.Range(lte=_now(now)))]
        )
        deleted = 0
        while True:
            records, _ = await self._client.scroll(
                self.collection, scroll_filter=expired, limit=_SWEEP_BATCH, with_payload=False
            )
            if not records:
                return deleted
            await self._client.delete(
                self.collection, points_selector=models.PointIdsList(points=[r.id for r in records])
            )
            deleted += len(records)
            await asyncio.sleep(0)

    async def close(self) -> None:
        """Release the client (and, in local mode, the lock on the storage folder)."""
        await self._client.close()

    def _vector(self, vector: Sequence[float]) -> list[float]:
        values = [float(x) for x in vector]
        if len(values) != self.dimensions:
            raise ValueError(f"expected {self.dimensions} dimensions, got {len(values)}")
        return values


def _hit(
    point_id: models.ExtendedPointId, score: float, payload: dict[str, Any] | None
) -> SemanticHit:
    if payload is None or VALUE not in payload:
        raise ValueError(f"semantic cache entry {point_id} has no value")
    return SemanticHit(value=base64.b64decode(payload[VALUE]), score=score, entry_id=str(point_id))


def _now(now: float | None) -> float:
    # Wall-clock time: expiries are persisted and compared across restarts and replicas.
    return time.time() if now is None else now
