"""Fault: the embedded Triton server process (inference's child) is SIGKILLed under traffic.

Asserted: inference restarts it on the same ports without the service process itself
restarting; relaycore's breaker for the local embedding deployment opens while its attempts
fail, then closes through a half-open probe once Triton is back; embeddings are served again
and no request got a 500.
"""

from __future__ import annotations

import threading
from collections import Counter

import httpx
import pytest

from tests.chaos.platform import EMBED_MODEL, ChaosPlatform, wait_for
from tests.chaos.procfs import command_of, descendants, kill

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


def triton_server(platform: ChaosPlatform) -> int | None:
    """The pid of the ``tritonserver`` under the inference service, if one runs."""
    for pid in descendants(platform.pid("inference")):
        argv0 = command_of(pid).split(" ", 1)[0]
        if argv0.endswith("/bin/tritonserver"):
            return pid
    return None


def embed(http: httpx.Client, text: str) -> httpx.Response:
    return http.post("/v1/embeddings", json={"model": EMBED_MODEL, "input": [text]})


def test_killed_triton_is_restarted_and_the_breaker_opens_then_recovers(
    platform: ChaosPlatform,
) -> None:
    inference = platform.pid("inference")
    before = triton_server(platform)
    assert before is not None, "no tritonserver under the inference service"
    with platform.http(timeout=60) as http:
        assert embed(http, "before the kill").status_code == 200
        assert platform.relay_view(EMBED_MODEL)["breaker"] == "closed"

        statuses: Counter[int] = Counter()
        stop = threading.Event()

        def traffic() -> None:
            with platform.http(timeout=60) as client:
                n = 0
                while not stop.is_set():
                    n += 1
                    statuses[embed(client, f"during the outage {n}").status_code] += 1

        sender = threading.Thread(target=traffic)
        kill(before)
        sender.start()
        try:
            wait_for(
                lambda: platform.relay_view(EMBED_MODEL)["breaker"] == "open",
                within=60,
                what="the breaker of minilm-embed to open",
                every=0.05,
            )
            after = wait_for(
                lambda: (pid := triton_server(platform)) not in (None, before) and pid,
                within=90,
                what="a new tritonserver",
            )
            wait_for(
                lambda: platform.relay_view(EMBED_MODEL)["breaker"] == "closed",
                within=90,
                what="the breaker to close again",
                every=0.05,
            )
        finally:
            stop.set()
            sender.join(90)
        recovered = embed(http, "after the restart")
    assert recovered.status_code == 200, recovered.text
    assert len(recovered.json()["data"][0]["embedding"]) == 384
    assert after != before
    assert platform.pid("inference") == inference, "the service itself must not restart"
    assert all(platform.alive().values()), platform.alive()
    assert statuses[500] == 0, statuses
    assert statuses[200] > 0, statuses  # some requests were served once Triton was back
