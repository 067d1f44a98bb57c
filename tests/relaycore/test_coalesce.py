"""The coalescer: the calls of one event-loop turn go to the server in one round trip."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from automatrix.relaycore.adapters.coalesce import MAX_BATCH, Coalescer


class Server:
    """Records each round trip; doubles what it is sent, or fails when told to."""

    def __init__(self) -> None:
        self.round_trips: list[list[int]] = []
        self.failure: Exception | None = None

    async def send(self, items: Sequence[int]) -> list[int]:
        self.round_trips.append(list(items))
        await asyncio.sleep(0)
        if self.failure is not None:
            raise self.failure
        return [2 * item for item in items]


async def test_calls_of_one_turn_share_a_round_trip_and_get_their_own_results() -> None:
    server = Server()
    coalescer = Coalescer(server.send)
    assert await asyncio.gather(*(coalescer.call(i) for i in range(5))) == [0, 2, 4, 6, 8]
    assert server.round_trips == [[0, 1, 2, 3, 4]]

    assert await coalescer.call(7) == 14
    assert server.round_trips[-1] == [7], "a later turn makes a round trip of its own"


async def test_a_result_not_awaited_is_still_sent() -> None:
    server = Server()
    coalescer = Coalescer(server.send)
    future = coalescer.submit(3)
    await asyncio.sleep(0.01)
    assert server.round_trips == [[3]]
    assert future.result() == 6


async def test_a_failed_round_trip_fails_every_call_in_it() -> None:
    server = Server()
    server.failure = ConnectionError("redis went away")
    coalescer = Coalescer(server.send)
    results = await asyncio.gather(*(coalescer.call(i) for i in range(3)), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)
    server.failure = None
    assert await coalescer.call(1) == 2, "the next turn goes through"


async def test_large_turns_are_split() -> None:
    server = Server()
    coalescer = Coalescer(server.send)
    count = MAX_BATCH + 5
    results = await asyncio.gather(*(coalescer.call(i) for i in range(count)))
    assert results == [2 * i for i in range(count)]
    assert [len(batch) for batch in server.round_trips] == [MAX_BATCH, 5]
