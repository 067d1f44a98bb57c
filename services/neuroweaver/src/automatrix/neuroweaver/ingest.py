"""Telemetry into the document store (collection ``telemetry``): the raw material of datasets.

One durable consumer shared by neuroweaver replicas reads every telemetry event; each is
stored under its message id, so a redelivery rewrites the same document instead of counting
twice. Learning cycles snapshot what accumulated into dataset versions; analytics read it.
Old records are pruned after ``retention``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.contracts import TELEMETRY, TelemetryEvent
from automatrix.shared.docstore import DocumentStore, Query, Range

COLLECTION = "telemetry"
DURABLE = "neuroweaver-ingest"


def document(event: TelemetryEvent) -> dict[str, Any]:
    """The stored form: the event's fields, unset ones left out, the timestamp a datetime."""
    doc = event.model_dump(exclude_none=True, exclude={"message_id", "schema_version"})
    doc["timestamp"] = event.timestamp
    return doc


class TelemetryIngest:
    """Stores every telemetry event once."""

    def __init__(self, bus: Bus, store: DocumentStore, *, retention: timedelta) -> None:
        self.store = store
        self.retention = retention
        self.ingested = 0
        bus.subscribe(ConsumerSpec.on(TELEMETRY, DURABLE), TelemetryEvent, self._on_event)

    async def _on_event(self, event: TelemetryEvent, _: Delivery) -> None:
        await self.store.put(COLLECTION, event.message_id, document(event))
        self.ingested += 1

    async def prune(self, now: datetime | None = None) -> int:
        """Delete records older than the retention; how many went."""
        cutoff = (now or datetime.now(UTC)) - self.retention
        old = await self.store.find(COLLECTION, Query(ranges={"timestamp": Range(lt=cutoff)}))
        for doc in old:
            await self.store.delete(COLLECTION, doc["_id"])
        return len(old)
