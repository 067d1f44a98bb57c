"""Stopping background tasks for sure.

On Python 3.11 a cancellation that lands while an inner ``asyncio.wait_for`` (nats-py uses it
for every request and fetch) is completing is swallowed: the task carries on, and one
``cancel()`` followed by ``await task`` can wait forever. So: cancel again until it is done.
"""

from __future__ import annotations

import asyncio
from typing import Any

RECANCEL_EVERY_S = 0.1


async def cancel_and_wait(*tasks: asyncio.Task[Any] | None) -> None:
    """Cancel every task and return once all of them have ended."""
    pending = {task for task in tasks if task is not None and not task.done()}
    while pending:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=RECANCEL_EVERY_S)
    for ended in tasks:
        if ended is not None and not ended.cancelled():
            ended.exception()  # retrieved: an error a stopped task raised is not reported again
