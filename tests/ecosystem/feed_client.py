"""A WebSocket client of the live feed, reading until the message a test waits for."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

FEED = "/api/v2/ws/ecosystem"


@asynccontextmanager
async def feed(
    base_url: str, key: str | None, *, browser_style: bool = False
) -> AsyncIterator[Feed]:
    """The feed as ``key`` (None: none), by header or, as a browser must, by subprotocol."""
    url = base_url.replace("http://", "ws://") + FEED
    if key is None:
        options: dict[str, Any] = {"subprotocols": ["automatrix.v1"]}
    elif browser_style:
        options = {"subprotocols": ["automatrix.v1", f"bearer.{key}"]}
    else:
        options = {"additional_headers": {"Authorization": f"Bearer {key}"}}
    async with connect(url, proxy=None, open_timeout=30, **options) as socket:
        yield Feed(socket)


class Feed:
    """Reads messages in order, keeping every one it has seen."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.seen: list[dict[str, Any]] = []

    async def until(
        self, kind: str, matches: Callable[[Any], bool] = lambda _: True, within: float = 60
    ) -> dict[str, Any]:
        """The next message of ``kind`` whose data ``matches``; fails after ``within`` s."""
        deadline = time.monotonic() + within
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                kinds = [m["type"] for m in self.seen[-20:]]
                raise AssertionError(f"no matching {kind} message in {within}s (last: {kinds})")
            try:
                async with asyncio.timeout(left):
                    raw = await self.socket.recv()
            except TimeoutError:
                continue
            message: dict[str, Any] = json.loads(raw)
            self.seen.append(message)
            if message["type"] == kind and matches(message["data"]):
                return message
