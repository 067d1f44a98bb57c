"""Analytics over ingested telemetry: success and failure rates, latency trends, promotions.

Filters: deployment, event type (the telemetry kind, e.g. ``request``), and a time range.
Figures are computed from the stored records on each call (bounded by ``MAX_RECORDS``); the
impact of each promotion is the metric change the gate measured when it moved the alias.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import numpy as np
from pydantic import AwareDatetime, BaseModel, Field, model_validator

from automatrix.neuroweaver.ingest import COLLECTION
from automatrix.neuroweaver.registry import Registry
from automatrix.shared.contracts import TelemetryKind
from automatrix.shared.docstore import DocumentStore, Query, Range

MAX_RECORDS = 50_000


class AnalyticsParams(BaseModel):
    """Which telemetry to summarise."""

    model_config = {"extra": "forbid"}

    deployment: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    event_type: TelemetryKind = Field(default=TelemetryKind.REQUEST)
    since: AwareDatetime | None = Field(default=None, description="Default: an hour ago.")
    until: AwareDatetime | None = Field(default=None, description="Default: now.")
    bucket_s: int = Field(default=60, ge=1, le=86_400, description="Latency trend bucket.")

    @model_validator(mode="after")
    def _ordered(self) -> AnalyticsParams:
        if self.since and self.until and self.since >= self.until:
            raise ValueError("since must be before until")
        return self


Outcomes = Literal["success", "error", "timeout", "rejected", "cached"]


def summarise(docs: list[dict[str, Any]], bucket_s: int) -> dict[str, Any]:
    """Rates per deployment and overall, and the latency trend in buckets."""
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for doc in docs:
        per[doc.get("deployment", "-")][doc.get("outcome", "unknown")] += 1
    totals: dict[str, int] = defaultdict(int)
    for counts in per.values():
        for outcome, n in counts.items():
            totals[outcome] += n
    return {
        "records": len(docs),
        "overall": _rates(totals),
        "deployments": {name: _rates(counts) for name, counts in sorted(per.items())},
        "latency_trend": _trend(docs, bucket_s),
    }


def _rates(counts: dict[str, int]) -> dict[str, Any]:
    total = sum(counts.values())
    failed = sum(counts.get(k, 0) for k in ("error", "timeout", "rejected"))
    succeeded = counts.get("success", 0) + counts.get("cached", 0)
    return {
        "total": total,
        "successes": succeeded,
        "failures": failed,
        "success_rate": round(succeeded / total, 4) if total else None,
        "failure_rate": round(failed / total, 4) if total else None,
        "outcomes": dict(sorted(counts.items())),
    }


def _trend(docs: list[dict[str, Any]], bucket_s: int) -> list[dict[str, Any]]:
    buckets: dict[int, list[float]] = defaultdict(list)
    for doc in docs:
        if "latency_ms" in doc:
            stamp: datetime = doc["timestamp"]
            buckets[int(stamp.timestamp()) // bucket_s].append(float(doc["latency_ms"]))
    return [
        {
            "start": datetime.fromtimestamp(key * bucket_s, UTC).isoformat(),
            "count": len(values),
            "mean_ms": round(float(np.mean(values)), 3),
            "p50_ms": round(float(np.percentile(values, 50)), 3),
            "p95_ms": round(float(np.percentile(values, 95)), 3),
        }
        for key, values in sorted(buckets.items())
    ]


class Analytics:
    def __init__(self, store: DocumentStore, registry: Registry) -> None:
        self.store = store
        self.registry = registry

    async def __call__(self, params: AnalyticsParams) -> dict[str, Any]:
        until = params.until or datetime.now(UTC)
        since = params.since or until - timedelta(hours=1)
        equals: dict[str, str] = {"kind": params.event_type.value}
        if params.deployment:
            equals["deployment"] = params.deployment
        docs = await self.store.find(
            COLLECTION,
            Query(
                equals=equals,
                ranges={"timestamp": Range(gte=since, lt=until)},
                sort=[("timestamp", "asc")],
                limit=MAX_RECORDS,
            ),
        )
        summary = summarise(docs, params.bucket_s)
        summary["window"] = {"since": since.isoformat(), "until": until.isoformat()}
        summary["promotions"] = await self.promotions(since, until)
        return summary

    async def promotions(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Each alias move in the window, with the metric change it brought."""
        out = []
        for move in await self.registry.moves(limit=500):
            if not since <= move.at < until:
                continue
            gate = move.gate
            impact = (
                round(gate["candidate"] - gate["incumbent"], 6)
                if "candidate" in gate and "incumbent" in gate
                else None
            )
            out.append(
                {
                    "model": move.name,
                    "alias": move.alias.value,
                    "kind": move.kind,
                    "version": move.version,
                    "previous_version": move.previous_version,
                    "at": move.at.isoformat(),
                    "metric": gate.get("metric"),
                    "impact": impact,
                    "forced": move.forced,
                    "reason": move.reason,
                }
            )
        return out
