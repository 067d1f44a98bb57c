"""Fault: Redis (exact cache, rate limits, relaycore's ledger, the bus fallback) is SIGKILLed
for about 8 s, then started again.

Asserted while it is down: the gateway keeps answering (models, authenticated requests); the
exact cache is bypassed (a cached question is answered by the semantic cache instead, never
``hit-exact``); rate limiting fails open as documented (a key limited to 2 requests a minute,
already over its limit, is served rather than refused). Questions asked during the outage wait
in relaycore (its slot ledger is in Redis) without spending their deliveries, and are answered
within seconds of Redis returning (nothing lost, no 5xx). After it: the exact cache and the
limit work again, and every platform process is still the one started.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.chaos.platform import BACKUP, ChaosPlatform, create_key, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

OUTAGE_S = 8.0


def ask(http: httpx.Client, text: str) -> httpx.Response:
    return http.post(
        "/v1/chat/completions",
        json={"model": BACKUP, "messages": [{"role": "user", "content": text}]},
    )


def exactly_cached(http: httpx.Client, text: str) -> None:
    """Wait for the answer to ``text`` to come from the exact cache (it is stored after the
    response, and a connection Redis dropped fails one call before it is replaced)."""
    wait_for(
        lambda: ask(http, text).headers.get("x-automatrix-cache") == "hit-exact",
        within=30,
        what=f"an exact cache hit for {text!r}",
        every=0.2,
    )


def test_redis_down_the_gateway_serves_bypassing_cache_and_limits(
    platform: ChaosPlatform,
) -> None:
    pids = platform.record().pids()
    tenant = f"redis{uuid.uuid4().hex[:8]}"
    unlimited, limited = create_key(platform, tenant), create_key(platform, tenant, rpm=2)
    cached = f"what survives a redis outage {tenant}?"
    with platform.http(unlimited) as warm:
        assert ask(warm, cached).status_code == 200
        exactly_cached(warm, cached)
    with platform.http(limited) as http, platform.http(timeout=60) as admin:
        for _ in range(2):
            assert ask(http, cached).headers["x-automatrix-cache"] == "hit-exact"
        over = ask(http, cached)
        assert over.status_code == 429, over.text  # the limit holds while Redis is up

        platform.redis.kill()
        down_at = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            # New questions need a model, and relaycore's ledger is in Redis: they wait.
            waiting = [pool.submit(ask, admin, f"asked during the outage {n}") for n in range(4)]
            assert admin.get("/v1/models").status_code == 200
            during = [ask(http, cached) for _ in range(4)]
            remaining = OUTAGE_S - (time.monotonic() - down_at)
            assert remaining > 0, "the requests during the outage took longer than the outage"
            time.sleep(remaining)  # the outage itself: Redis stays down this long
            platform.redis.start()
            back_at = time.monotonic()
            late = [future.result() for future in waiting]
        answered_after_s = time.monotonic() - back_at

        fresh = f"asked after the outage {tenant}"
        assert ask(admin, fresh).headers["x-automatrix-cache"] == "miss"
        exactly_cached(admin, fresh)
        # The limit comes back once the gateway's Redis connections are new (a dead one fails
        # a call once, and each failure leaves Redis alone for a moment).
        wait_for(
            lambda: ask(http, cached).status_code == 429,
            within=30,
            what="the rate limit to be enforced again",
            every=0.5,
        )

    for response in during:
        assert response.status_code == 200, response.text  # over its limit, and still served
        assert response.headers["x-automatrix-cache"] == "hit-semantic"
    for response in late:
        assert response.status_code == 200, response.text
        assert response.json()["choices"][0]["message"]["content"].startswith("echo:")
    # Not after the bus's next redelivery (~21 s after the first): relaycore kept them in hand.
    assert answered_after_s < 10, answered_after_s
    assert platform.record().pids() == pids
    assert all(platform.alive().values()), platform.alive()
