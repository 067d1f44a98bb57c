"""Per-key rate limits against a real Redis."""

from __future__ import annotations

import logging

import pytest
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ConstantBackoff

from automatrix.orchestrator.adapters.ratelimit import Allowed, Limited, RateLimiter
from automatrix.shared.natsserver import free_port
from tests.support.processes import wait_until


async def test_requests_per_minute_admits_the_limit_then_says_how_long_to_wait(
    redis: Redis, namespace: str
) -> None:
    limiter = RateLimiter(redis, namespace=namespace)
    results = [await limiter.admit(key_id="k1", rpm=5, tpm=1_000_000, tokens=10) for _ in range(5)]
    assert all(isinstance(r, Allowed) and not r.degraded for r in results)
    assert [r.remaining_requests for r in results if isinstance(r, Allowed)] == [4, 3, 2, 1, 0]

    refused = await limiter.admit(key_id="k1", rpm=5, tpm=1_000_000, tokens=10)
    assert isinstance(refused, Limited)
    assert refused.limit == "requests"
    assert refused.limit_value == 5
    assert 0 < refused.retry_after_s <= 60
    # One request comes back every 60/5 s; almost a full interval is left right now.
    assert refused.retry_after_s > 10


async def test_tokens_per_minute_refuses_what_does_not_fit(redis: Redis, namespace: str) -> None:
    limiter = RateLimiter(redis, namespace=namespace)
    first = await limiter.admit(key_id="k1", rpm=1000, tpm=1000, tokens=600)
    assert isinstance(first, Allowed)
    assert first.remaining_tokens == 400

    refused = await limiter.admit(key_id="k1", rpm=1000, tpm=1000, tokens=600)
    assert isinstance(refused, Limited)
    assert refused.limit == "tokens"
    assert refused.limit_value == 1000
    # 200 more tokens must drain at 1000/60 s: 12 s.
    assert 11 < refused.retry_after_s <= 12

    # A refused request was not counted: what still fits, fits.
    fits = await limiter.admit(key_id="k1", rpm=1000, tpm=1000, tokens=400)
    assert isinstance(fits, Allowed)
    assert fits.remaining_tokens == 0
    assert fits.remaining_requests == 998


async def test_keys_are_limited_independently(redis: Redis, namespace: str) -> None:
    limiter = RateLimiter(redis, namespace=namespace)
    for _ in range(2):
        assert isinstance(await limiter.admit(key_id="a", rpm=2, tpm=100, tokens=1), Allowed)
    assert isinstance(await limiter.admit(key_id="a", rpm=2, tpm=100, tokens=1), Limited)
    assert isinstance(await limiter.admit(key_id="b", rpm=2, tpm=100, tokens=1), Allowed)
    other = RateLimiter(redis, namespace=namespace + "other:")
    assert isinstance(await other.admit(key_id="a", rpm=2, tpm=100, tokens=1), Allowed)
    assert limiter.redis_keys("a") == (
        f"{namespace}automatrix:ratelimit:a:requests",
        f"{namespace}automatrix:ratelimit:a:tokens",
    )
    assert await redis.exists(*limiter.redis_keys("a"), *other.redis_keys("a")) == 4


async def test_the_window_slides(redis: Redis, namespace: str) -> None:
    limiter = RateLimiter(redis, namespace=namespace, window_s=1.0)
    for _ in range(3):
        assert isinstance(await limiter.admit(key_id="k", rpm=3, tpm=1000, tokens=1), Allowed)
    refused = await limiter.admit(key_id="k", rpm=3, tpm=1000, tokens=1)
    assert isinstance(refused, Limited)
    assert 0 < refused.retry_after_s <= 1.0

    async def admitted_again() -> bool:
        result = await limiter.admit(key_id="k", rpm=3, tpm=1000, tokens=1)
        return isinstance(result, Allowed)

    await wait_until(admitted_again, within=3, what="the window to admit again", every=0.02)


async def test_settle_moves_the_token_count_to_actual_usage(redis: Redis, namespace: str) -> None:
    limiter = RateLimiter(redis, namespace=namespace)
    assert isinstance(await limiter.admit(key_id="k", rpm=100, tpm=1000, tokens=900), Allowed)
    assert isinstance(await limiter.admit(key_id="k", rpm=100, tpm=1000, tokens=500), Limited)

    await limiter.settle(key_id="k", estimated=900, actual=300)
    after_refund = await limiter.admit(key_id="k", rpm=100, tpm=1000, tokens=500)
    assert isinstance(after_refund, Allowed)
    # 1000 - (300 + 500) left, plus what drained meanwhile (1000/60 tokens a second).
    assert 200 <= after_refund.remaining_tokens < 230

    await limiter.settle(key_id="k", estimated=10, actual=210)
    charged = await limiter.admit(key_id="k", rpm=100, tpm=1000, tokens=50)
    assert isinstance(charged, Limited)
    assert charged.limit == "tokens"


async def test_a_request_larger_than_the_budget_waits_for_a_full_bucket(
    redis: Redis, namespace: str
) -> None:
    limiter = RateLimiter(redis, namespace=namespace)
    huge = await limiter.admit(key_id="k", rpm=100, tpm=1000, tokens=5000)
    assert isinstance(huge, Allowed)
    assert huge.remaining_tokens == 0
    refused = await limiter.admit(key_id="k", rpm=100, tpm=1000, tokens=1)
    assert isinstance(refused, Limited)
    assert refused.retry_after_s > 60  # it ran into debt: 4000 tokens over budget


@pytest.mark.parametrize(
    ("retries", "cause"), [(0, "ConnectionError"), (10, "TimeoutError")], ids=["refused", "slow"]
)
async def test_unreachable_redis_fails_open_and_warns_once(
    caplog: pytest.LogCaptureFixture, retries: int, cause: str
) -> None:
    # With its retries, the client would keep a request waiting past the limiter's timeout.
    closed = Redis(host="127.0.0.1", port=free_port(), retry=Retry(ConstantBackoff(0.2), retries))
    limiter = RateLimiter(closed, timeout_s=0.5)
    try:
        with caplog.at_level(logging.WARNING, "automatrix.orchestrator.adapters.ratelimit"):
            results = [await limiter.admit(key_id="k", rpm=1, tpm=10, tokens=5) for _ in range(3)]
            await limiter.settle(key_id="k", estimated=5, actual=9)
    finally:
        await closed.aclose()
    assert results == [Allowed(remaining_requests=1, remaining_tokens=10, degraded=True)] * 3
    warnings = [r.getMessage() for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1
    assert cause in warnings[0]


async def test_bad_limits_are_refused(redis: Redis, namespace: str) -> None:
    limiter = RateLimiter(redis, namespace=namespace)
    with pytest.raises(ValueError, match="rpm"):
        await limiter.admit(key_id="k", rpm=0, tpm=10, tokens=1)
    with pytest.raises(ValueError, match="window_s"):
        RateLimiter(redis, window_s=0)
