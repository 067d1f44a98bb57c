"""A requester on the bus: reads its results and the inference telemetry, by request id."""

from __future__ import annotations

import asyncio
from typing import Any

from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.contracts import (
    RESULTS,
    TELEMETRY,
    InferenceCompleted,
    InferenceDispatched,
    InferenceFailed,
    InferenceRequested,
    TelemetryEvent,
)

REQUESTER = "tests"


class Inbox:
    """Results addressed to ``REQUESTER`` and inference telemetry, keyed by request id."""

    def __init__(self) -> None:
        self.results: dict[str, InferenceCompleted | InferenceFailed] = {}
        self.telemetry: dict[str, TelemetryEvent] = {}
        self.changed = asyncio.Condition()

    async def _put(self, into: dict[str, Any], key: str, value: Any) -> None:
        async with self.changed:
            into[key] = value
            self.changed.notify_all()

    async def on_completed(self, event: InferenceCompleted, _: Delivery) -> None:
        await self._put(self.results, event.request_id, event)

    async def on_failed(self, event: InferenceFailed, _: Delivery) -> None:
        await self._put(self.results, event.request_id, event)

    async def on_telemetry(self, event: TelemetryEvent, _: Delivery) -> None:
        assert event.request_id is not None
        await self._put(self.telemetry, event.request_id, event)

    def listen(self, bus: Bus) -> None:
        """Subscribe before ``bus.start()``.

        Completed and failed share the requester's subject; each reader takes its own type
        (the other type is dead-lettered as schema-invalid for that reader).
        """
        bus.subscribe(
            ConsumerSpec.on(RESULTS, "tests-completed", requester=REQUESTER),
            InferenceCompleted,
            self.on_completed,
        )
        bus.subscribe(
            ConsumerSpec.on(RESULTS, "tests-failed", requester=REQUESTER),
            InferenceFailed,
            self.on_failed,
        )
        bus.subscribe(
            ConsumerSpec.on(TELEMETRY, "tests-telemetry", service="inference", kind="request"),
            TelemetryEvent,
            self.on_telemetry,
        )

    async def result(
        self, request_id: str, within: float = 60.0
    ) -> InferenceCompleted | InferenceFailed:
        """The result, once its telemetry record has arrived too."""
        async with asyncio.timeout(within), self.changed:
            await self.changed.wait_for(
                lambda: request_id in self.results and request_id in self.telemetry
            )
        return self.results[request_id]


def dispatched(deployment: str, request_id: str, **fields: Any) -> InferenceDispatched:
    """A dispatch of a new request (chat unless ``input`` is given) to ``deployment``."""
    request = InferenceRequested(
        request_id=request_id, requester=REQUESTER, model=deployment, **fields
    )
    return InferenceDispatched(
        request_id=request_id, deployment=deployment, request=request, deadline=request.deadline
    )
