"""The Redis ledger: slots and attempt records, taken and retired in batches (real Redis)."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from automatrix.relaycore.adapters.ledger import (
    Acquired,
    AlreadyPlaced,
    Full,
    Ledger,
    Settled,
    SlotClaim,
    ledger_client,
)
from automatrix.shared.contracts import (
    ChatMessage,
    ErrorKind,
    FailedAttempt,
    InferenceRequested,
)


def _request(request_id: str) -> InferenceRequested:
    return InferenceRequested(
        request_id=request_id,
        requester="tests",
        messages=[ChatMessage(role="user", content=f"hello {request_id}")],
    )


def _claim(
    request: InferenceRequested | str,
    deployment: str = "d1",
    *,
    attempt: int = 1,
    history: list[FailedAttempt] | None = None,
    lease_s: float = 30.0,
    after_failure: str = "",
) -> SlotClaim:
    return SlotClaim(
        deployment=deployment,
        limit=2,
        request=_request(request) if isinstance(request, str) else request,
        attempt=attempt,
        history=history or [],
        lease_s=lease_s,
        after_failure=after_failure,
    )


async def test_one_batch_holds_the_limit_and_sees_its_own_slots(
    redis: Redis, namespace: str
) -> None:
    ledger = Ledger(redis, namespace=namespace)
    results = await ledger.acquire_all([_claim("a"), _claim("b"), _claim("c"), _claim("x", "d2")])
    assert results == [Acquired(1), Acquired(2), Full(), Acquired(1)]
    assert await ledger.inflight(["d1", "d2", "d3"]) == {"d1": 2, "d2": 1, "d3": 0}


async def test_a_placed_attempt_is_placed_again_where_it_went(redis: Redis, namespace: str) -> None:
    ledger = Ledger(redis, namespace=namespace)
    request = _request("a")
    assert await ledger.acquire_all([_claim(request, "d1")]) == [Acquired(1)]
    # A redelivery of the same attempt, decided on another deployment.
    assert await ledger.acquire_all([_claim(request, "d2")]) == [AlreadyPlaced("d1")]
    failure = FailedAttempt(deployment="d1", kind=ErrorKind.UNAVAILABLE, message="down")
    retry = _claim(request, "d2", attempt=2, history=[failure], after_failure="f-1")
    assert await ledger.acquire_all([retry]) == [Acquired(1)]
    record = await ledger.record("a")
    assert record is not None
    assert (record.attempt, record.deployment, record.after_failure) == (2, "d2", "f-1")
    assert record.history == [failure]
    assert record.request == request


async def test_settling_a_completion_retires_it_once(redis: Redis, namespace: str) -> None:
    ledger = Ledger(redis, namespace=namespace)
    await ledger.acquire_all([_claim("a", "d1", attempt=1), _claim("b", "d1")])
    wrong, right, again = await asyncio.gather(
        ledger.settle("a", "d2"), ledger.settle("a", "d1"), ledger.settle("b", "d1")
    )
    assert wrong is None, "another deployment's result does not retire the attempt"
    assert isinstance(right, Settled)
    assert right.attempt == 1
    assert right.request.request_id == "a"
    assert isinstance(again, Settled)
    assert await ledger.settle("a", "d1") is None, "settled already"
    assert await ledger.record("a") is None
    assert await ledger.inflight(["d1"]) == {"d1": 0}


async def test_releases_are_idempotent_and_leases_run_out(redis: Redis, namespace: str) -> None:
    ledger = Ledger(redis, namespace=namespace)
    await ledger.acquire_all([_claim("a"), _claim("b"), _claim("gone", "d2", lease_s=0.0)])
    await asyncio.gather(ledger.release("d1", "a"), ledger.release("d1", "a"))
    await ledger.release_soon("d1", "b")
    assert await ledger.inflight(["d1", "d2"]) == {"d1": 0, "d2": 0}
    assert await ledger.record("a") is not None, "a release keeps the attempt record"


async def test_the_ledger_client_leaves_timeouts_to_the_ledger(redis_url: str) -> None:
    client = ledger_client(redis_url)
    try:
        assert client.connection_pool.connection_kwargs["socket_timeout"] is None
        assert await Ledger(client, namespace="t-unused:").inflight(["none"]) == {"none": 0}
    finally:
        await client.aclose()
