"""HTTP load for the gateway comparisons: open loop at a fixed rate, and closed loop to saturation.

One aiohttp session per target keeps its connections alive between requests, so no request
pays for a TCP handshake after the warm-up. An open-loop request's latency counts from the
moment the schedule said to send it (not from when it went out), so a client or a server that
falls behind shows up in the latency instead of lowering the rate it was offered (wrk2's
coordinated-omission rule). A request counts as answered only with status 200 and a body that
holds the upstream's ``echo:`` reply; anything else is an error, counted by its cause.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

CHAT = "/chat/completions"
REPLY_MARK = b"echo:"


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def chat_bodies(model: str, count: int, *, max_tokens: int = 16) -> list[bytes]:
    """``count`` distinct pre-encoded chat requests, so no cache could answer one for another."""
    return [
        json.dumps(
            {
                "model": model,
                "messages": [
                    {"role": "user", "content": f"Tell me one fact about the number {n}."}
                ],
                "max_tokens": max_tokens,
                "temperature": 0,
            }
        ).encode()
        for n in range(count)
    ]


@dataclass(frozen=True)
class Target:
    """Where to send chat requests: a base URL ending in ``/v1`` and the headers it needs."""

    name: str
    base_url: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def chat_url(self) -> str:
        return self.base_url.rstrip("/") + CHAT


@dataclass
class Window:
    """What one stretch of load got: answered latencies, errors by cause, and its length."""

    offered_rps: float | None
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    sent: int = 0
    """Every request sent, warm-up ones included (what the servers' CPU time was spent on)."""

    @property
    def ok(self) -> int:
        return len(self.latencies_ms)

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else 0.0

    def merge(self, other: Window) -> None:
        self.seconds += other.seconds
        self.latencies_ms.extend(other.latencies_ms)
        self.errors.update(other.errors)
        self.sent += other.sent

    def summary(self) -> dict[str, Any]:
        return {
            "p50_ms": round(percentile(self.latencies_ms, 0.50), 3),
            "p99_ms": round(percentile(self.latencies_ms, 0.99), 3),
            "rps": round(self.rps, 1),
            "ok": self.ok,
            "errors": self.errors.total(),
        }


class Client:
    """One keep-alive session per target, shared by every window sent to it."""

    def __init__(self, *, timeout_s: float = 30.0, connections: int = 1024) -> None:
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self.connections = connections
        self._sessions: dict[str, aiohttp.ClientSession] = {}

    def session(self, target: Target) -> aiohttp.ClientSession:
        found = self._sessions.get(target.name)
        if found is None:
            connector = aiohttp.TCPConnector(limit=self.connections, keepalive_timeout=300)
            found = aiohttp.ClientSession(
                connector=connector,
                timeout=self.timeout,
                headers={"Content-Type": "application/json", **target.headers},
                skip_auto_headers=("User-Agent",),
            )
            self._sessions[target.name] = found
        return found

    async def close(self) -> None:
        for session in self._sessions.values():
            await session.close()
        self._sessions.clear()

    async def send(self, target: Target, body: bytes) -> str | None:
        """One request; None when answered, else the cause of the error."""
        try:
            async with self.session(target).post(target.chat_url, data=body) as response:
                data = await response.read()
        except TimeoutError:
            return "timeout"
        except aiohttp.ClientError as exc:
            return type(exc).__name__
        if response.status != 200:
            return f"http {response.status}"
        if REPLY_MARK not in data:
            return "no reply"
        return None

    async def fixed_rate(
        self, target: Target, bodies: Sequence[bytes], rate: float, seconds: float
    ) -> Window:
        """Send at ``rate``/s for ``seconds`` on schedule, however many are still in flight."""
        window = Window(offered_rps=rate)
        loop = asyncio.get_running_loop()
        count = max(1, round(rate * seconds))
        start = loop.time() + 0.01
        pending: list[asyncio.Task[None]] = []
        done_at = start

        async def one(at: float, body: bytes) -> None:
            nonlocal done_at
            error = await self.send(target, body)
            now = loop.time()
            done_at = max(done_at, now)
            if error is None:
                window.latencies_ms.append((now - at) * 1000)
            else:
                window.errors[error] += 1

        for index in range(count):
            at = start + index / rate
            if (wait := at - loop.time()) > 0:
                await asyncio.sleep(wait)
            pending.append(asyncio.create_task(one(at, bodies[index % len(bodies)])))
        await asyncio.gather(*pending)
        window.seconds = max(seconds, done_at - start)
        window.sent = count
        return window

    async def closed_loop(
        self,
        target: Target,
        bodies: Sequence[bytes],
        clients: int,
        seconds: float,
        *,
        warmup_s: float = 1.0,
    ) -> Window:
        """``clients`` senders, each sending its next request when the last is answered."""
        window = Window(offered_rps=None)
        counter = itertools.count()
        measuring = False

        async def sender(until: float) -> None:
            while (started := time.perf_counter()) < until:
                error = await self.send(target, bodies[next(counter) % len(bodies)])
                window.sent += 1
                if not measuring:
                    continue
                if error is None:
                    window.latencies_ms.append((time.perf_counter() - started) * 1000)
                else:
                    window.errors[error] += 1

        warm_until = time.perf_counter() + warmup_s
        await asyncio.gather(*(sender(warm_until) for _ in range(clients)))
        measuring = True
        started = time.perf_counter()
        await asyncio.gather(*(sender(started + seconds) for _ in range(clients)))
        window.seconds = time.perf_counter() - started
        return window
