"""The exact-match response cache against a real Redis."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from automatrix.orchestrator.adapters.exact_cache import KEY_PREFIX, ExactCache
from tests.support.processes import wait_until

KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
# Not valid UTF-8: the payload must come back byte for byte.
PAYLOAD = b'{"id":"chatcmpl-1"}\x00\xff\xfe'


@pytest.fixture
def cache(redis: Redis, namespace: str) -> ExactCache:
    return ExactCache(redis, namespace=namespace)


async def test_put_then_get_returns_the_same_bytes(
    cache: ExactCache, redis: Redis, namespace: str
) -> None:
    await cache.put(KEY, PAYLOAD, ttl_s=60)

    assert await cache.get(KEY) == PAYLOAD
    assert await redis.get(f"{namespace}{KEY_PREFIX}{KEY}") == PAYLOAD


async def test_unknown_key_misses(cache: ExactCache) -> None:
    await cache.put(KEY, PAYLOAD, ttl_s=60)

    assert await cache.get("0" * 64) is None


async def test_put_sets_an_expiry_of_the_ttl(
    cache: ExactCache, redis: Redis, namespace: str
) -> None:
    await cache.put(KEY, PAYLOAD, ttl_s=30)

    pttl = await redis.pttl(f"{namespace}{KEY_PREFIX}{KEY}")
    assert 0 < pttl <= 30_000


async def test_entry_is_gone_after_its_ttl(cache: ExactCache) -> None:
    await cache.put(KEY, PAYLOAD, ttl_s=0.05)

    async def gone() -> bool:
        return await cache.get(KEY) is None

    await wait_until(gone, within=5, what="the entry to expire", every=0.01)


async def test_delete_forgets_the_entry(cache: ExactCache) -> None:
    await cache.put(KEY, PAYLOAD, ttl_s=60)
    await cache.put("other", b"kept", ttl_s=60)

    await cache.delete(KEY)

    assert await cache.get(KEY) is None
    assert await cache.get("other") == b"kept"


async def test_namespaces_do_not_share_entries(redis: Redis, namespace: str) -> None:
    first = ExactCache(redis, namespace=namespace)
    second = ExactCache(redis, namespace=f"{namespace}b:")
    await first.put(KEY, PAYLOAD, ttl_s=60)

    assert await second.get(KEY) is None


@pytest.mark.parametrize("ttl_s", [0, -1])
async def test_non_positive_ttl_is_refused(cache: ExactCache, ttl_s: float) -> None:
    with pytest.raises(ValueError, match="ttl_s"):
        await cache.put(KEY, PAYLOAD, ttl_s=ttl_s)

    assert await cache.get(KEY) is None
