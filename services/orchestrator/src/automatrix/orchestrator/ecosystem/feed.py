"""The live feed behind ``/api/v2/ws/ecosystem``: what changes, pushed to every listener.

Four sources: a platform snapshot each tick (and at once after a registry change), every
deployment state change (the registry watch), every request served (relaycore's request
telemetry, on core NATS, so any gateway replica sees all of them) and every training
progress event. Each listener has a bounded queue; a slow one loses its oldest messages
(counted in ``dropped``), never holds up the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from pydantic import ValidationError

from automatrix.orchestrator.auth import Principal
from automatrix.orchestrator.ecosystem.board import StatusBoard
from automatrix.orchestrator.ecosystem.summaries import RequestWindow, TrainingBoard
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import (
    TELEMETRY,
    TRAINING,
    DeploymentRecord,
    TelemetryEvent,
    TelemetryKind,
    TrainingProgress,
)
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)

QUEUE_SIZE = 256
TICK_S = 1.0


@dataclass(eq=False)
class Listener:
    """One connected client: who it is and what waits to be sent to it."""

    who: Principal
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    dropped: int = 0

    def offer(self, message: dict[str, Any], tenant: str | None = None) -> None:
        """Queue ``message``; one about a tenant goes only to it (or to an admin)."""
        if tenant is not None and not self.who.admin and tenant != self.who.tenant:
            return
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(message)


def message(kind: str, data: Any) -> dict[str, Any]:
    return {"type": kind, "timestamp": utcnow().isoformat(), "data": data}


class Feed:
    """Fans platform events out to listeners; the snapshot ticker runs while any listens."""

    def __init__(
        self,
        bus: Bus,
        board: StatusBoard,
        requests: RequestWindow,
        training: TrainingBoard,
        *,
        tick_s: float = TICK_S,
    ) -> None:
        self.bus = bus
        self.board = board
        self.requests = requests
        self.training = training
        self.tick_s = tick_s
        self.listeners: set[Listener] = set()
        self._states: dict[str, tuple[str, str]] = {}
        self._subscriptions: list[Subscription] = []
        self._ticker: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    async def start(self) -> None:
        nc = self.bus.nc
        request_subject = TELEMETRY.format(service="relaycore", kind=TelemetryKind.REQUEST.value)
        self._subscriptions = [
            await nc.subscribe(request_subject, cb=self._on_request),
            await nc.subscribe(TRAINING.filter(), cb=self._on_training),
        ]
        self._ticker = asyncio.create_task(self._tick(), name="ecosystem-feed")

    async def stop(self) -> None:
        await cancel_and_wait(self._ticker)
        self._ticker = None
        for subscription in self._subscriptions:
            with contextlib.suppress(Exception):
                await subscription.unsubscribe()
        self._subscriptions = []

    @contextlib.contextmanager
    def listen(self, who: Principal) -> Iterator[Listener]:
        listener = Listener(who)
        self.listeners.add(listener)
        self._wake.set()
        try:
            yield listener
        finally:
            self.listeners.discard(listener)

    def broadcast(self, msg: dict[str, Any], *, tenant: str | None = None) -> None:
        for listener in self.listeners:
            listener.offer(msg, tenant)

    def on_deployment(self, name: str, record: DeploymentRecord | None) -> None:
        """Registry watch: announce a deployment's state when it changes (not on heartbeats)."""
        if record is None:
            if self._states.pop(name, None) is not None:
                self.broadcast(message("deployment", {"name": name, "removed": True}))
                self._wake.set()
            return
        state = (record.state.value, record.effective_state().value)
        if self._states.get(name) == state:
            return
        self._states[name] = state
        data = {
            "name": name,
            "removed": False,
            "model_group": record.model_group,
            "state": state[0],
            "effective_state": state[1],
            "state_reason": record.state_reason,
            "updated_at": record.updated_at.isoformat(),
        }
        self.broadcast(message("deployment", data))
        self._wake.set()

    async def _on_request(self, msg: Msg) -> None:
        try:
            event = TelemetryEvent.model_validate_json(msg.data)
        except ValidationError:
            return
        ok = event.outcome is not None and event.outcome.value in ("success", "cached")
        self.requests.record(time.monotonic(), ok=ok, latency_ms=event.latency_ms)
        data = {
            "request_id": event.request_id,
            "deployment": event.deployment,
            "model_group": event.attributes.get("model_group"),
            "priority": event.attributes.get("priority"),
            "outcome": event.outcome.value if event.outcome else None,
            "error_kind": event.error_kind.value if event.error_kind else None,
            "latency_ms": event.latency_ms,
            "attempt": event.attempt,
        }
        self.broadcast(message("request", data), tenant=event.tenant)

    async def _on_training(self, msg: Msg) -> None:
        try:
            event = TrainingProgress.model_validate_json(msg.data)
        except ValidationError:
            return
        self.training.record(event)
        self.broadcast(message("training", event.model_dump(mode="json")))

    async def _tick(self) -> None:
        while True:
            if self.listeners:
                try:
                    snapshot = await self.board.snapshot()
                except Exception:
                    log.exception("could not build the ecosystem snapshot")
                else:
                    self.broadcast(message("snapshot", snapshot))
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.tick_s):
                    await self._wake.wait()
