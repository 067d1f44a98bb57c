"""Fault: a slow consumer — ``chaos-slow`` serves one request at a time, each taking 0.5 s —
under a flood of async queries far beyond what it can take.

Asserted: the backlog waits in JetStream and the gateway sheds the excess with 503,
``code: overloaded`` and a ``Retry-After`` header, so only about the shedding bound's worth
is accepted; sync requests are shed at once too rather than left waiting; the gateway's
memory stays flat; and every accepted query still finishes (nothing accepted is lost).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.chaos.platform import (
    BACKUP,
    SHED_BOUND,
    SLOW,
    UPSTREAM_MODEL,
    ChaosPlatform,
    wait_for,
)
from tests.chaos.procfs import rss_bytes

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

FLOOD = 300
NO_CACHE = {"Cache-Control": "no-cache, no-store"}
MEMORY_SLACK = 40 * 1024 * 1024


def submit(http: httpx.Client, n: int) -> httpx.Response:
    return http.post(
        "/api/v2/queries",
        json={"text": f"slow question number {n}", "model": SLOW, "priority": "normal"},
        headers=NO_CACHE,
    )


def test_a_slow_consumer_makes_the_gateway_shed_with_503_not_grow(
    platform: ChaosPlatform,
) -> None:
    platform.upstream.delay(UPSTREAM_MODEL[SLOW], 0.5)
    gateway = platform.pid("orchestrator")
    try:
        with platform.http() as http:
            for n in range(20):  # the gateway's first requests allocate for good
                warm = http.post(
                    "/v1/chat/completions",
                    json={"model": BACKUP, "messages": [{"role": "user", "content": f"{n}"}]},
                    headers=NO_CACHE,
                )
                assert warm.status_code == 200, warm.text
            rss_before = rss_bytes(gateway)
            with ThreadPoolExecutor(8) as pool:
                responses = list(pool.map(lambda n: submit(http, n), range(FLOOD)))
            synchronous = http.post(
                "/v1/chat/completions",
                json={"model": SLOW, "messages": [{"role": "user", "content": "shed me"}]},
                headers=NO_CACHE,
            )
            rss_after = rss_bytes(gateway)
    finally:
        platform.upstream.delay(UPSTREAM_MODEL[SLOW], 0.0)

    accepted = [r.json() for r in responses if r.status_code == 202]
    shed = [r for r in responses if r.status_code == 503]
    assert len(accepted) + len(shed) == FLOOD, {r.status_code for r in responses}
    # Normal priority is shed at 3/4 of the bound; depth is sampled, so a few more get in.
    assert 1 <= len(accepted) <= SHED_BOUND * 2, len(accepted)
    for refused in shed:
        assert refused.json()["error"]["code"] == "overloaded"
        assert int(refused.headers["retry-after"]) >= 1
    assert synchronous.status_code == 503, synchronous.text
    assert synchronous.elapsed.total_seconds() < 5
    assert rss_after - rss_before < MEMORY_SLACK, (rss_before, rss_after)

    with platform.http() as http:

        def all_finished() -> bool:
            states = [
                http.get(f"/api/v2/queries/{job['job_id']}").json()["status"] for job in accepted
            ]
            assert "failed" not in states, states
            return all(state == "succeeded" for state in states)

        wait_for(all_finished, within=120, what="every accepted query to finish", every=0.5)
