"""The whole platform as the deployment files run it, with an in-process OTLP receiver.

``automatrix up`` starts the four services (and NATS, Redis, embedded Triton) with
``OTEL_EXPORTER_OTLP_ENDPOINT`` pointing at an ``OtlpSink`` in this process: the role the
OpenTelemetry Collector plays in compose.yaml and deploy/k8s. The sink runs its own event
loop on a thread, so it keeps receiving while the launcher blocks this one.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from automatrix.shared.natsserver import free_port
from bench.launched import RunningPlatform, running_platform, wait_for_models
from tests.support.otlp_sink import OtlpSink, SpanRecord

CHAT_MODEL = "gemma3-270m"


class ThreadedSink:
    """An ``OtlpSink`` serving from a thread of its own; ``wait_for`` is called from any other."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.sink: OtlpSink | None = None

    def start(self) -> None:
        self._thread.start()

        async def start() -> OtlpSink:
            sink = OtlpSink()
            await sink.start()
            return sink

        self.sink = asyncio.run_coroutine_threadsafe(start(), self._loop).result(30)

    def stop(self) -> None:
        if self.sink is not None:
            asyncio.run_coroutine_threadsafe(self.sink.stop(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)
        self._loop.close()

    @property
    def endpoint(self) -> str:
        assert self.sink is not None
        return self.sink.endpoint

    def wait_for(
        self, predicate: Callable[[list[SpanRecord]], bool], *, within: float, what: str
    ) -> list[SpanRecord]:
        """Block until ``predicate(spans)`` holds (``OtlpSink.wait_for`` on the sink's loop)."""
        sink = self.sink
        assert sink is not None
        future = asyncio.run_coroutine_threadsafe(
            sink.wait_for(predicate, within=within, what=what), self._loop
        )
        return future.result(within + 10)


@dataclass(frozen=True)
class System:
    """The running platform, its OTLP receiver, and where embedded Triton serves metrics."""

    platform: RunningPlatform
    otlp: ThreadedSink
    triton_metrics: str

    def http(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.platform.url,
            headers={"Authorization": f"Bearer {self.platform.master_key}"},
            timeout=180,
        )


@pytest.fixture(scope="package")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """Started once for tests/deploy; no OTEL_* setting of the caller's leaks in."""
    otlp = ThreadedSink()
    otlp.start()
    triton_metrics_port = free_port()
    env = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": otlp.endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "200",
        "OTEL_METRIC_EXPORT_INTERVAL": "2000",
        "TRITON_METRICS_PORT": str(triton_metrics_port),
        "GATEWAY_TIMEOUT_S": "150",
        "CACHE_ENABLED": "false",
    }
    saved = {name: os.environ.pop(name) for name in list(os.environ) if name.startswith("OTEL_")}
    try:
        with running_platform(
            tmp_path_factory.mktemp("system"), ready_timeout_s=300, extra_env=env
        ) as platform:
            system = System(platform, otlp, f"http://127.0.0.1:{triton_metrics_port}/metrics")
            with system.http() as http:
                wait_for_models(http, {CHAT_MODEL})
            yield system
    finally:
        os.environ.update(saved)
        otlp.stop()
