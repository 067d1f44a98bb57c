"""The intake window: room for messages in hand, resized by the scheduler."""

from __future__ import annotations

import asyncio

from automatrix.relaycore.intake import IntakeWindow


async def _taken(window: IntakeWindow) -> asyncio.Task[bool]:
    """An ``acquire`` started now and given every chance to finish."""
    task = asyncio.create_task(window.acquire())
    for _ in range(3):
        await asyncio.sleep(0)
    return task


async def test_takes_up_to_its_size_then_waits_for_a_release() -> None:
    window = IntakeWindow(2)
    assert not window.locked()
    await window.acquire()
    await window.acquire()
    assert window.locked()
    waiting = await _taken(window)
    assert not waiting.done()
    window.release()
    await waiting
    assert window.in_hand == 2


async def test_growing_lets_waiters_in_and_shrinking_holds_them_until_enough_is_settled() -> None:
    window = IntakeWindow(1)
    await window.acquire()
    first, second = await _taken(window), await _taken(window)
    assert not first.done()
    assert not second.done()
    window.resize(3)
    await asyncio.gather(first, second)
    assert window.in_hand == 3

    window.resize(1)
    assert window.locked()
    window.release()
    third = await _taken(window)
    window.release()
    for _ in range(3):
        await asyncio.sleep(0)
    assert not third.done(), "one still in hand: no room below the new size yet"
    window.release()
    await third
    assert (window.in_hand, window.locked()) == (1, True)


async def test_closed_at_zero() -> None:
    window = IntakeWindow(0)
    assert window.locked()
    waiting = await _taken(window)
    assert not waiting.done()
    window.resize(1)
    await waiting


async def test_a_waiter_cancelled_after_being_woken_passes_the_room_on() -> None:
    window = IntakeWindow(1)
    await window.acquire()
    first, second = await _taken(window), await _taken(window)
    window.release()  # wakes ``first``, which has not run yet
    first.cancel()
    for _ in range(3):
        await asyncio.sleep(0)
    assert first.cancelled()
    await second
    assert window.in_hand == 1
