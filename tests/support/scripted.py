"""Deployments whose behaviour a test scripts: they register, take dispatches and answer.

They stand where the inference service stands (the router under test is real, and so are
NATS and Redis): each consumes ``ai.v1.dispatch.<name>`` and answers the way the inference
service does — a completion to the requester, a failure to ``report_failure_to``.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.contracts import (
    DISPATCH,
    ControlEvent,
    ControlKind,
    ErrorKind,
    FailedAttempt,
    InferenceCompleted,
    InferenceDispatched,
    InferenceFailed,
    Usage,
)
from tests.support.processes import wait_until


class ScriptedDeployment:
    """One deployment: registration facts, a gate to hold work, and a failure switch."""

    def __init__(
        self,
        name: str,
        *,
        group: str | None = None,
        capabilities: dict[str, float] | None = None,
        concurrency: int = 2,
        kind: str = "chat",
        heartbeat_interval_s: float = 3600.0,
        **fields: Any,
    ) -> None:
        self.name = name
        self.group = group or name
        self.capabilities = capabilities or {"chat": 0.9}
        self.concurrency = concurrency
        self.kind = kind
        self.heartbeat_interval_s = heartbeat_interval_s
        self.fields = fields
        self.received: list[InferenceDispatched] = []
        self.answered: list[str] = []
        self.active = 0
        self.peak = 0
        self.fail_with: ErrorKind | None = None
        self.fail_next = 0
        self.delay_s = 0.0
        """How long each answer takes."""
        """Fail this many more attempts (with ``unavailable``), then go back to normal."""
        self.gate = asyncio.Event()
        self.gate.set()
        self.held = 0
        self.hold: set[str] = set()
        """Request ids held until ``release_held()``, whatever the gate."""
        self._held_events: list[asyncio.Event] = []
        self.bus: Bus | None = None

    def registration(self) -> ControlEvent:
        return ControlEvent(
            kind=ControlKind.DEPLOYMENT_REGISTER,
            target=self.name,
            issued_by=f"tests/{self.name}",
            payload={
                "model_group": self.group,
                "model": f"test/{self.name}",
                "kind": self.kind,
                "capabilities": dict(self.capabilities),
                "concurrency": self.concurrency,
                "instance": f"{self.name}-1",
                "interval_s": self.heartbeat_interval_s,
                **self.fields,
            },
        )

    def heartbeat(self) -> ControlEvent:
        return ControlEvent(
            kind=ControlKind.DEPLOYMENT_HEARTBEAT,
            target=self.name,
            issued_by=f"tests/{self.name}",
            payload={"instance": f"{self.name}-1"},
        )

    def serve(self, bus: Bus) -> None:
        """Subscribe before ``bus.start()``; the window is larger than the concurrency so a
        router that over-dispatches shows up in ``peak``."""
        self.bus = bus
        bus.subscribe(
            ConsumerSpec.on(DISPATCH, f"tests-{self.name}", deployment=self.name),
            InferenceDispatched,
            self.handle,
            batch=max(8, self.concurrency * 4),
        )

    def release_held(self) -> None:
        """Let the dispatches held so far go (the gate stays as it is)."""
        for release in self._held_events:
            release.set()
        self._held_events.clear()

    def dispatch_counts(self) -> Counter[str]:
        return Counter(d.request_id for d in self.received)

    async def handle(self, event: InferenceDispatched, _: Delivery) -> None:
        assert self.bus is not None
        self.received.append(event)
        self.active += 1
        self.peak = max(self.peak, self.active)
        try:
            if not self.gate.is_set() or event.request_id in self.hold:
                self.held += 1
                release = asyncio.Event()
                self._held_events.append(release)
                waits = [asyncio.create_task(release.wait())]
                if event.request_id not in self.hold:
                    waits.append(asyncio.create_task(self.gate.wait()))
                settled = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                for task in settled[1]:
                    task.cancel()
                self.held -= 1
            if self.delay_s:
                await asyncio.sleep(self.delay_s)  # the work a real model would do
            await self._answer(event)
        finally:
            self.active -= 1

    async def _answer(self, event: InferenceDispatched) -> None:
        assert self.bus is not None
        request = event.request
        self.answered.append(request.request_id)
        failure = self.fail_with
        if self.fail_next > 0:
            self.fail_next -= 1
            failure = failure or ErrorKind.UNAVAILABLE
        if failure is not None:
            await self.bus.publish(
                InferenceFailed(
                    tenant=event.tenant,
                    request_id=request.request_id,
                    requester=event.report_failure_to or request.requester,
                    kind=failure,
                    message=f"{self.name} scripted to fail",
                    retryable=failure.transient,
                    attempts=[
                        FailedAttempt(deployment=self.name, kind=failure, message="scripted")
                    ],
                )
            )
            return
        await self.bus.publish(
            InferenceCompleted(
                tenant=event.tenant,
                request_id=request.request_id,
                requester=request.requester,
                deployment=self.name,
                model=f"test-{self.name}",
                output=f"{self.name} answered attempt {event.attempt}",
                usage=Usage(input_tokens=1, output_tokens=1, total_tokens=2),
                latency_ms=1.0,
            )
        )


async def register(bus: Bus, *deployments: ScriptedDeployment) -> None:
    for deployment in deployments:
        await bus.publish(deployment.registration())


async def until_held(deployment: ScriptedDeployment, count: int) -> None:
    """Wait until ``count`` dispatches are held by ``deployment``."""

    async def held() -> bool:
        return deployment.held >= count

    await wait_until(held, within=15, what=f"{count} dispatches held by {deployment.name}")
