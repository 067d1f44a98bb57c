"""The process shell every service shares: bus, HTTP (health + its own routes), clean shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import uvicorn
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.types import ASGIApp

from automatrix.shared.bus.bus import Bus
from automatrix.shared.gc_tuning import tune_gc
from automatrix.shared.health import Readiness, health_routes
from automatrix.shared.settings import ServiceSettings
from automatrix.shared.telemetry import Telemetry, setup_telemetry

log = logging.getLogger(__name__)

S = TypeVar("S", bound=ServiceSettings)

Hook = Callable[[], Awaitable[None]]


@dataclass
class Service:
    """One service process: its settings, bus, readiness checks and ASGI app."""

    name: str
    settings: ServiceSettings
    bus: Bus
    readiness: Readiness
    app: ASGIApp
    prepare: list[Hook] = field(default_factory=list)
    """Run before the bus starts consuming: what handlers need (e.g. loaded models)."""
    on_start: list[Hook] = field(default_factory=list)
    """Run once the bus is up: what needs publishing (e.g. registration)."""
    before_stop: list[Hook] = field(default_factory=list)
    """Run while the bus is still up: stop publishing (e.g. heartbeats)."""
    on_stop: list[Hook] = field(default_factory=list)
    """Run after the bus stopped consuming, in reverse order of registration."""

    async def start(self) -> None:
        for hook in self.prepare:
            await hook()
        await connect_with_retry(self.bus)
        for hook in self.on_start:
            await hook()
        if self.bus.connected():
            # Core subscriptions (RPC methods, live feeds) are in place on the server once
            # start returns: a caller on another connection must not get "no responders".
            await self.bus.sync()

    async def stop(self) -> None:
        for hook in reversed(self.before_stop):
            await hook()
        await self.bus.stop()
        for hook in reversed(self.on_stop):
            await hook()


def base_service(name: str, settings: ServiceSettings, app: Starlette | None = None) -> Service:
    """A service with its bus and the readiness checks every service has (NATS, Redis)."""
    redis = Redis.from_url(settings.redis_url)
    bus = Bus(settings, name=f"{name}-{settings.http_port or 'x'}", redis=redis)
    readiness = Readiness()

    async def nats_check() -> str:
        if not bus.connected():
            raise ConnectionError("not connected to NATS")
        info = await bus.js.account_info()
        url = bus.nc.connected_url
        server = f"{url.hostname}:{url.port}" if url else "?"  # never the credentials
        return f"{server}, {info.streams} streams"

    async def redis_check() -> str:
        await redis.ping()
        pending = await bus.fallback.pending()
        return f"ok, {pending} events waiting in the bus fallback"

    readiness.add("nats", nats_check)
    readiness.add("redis", redis_check)
    asgi = app or Starlette()
    for route in health_routes(name, readiness):
        asgi.router.routes.append(route)
    return Service(name=name, settings=settings, bus=bus, readiness=readiness, app=asgi)


async def connect_with_retry(bus: Bus, *, attempts: int = 120, delay_s: float = 0.5) -> None:
    """Start the bus, waiting for NATS to come up (a launcher may still be starting it)."""
    for attempt in range(1, attempts + 1):
        try:
            await bus.start()
            return
        except (OSError, TimeoutError, ConnectionError) as exc:
            if attempt == attempts:
                raise
            log.warning("NATS not reachable yet (%r); retrying", exc)
            await asyncio.sleep(delay_s)


class _Server(uvicorn.Server):
    """uvicorn, minus re-raising the stop signal once it has exited.

    uvicorn re-raises a captured SIGTERM after serving; with the default handler that ends the
    process before ``serve`` can stop the service, so held messages would wait out their
    ack_wait instead of going back to JetStream at once.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        stop_signals = (signal.SIGINT, signal.SIGTERM)
        original = {sig: signal.signal(sig, self.handle_exit) for sig in stop_signals}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


async def serve(service: Service, telemetry: Telemetry) -> None:
    """Run until SIGINT/SIGTERM: start the bus, serve HTTP, then stop in reverse order."""
    try:
        await service.start()
    except BaseException:
        await service.stop()
        telemetry.shutdown()
        raise
    tune_gc()
    config = uvicorn.Config(
        service.app,
        host=service.settings.http_host,
        port=service.settings.http_port,
        log_level="warning",
        lifespan="off",
    )
    try:
        await _Server(config).serve()
    finally:
        await service.stop()
        telemetry.shutdown()


def run(create_app: Callable[[S], Service], settings: S) -> None:
    """Entry point for ``python -m automatrix.<service>``."""
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    telemetry = setup_telemetry(f"automatrix-{settings.service_name}")
    asyncio.run(serve(create_app(settings), telemetry))
