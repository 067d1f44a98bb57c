"""Forecasts and sizing advice per deployment, from the volume every replica records.

Forecasts are cached per (deployment, horizon, last complete bucket): a new one is made once
a bucket has closed, and runs in a worker thread so the event loop keeps serving.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from automatrix.neuroweaver.insights.capacity import advise
from automatrix.neuroweaver.insights.forecast import Forecast, forecast
from automatrix.neuroweaver.insights.served import ServedModels, candidate_name
from automatrix.neuroweaver.insights.settings import InsightsSettings
from automatrix.neuroweaver.insights.volume import VolumeStore
from automatrix.shared.contracts import DeploymentRecord, RpcErrorCode
from automatrix.shared.contracts.registry import HEARTBEATS_MISSED
from automatrix.shared.kv import KeyValueStore
from automatrix.shared.rpc import RpcFailure

RECENT_LATENCY_S = 600.0
"""Mean latency for sizing is taken over this much recent history."""


class CapacityPlanner:
    """Volume forecasts with their held-out error, and replicas needed for the peak."""

    def __init__(
        self,
        volume: VolumeStore,
        registry: KeyValueStore[DeploymentRecord],
        settings: InsightsSettings,
        served: ServedModels | None = None,
    ) -> None:
        self.volume = volume
        self.registry = registry
        self.settings = settings
        self.served = served
        self._forecasts: dict[tuple[str, int, int, int], Forecast] = {}

    async def forecasts(self, only: str | None, horizon: int) -> list[dict[str, Any]]:
        """One view per deployment with traffic in the history (or just ``only``)."""
        settings = self.settings
        known = await self.volume.deployments()
        if only is not None and only not in known and only not in self.registry.values:
            raise RpcFailure(RpcErrorCode.NOT_FOUND, f"no deployment {only!r} has been seen")
        names = [only] if only else sorted(known)
        last = self.volume.bucket(time.time()) - 1  # the last complete bucket
        model = await self.served.forecaster() if self.served is not None else None
        extra = {candidate_name(model[0]): model[1]} if model is not None else {}
        version = model[0] if model is not None else 0
        views = []
        for name in names:
            series = await self.volume.series(name, last=last, buckets=settings.history_buckets)
            counts = from_first_traffic(series.requests)
            if not counts and only is None:
                continue  # no traffic within the history: gone, or not yet serving
            key = (name, horizon, last, version)
            result = self._forecasts.get(key)
            if result is None:
                result = await asyncio.to_thread(
                    forecast,
                    counts,
                    horizon=horizon,
                    season=settings.season_buckets(),
                    extra=extra,
                )
                self._forecasts = {k: v for k, v in self._forecasts.items() if k[2] == last}
                self._forecasts[key] = result
            recent = max(1, round(RECENT_LATENCY_S / settings.bucket_s))
            latency = series.mean_latency_ms(last=recent) or series.mean_latency_ms()
            views.append(self._view(name, known.get(name), result, counts, latency))
        return views

    def _view(
        self,
        name: str,
        group: str | None,
        result: Forecast,
        counts: list[float],
        latency: float | None,
    ) -> dict[str, Any]:
        bucket_s = self.settings.bucket_s
        record = self.registry.values.get(name)
        advice = None
        if record is not None:
            advice = asdict(
                advise(
                    deployment=name,
                    peak_per_bucket=result.peak,
                    bucket_s=bucket_s,
                    mean_latency_ms=latency,
                    concurrency=record.concurrency,
                    replicas=_live_instances(record),
                    target_utilisation=self.settings.target_utilisation,
                )
            )
        return {
            "deployment": name,
            "model_group": record.model_group if record else group,
            "method": result.method,
            "forecast": [round(v, 3) for v in result.values],
            "peak_per_bucket": round(result.peak, 3),
            "peak_rps": round(result.peak / bucket_s, 4),
            "recent_rps": round(counts[-1] / bucket_s, 4) if counts else 0.0,
            "mean_latency_ms": latency,
            "mae": result.mae,
            "naive_mae": result.naive_mae,
            "skill": result.skill,
            "candidates": result.candidates,
            "history_buckets": result.history,
            "recommendation": advice,
        }


def _live_instances(record: DeploymentRecord) -> int:
    """Replicas of the deployment whose heartbeat is recent enough."""
    window = record.heartbeat_interval_s * HEARTBEATS_MISSED
    now = datetime.now(UTC)
    return sum(1 for at in record.instances.values() if (now - at).total_seconds() <= window)


def from_first_traffic(counts: list[float]) -> list[float]:
    """The series from its first non-zero bucket: before it the deployment did not exist."""
    for index, value in enumerate(counts):
        if value:
            return counts[index:]
    return []
