"""How many requests of one priority a replica takes from JetStream: a window that resizes."""

from __future__ import annotations

import asyncio
from collections import deque


class IntakeWindow:
    """A semaphore whose size the scheduler sets; the bus consumer of one level fetches by it.

    Its room is what the level's request consumer may have in hand (taken, not yet settled).
    Made smaller than what is in hand, it lends nothing until enough messages are settled.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.in_hand = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    def locked(self) -> bool:
        """True while no message more may be taken."""
        return self.in_hand >= self.size

    async def acquire(self) -> bool:
        """Wait for room for one message, then take it."""
        while self.in_hand >= self.size:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake()  # woken, then cancelled: the room goes to the next one
                raise
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
        self.in_hand += 1
        return True

    def release(self) -> None:
        """A message in hand was settled (or a fetch left its room unused)."""
        self.in_hand -= 1
        self._wake()

    def resize(self, size: int) -> None:
        """Room for ``size`` messages in hand from now on."""
        if size != self.size:
            self.size = size
            self._wake()

    def _wake(self) -> None:
        room = self.size - self.in_hand
        while room > 0 and self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                room -= 1
