"""The semantic response cache against Qdrant in local mode, with both lookups.

Local mode checks scope, guard and expiry on the nearest candidates; the server lookup puts
them in a Qdrant payload filter. Both run here against the same local engine.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from automatrix.orchestrator.adapters.semantic_cache import SemanticCache

Vector = npt.NDArray[np.float64]

DIMENSIONS = 384
SCOPE = "a3f1" * 16
OTHER_SCOPE = "b7c2" * 16
GUARD = "num:3|neg:"
T0 = 1_750_000_000.0
PAYLOAD = b'{"choices":[]}\x00\xff'


def unit(rng: np.random.Generator) -> Vector:
    """A random direction."""
    vector = rng.standard_normal(DIMENSIONS)
    return vector / np.linalg.norm(vector)


def at_cosine(base: Vector, cosine: float, rng: np.random.Generator) -> Vector:
    """A unit vector whose cosine similarity to ``base`` is exactly ``cosine``."""
    noise = rng.standard_normal(DIMENSIONS)
    orthogonal: Vector = noise - float(noise.dot(base)) * base
    orthogonal /= np.linalg.norm(orthogonal)
    result: Vector = cosine * base + math.sqrt(1 - cosine**2) * orthogonal
    return result


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240611)


@pytest.fixture(params=[False, True], ids=["candidate-lookup", "filtered-lookup"])
def filter_in_qdrant(request: pytest.FixtureRequest) -> bool:
    value: bool = request.param
    return value


@pytest.fixture
async def cache(tmp_path: Path, filter_in_qdrant: bool) -> AsyncIterator[SemanticCache]:
    opened = await SemanticCache.open(path=tmp_path / "qdrant", filter_in_qdrant=filter_in_qdrant)
    yield opened
    await opened.close()


async def test_identical_vector_hits_with_score_one(
    cache: SemanticCache, rng: np.random.Generator
) -> None:
    query = unit(rng)
    entry_id = await cache.store(
        scope=SCOPE, guard=GUARD, vector=query.tolist(), value=PAYLOAD, ttl_s=60, now=T0
    )

    hit = await cache.lookup(
        scope=SCOPE, guard=GUARD, vector=query.tolist(), threshold=0.95, now=T0 + 1
    )

    assert hit is not None
    assert hit.value == PAYLOAD
    assert hit.entry_id == entry_id
    assert hit.score == pytest.approx(1.0, abs=1e-5)


async def test_nearby_vector_hits_only_under_a_lower_threshold(
    cache: SemanticCache, rng: np.random.Generator
) -> None:
    stored = unit(rng)
    await cache.store(
        scope=SCOPE, guard=GUARD, vector=stored.tolist(), value=PAYLOAD, ttl_s=60, now=T0
    )
    nearby = at_cosine(stored, 0.97, rng).tolist()

    loose = await cache.lookup(scope=SCOPE, guard=GUARD, vector=nearby, threshold=0.95, now=T0)
    strict = await cache.lookup(scope=SCOPE, guard=GUARD, vector=nearby, threshold=0.99, now=T0)

    assert loose is not None
    assert loose.score == pytest.approx(0.97, abs=1e-4)
    assert strict is None


async def test_the_closest_of_several_entries_is_returned(
    cache: SemanticCache, rng: np.random.Generator
) -> None:
    query = unit(rng)
    for cosine in (0.96, 0.985, 0.97):
        await cache.store(
            scope=SCOPE,
            guard=GUARD,
            vector=at_cosine(query, cosine, rng).tolist(),
            value=str(cosine).encode(),
            ttl_s=60,
            now=T0,
        )

    hit = await cache.lookup(
        scope=SCOPE, guard=GUARD, vector=query.tolist(), threshold=0.95, now=T0
    )

    assert hit is not None
    assert hit.value == b"0.985"


async def test_another_scope_never_matches(cache: SemanticCache, rng: np.random.Generator) -> None:
    query = unit(rng)
    await cache.store(
        scope=OTHER_SCOPE, guard=GUARD, vector=query.tolist(), value=PAYLOAD, ttl_s=60, now=T0
    )

    assert (
        await cache.lookup(scope=SCOPE, guard=GUARD, vector=query.tolist(), threshold=0.5, now=T0)
        is None
    )


async def test_another_guard_never_matches(cache: SemanticCache, rng: np.random.Generator) -> None:
    query = unit(rng)
    await cache.store(
        scope=SCOPE, guard="num:4|neg:", vector=query.tolist(), value=PAYLOAD, ttl_s=60, now=T0
    )

    assert (
        await cache.lookup(scope=SCOPE, guard=GUARD, vector=query.tolist(), threshold=0.5, now=T0)
        is None
    )


async def test_a_match_behind_many_closer_foreign_entries_is_found(
    cache: SemanticCache, rng: np.random.Generator
) -> None:
    query = unit(rng)
    # Closer entries of other scopes, other guards and expired ones outnumber the first
    # candidates the local lookup checks, so it has to look further.
    for index in range(40):
        scope, guard, ttl_s = [
            (OTHER_SCOPE, GUARD, 60.0),
            (SCOPE, "neg:not", 60.0),
            (SCOPE, GUARD, 0.5),
        ][index % 3]
        await cache.store(
            scope=scope,
            guard=guard,
            vector=at_cosine(query, 0.995, rng).tolist(),
            value=b"wrong",
            ttl_s=ttl_s,
            now=T0,
        )
    await cache.store(
        scope=SCOPE,
        guard=GUARD,
        vector=at_cosine(query, 0.96, rng).tolist(),
        value=PAYLOAD,
        ttl_s=60,
        now=T0,
    )

    hit = await cache.lookup(
        scope=SCOPE, guard=GUARD, vector=query.tolist(), threshold=0.95, now=T0 + 1
    )

    assert hit is not None
    assert hit.value == PAYLOAD
    assert hit.score == pytest.approx(0.96, abs=1e-4)


async def test_expired_entry_misses(cache: SemanticCache, rng: np.random.Generator) -> None:
    query = unit(rng).tolist()
    await cache.store(scope=SCOPE, guard=GUARD, vector=query, value=PAYLOAD, ttl_s=60, now=T0)

    before = await cache.lookup(scope=SCOPE, guard=GUARD, vector=query, threshold=0.9, now=T0 + 59)
    after = await cache.lookup(scope=SCOPE, guard=GUARD, vector=query, threshold=0.9, now=T0 + 61)

    assert before is not None
    assert after is None


async def test_default_clock_is_wall_time(cache: SemanticCache, rng: np.random.Generator) -> None:
    query = unit(rng).tolist()
    await cache.store(scope=SCOPE, guard=GUARD, vector=query, value=PAYLOAD, ttl_s=600)

    assert await cache.lookup(scope=SCOPE, guard=GUARD, vector=query, threshold=0.9) is not None
    assert await cache.sweep() == 0


async def test_sweep_deletes_expired_entries_and_keeps_live_ones(
    cache: SemanticCache, rng: np.random.Generator
) -> None:
    # More expired entries than one sweep batch.
    expired = [unit(rng).tolist() for _ in range(150)]
    for vector in expired:
        await cache.store(scope=SCOPE, guard=GUARD, vector=vector, value=b"old", ttl_s=10, now=T0)
    live = unit(rng).tolist()
    await cache.store(scope=SCOPE, guard=GUARD, vector=live, value=PAYLOAD, ttl_s=1000, now=T0)

    assert await cache.sweep(now=T0 + 100) == 150
    assert await cache.sweep(now=T0 + 100) == 0

    kept = await cache.lookup(scope=SCOPE, guard=GUARD, vector=live, threshold=0.9, now=T0 + 100)
    assert kept is not None
    assert kept.value == PAYLOAD
    # Deleted, not merely filtered out: even a clock before their expiry finds nothing.
    for vector in expired[:5]:
        assert (
            await cache.lookup(scope=SCOPE, guard=GUARD, vector=vector, threshold=0.9, now=T0)
            is None
        )


async def test_entries_survive_reopening_the_local_path(
    tmp_path: Path, filter_in_qdrant: bool, rng: np.random.Generator
) -> None:
    path = tmp_path / "qdrant"
    query = unit(rng).tolist()
    first = await SemanticCache.open(path=path, filter_in_qdrant=filter_in_qdrant)
    entry_id = await first.store(
        scope=SCOPE, guard=GUARD, vector=query, value=PAYLOAD, ttl_s=60, now=T0
    )
    await first.close()

    reopened = await SemanticCache.open(path=path, filter_in_qdrant=filter_in_qdrant)
    try:
        hit = await reopened.lookup(scope=SCOPE, guard=GUARD, vector=query, threshold=0.9, now=T0)
    finally:
        await reopened.close()

    assert hit is not None
    assert hit.entry_id == entry_id
    assert hit.value == PAYLOAD


async def test_local_path_is_held_by_one_cache_at_a_time(tmp_path: Path) -> None:
    holder = await SemanticCache.open(path=tmp_path / "qdrant")
    try:
        with pytest.raises(RuntimeError, match="already accessed"):
            await SemanticCache.open(path=tmp_path / "qdrant")
    finally:
        await holder.close()


async def test_existing_collection_of_another_size_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "qdrant"
    await (await SemanticCache.open(path=path)).close()

    with pytest.raises(ValueError, match="128 cosine dimensions"):
        await SemanticCache.open(path=path, dimensions=128)


async def test_vector_of_the_wrong_size_is_refused(cache: SemanticCache) -> None:
    with pytest.raises(ValueError, match="384 dimensions"):
        await cache.lookup(scope=SCOPE, guard=GUARD, vector=[1.0, 0.0], threshold=0.9)


async def test_open_needs_a_url_or_a_path() -> None:
    with pytest.raises(ValueError, match="url or a local path"):
        await SemanticCache.open()
