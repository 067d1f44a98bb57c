"""Fault: the provider behind ``chaos-main`` answers a burst of HTTP 429s and 500s.

The deployment is a real litellm deployment on a real HTTP upstream; relaycore's fallback
chain sends ``chaos-main`` to ``chaos-backup`` when it fails. Asserted: every client request
is answered 200 (by the backup while the primary fails), the primary's breaker opens, every
fault in the burst was served to the platform, and once the burst is over the breaker
closes again and the primary answers.
"""

from __future__ import annotations

import time

import httpx
import pytest

from tests.chaos.platform import (
    BACKUP,
    BREAKER_COOLDOWN_S,
    MAIN,
    UPSTREAM_MODEL,
    ChaosPlatform,
    wait_for,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

BURST = ["429", "500", "429", "500"]
NO_CACHE = {"Cache-Control": "no-cache, no-store"}


def ask(http: httpx.Client, text: str) -> httpx.Response:
    return http.post(
        "/v1/chat/completions",
        json={"model": MAIN, "messages": [{"role": "user", "content": text}]},
        headers=NO_CACHE,
    )


def test_429_and_500_bursts_fall_back_open_the_breaker_and_recover(
    platform: ChaosPlatform,
) -> None:
    primary, backup = UPSTREAM_MODEL[MAIN], UPSTREAM_MODEL[BACKUP]
    upstream = platform.upstream
    served_by: list[str] = []
    breaker_states: set[str] = set()
    with platform.http() as http:
        first = ask(http, "before the burst")
        assert first.status_code == 200, first.text
        assert first.headers["x-automatrix-deployment"] == MAIN
        backup_calls, failed_before = upstream.calls(backup), upstream.failed(primary)

        upstream.burst(primary, BURST)
        # The breaker lets one probe through per cooldown, so the burst takes a few of them.
        deadline = time.monotonic() + len(BURST) * BREAKER_COOLDOWN_S * 4
        n = 0
        while upstream.pending_faults(primary) or "open" not in breaker_states:
            assert time.monotonic() < deadline, f"burst not consumed: {breaker_states}"
            n += 1
            answer = ask(http, f"during the burst, question {n}")
            assert answer.status_code == 200, answer.text
            assert answer.json()["choices"][0]["message"]["content"].startswith("echo:")
            served_by.append(answer.headers["x-automatrix-deployment"])
            breaker_states.add(platform.relay_view(MAIN)["breaker"])
            time.sleep(0.05)  # pacing the traffic, not waiting for a result

        def primary_serves_again() -> bool:
            answer = ask(http, "after the burst")
            assert answer.status_code == 200, answer.text
            return answer.headers["x-automatrix-deployment"] == MAIN

        wait_for(primary_serves_again, within=60, what="the primary to serve again", every=0.5)
        final = platform.relay_view(MAIN)
    assert BACKUP in served_by, served_by
    assert "open" in breaker_states, breaker_states
    assert upstream.failed(primary) - failed_before == len(BURST)
    assert upstream.calls(backup) > backup_calls
    assert final["breaker"] == "closed"
