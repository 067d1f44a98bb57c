"""The anomaly episodes every replica knows of, rebuilt from the AI_ANOMALIES stream.

Each replica adds what it publishes and what it hears on the stream's subjects, so whichever
replica answers the ``anomalies`` method answers for all of them. Adding is idempotent and
order-free: a resolution that arrives before its detection is kept until the detection comes.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from automatrix.shared.contracts import AnomalyDetected, AnomalyKind, AnomalyResolved

_ENVELOPE = {"schema_version", "message_id", "timestamp", "tenant"}


@dataclass
class AnomalyRecord:
    """One episode: its detection and, once over, its resolution."""

    detected: AnomalyDetected
    resolved: AnomalyResolved | None = None

    @property
    def active(self) -> bool:
        return self.resolved is None

    @property
    def anomaly_id(self) -> str:
        return self.detected.anomaly_id

    def view(self) -> dict[str, Any]:
        """JSON for the RPC methods: the detection's fields and the resolution, if any."""
        data: dict[str, Any] = self.detected.model_dump(mode="json", exclude=_ENVELOPE)
        data["active"] = self.active
        data["resolved_at"] = None
        data["resolution"] = None
        if self.resolved is not None:
            data["resolved_at"] = self.resolved.resolved_at.isoformat()
            data["resolution"] = self.resolved.reason
        return data


class AnomalyBook:
    """Recent episodes by id, in detection order, at most ``limit`` (oldest resolved go first)."""

    def __init__(self, limit: int = 500) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._records: OrderedDict[str, AnomalyRecord] = OrderedDict()
        self._early: OrderedDict[str, AnomalyResolved] = OrderedDict()

    def add(self, event: AnomalyDetected | AnomalyResolved) -> bool:
        """Record an event; True when it changed what the book knows."""
        record = self._records.get(event.anomaly_id)
        if isinstance(event, AnomalyResolved):
            if record is None:
                self._early[event.anomaly_id] = event
                while len(self._early) > self.limit:
                    self._early.popitem(last=False)
                return False
            if record.resolved is not None:
                return False
            record.resolved = event
            return True
        if record is not None:
            return False
        self._records[event.anomaly_id] = AnomalyRecord(
            event, self._early.pop(event.anomaly_id, None)
        )
        self._trim()
        return True

    def get(self, anomaly_id: str) -> AnomalyRecord | None:
        return self._records.get(anomaly_id)

    def open_for(self, deployment: str, kind: AnomalyKind) -> AnomalyRecord | None:
        """The earliest open episode of this kind on this deployment."""
        for record in self._records.values():
            detected = record.detected
            if record.active and detected.deployment == deployment and detected.anomaly is kind:
                return record
        return None

    def active(self, deployment: str | None = None) -> list[AnomalyRecord]:
        return [
            r
            for r in self._records.values()
            if r.active and (deployment is None or r.detected.deployment == deployment)
        ]

    def recent(
        self, *, deployment: str | None = None, active: bool = False, limit: int = 50
    ) -> list[AnomalyRecord]:
        """Newest detections first."""
        chosen = [
            r
            for r in reversed(self._records.values())
            if (deployment is None or r.detected.deployment == deployment)
            and (r.active or not active)
        ]
        return sorted(chosen, key=lambda r: r.detected.detected_at, reverse=True)[:limit]

    def _trim(self) -> None:
        while len(self._records) > self.limit:
            oldest_resolved = next((k for k, r in self._records.items() if not r.active), None)
            if oldest_resolved is None:
                self._records.popitem(last=False)
            else:
                del self._records[oldest_resolved]
