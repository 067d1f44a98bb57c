"""bench's OpenAI-compatible upstream, with faults and delays a test switches on as it runs.

The upstream runs on an event loop of its own, in a thread, so a platform started by the
launcher (other processes) can call it while the test blocks on its own HTTP calls. The
bursts and delays are per model, so the deployments behind one server fail independently.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter, deque
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any, Self, TypeVar

from aiohttp import web

from bench.upstream import ERRORS, Upstream, UpstreamConfig, UpstreamError

T = TypeVar("T")


class ScriptedUpstream(Upstream):
    """Answers each model's next requests with the faults queued for it, after its delay."""

    def __init__(self, config: UpstreamConfig | None = None) -> None:
        super().__init__(config=config or UpstreamConfig())
        self.bursts: dict[str, deque[str]] = {}
        self.delays: dict[str, float] = {}
        self.calls: Counter[str] = Counter()
        """Requests that reached the fault switch, per model (answered or not)."""
        self.failed: Counter[str] = Counter()
        self.callers: Counter[str] = Counter()
        """Requests per ``Authorization`` header: which client process called."""

    async def _body(self, request: web.Request) -> dict[str, Any]:
        self.callers[request.headers.get("Authorization", "")] += 1
        return await super()._body(request)

    async def _inject(self, model: str, text: str) -> None:
        self.calls[model] += 1
        if delay := self.delays.get(model, 0.0):
            await asyncio.sleep(delay)  # the upstream's own latency, which the test sets
        queued = self.bursts.get(model)
        if queued:
            name = queued.popleft()
            self.failed[model] += 1
            raise UpstreamError(
                name,
                model=model,
                retry_after=f"{self.config.retry_after_s:g}",
                limit=self.config.context_tokens,
                tokens=self.config.context_tokens + 1,
            )
        await super()._inject(model, text)


class UpstreamThread:
    """Runs a ``ScriptedUpstream`` on its own loop; ``call`` changes it from the test thread."""

    def __init__(self, upstream: ScriptedUpstream) -> None:
        self.upstream = upstream
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="upstream")

    @property
    def base_url(self) -> str:
        return self.upstream.base_url

    def __enter__(self) -> Self:
        self._thread.start()
        self._run(self.upstream.start())
        return self

    def __exit__(self, *_: object) -> None:
        try:
            self._run(self.upstream.stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(30)

    def call(self, change: Callable[[ScriptedUpstream], T]) -> T:
        """Run ``change(upstream)`` on the upstream's loop, between two of its requests."""
        done: Future[T] = Future()

        def run() -> None:
            try:
                done.set_result(change(self.upstream))
            except BaseException as exc:
                done.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return done.result(30)

    def burst(self, model: str, faults: list[str]) -> None:
        """Answer the next ``len(faults)`` requests for ``model`` with these faults, in order."""
        unknown = set(faults) - set(ERRORS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {sorted(ERRORS)}")
        self.call(lambda up: up.bursts.setdefault(model, deque()).extend(faults))

    def pending_faults(self, model: str) -> int:
        return self.call(lambda up: len(up.bursts.get(model, ())))

    def delay(self, model: str, seconds: float) -> None:
        self.call(lambda up: up.delays.__setitem__(model, seconds))

    def calls(self, model: str) -> int:
        return self.call(lambda up: up.calls[model])

    def failed(self, model: str) -> int:
        return self.call(lambda up: up.failed[model])
