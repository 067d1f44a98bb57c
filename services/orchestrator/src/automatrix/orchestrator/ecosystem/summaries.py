"""Pure summaries behind the live view: served requests, training curves, cache and latency."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from automatrix.shared.contracts import TrainingEventKind, TrainingProgress


def percentile(sorted_values: list[float], q: float) -> float | None:
    """The ``q`` quantile (0..1) of already sorted values, interpolated; None when empty."""
    if not sorted_values:
        return None
    position = q * (len(sorted_values) - 1)
    low, high = math.floor(position), math.ceil(position)
    fraction = position - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction


@dataclass
class RequestWindow:
    """Requests served platform-wide (relaycore's telemetry), over a rolling window."""

    window_s: float = 60.0
    max_samples: int = 10_000
    served_total: int = 0
    failed_total: int = 0
    _samples: deque[tuple[float, bool, float | None]] = field(default_factory=deque)

    def record(self, now: float, *, ok: bool, latency_ms: float | None) -> None:
        self._samples.append((now, ok, latency_ms))
        if ok:
            self.served_total += 1
        else:
            self.failed_total += 1
        while len(self._samples) > self.max_samples:
            self._samples.popleft()

    def summary(self, now: float) -> dict[str, Any]:
        horizon = now - self.window_s
        while self._samples and self._samples[0][0] <= horizon:
            self._samples.popleft()
        latencies = sorted(lat for _, ok, lat in self._samples if ok and lat is not None)
        failed = sum(1 for _, ok, _ in self._samples if not ok)
        return {
            "served_total": self.served_total,
            "failed_total": self.failed_total,
            "window_s": self.window_s,
            "in_window": len(self._samples),
            "failed_in_window": failed,
            "per_minute": round(len(self._samples) * 60.0 / self.window_s, 2),
            "latency_ms": {
                "count": len(latencies),
                "mean": round(sum(latencies) / len(latencies), 2) if latencies else None,
                "p50": _rounded(percentile(latencies, 0.5)),
                "p95": _rounded(percentile(latencies, 0.95)),
            },
        }


@dataclass
class TrainingCurve:
    """What the feed knows of one training run: where it is and its metrics so far."""

    run_id: str
    model_name: str
    state: str
    updated_at: datetime
    epoch: int | None = None
    trial: int | None = None
    step: int | None = None
    total: int | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    message: str = ""
    points: list[dict[str, Any]] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "model_name": self.model_name,
            "state": self.state,
            "updated_at": self.updated_at.isoformat(),
            "epoch": self.epoch,
            "trial": self.trial,
            "step": self.step,
            "total": self.total,
            "metrics": self.metrics,
            "message": self.message,
            "points": self.points,
        }


_STATES = {
    TrainingEventKind.STARTED: "running",
    TrainingEventKind.EPOCH: "running",
    TrainingEventKind.TRIAL: "running",
    TrainingEventKind.COMPLETED: "completed",
    TrainingEventKind.FAILED: "failed",
}


@dataclass
class TrainingBoard:
    """The latest training runs seen on the bus, each with a bounded metrics curve."""

    max_runs: int = 8
    max_points: int = 500
    runs: dict[str, TrainingCurve] = field(default_factory=dict)

    def record(self, event: TrainingProgress) -> TrainingCurve:
        curve = self.runs.get(event.run_id)
        if curve is None:
            curve = TrainingCurve(
                run_id=event.run_id,
                model_name=event.model_name,
                state="running",
                updated_at=event.timestamp,
            )
            self.runs[event.run_id] = curve
            while len(self.runs) > self.max_runs:
                oldest = min(self.runs.values(), key=lambda c: c.updated_at)
                del self.runs[oldest.run_id]
        curve.state = _STATES[event.event]
        curve.updated_at = event.timestamp
        curve.message = event.message or curve.message
        for name in ("epoch", "trial", "step", "total"):
            value = getattr(event, name)
            if value is not None:
                setattr(curve, name, value)
        if event.metrics:
            curve.metrics = dict(event.metrics)
            point: dict[str, Any] = {
                "event": event.event.value,
                "epoch": event.epoch,
                "trial": event.trial,
                "step": event.step,
                "metrics": dict(event.metrics),
            }
            curve.points.append(point)
            del curve.points[: -self.max_points]
        return curve

    def views(self) -> list[dict[str, Any]]:
        ordered = sorted(self.runs.values(), key=lambda c: c.updated_at, reverse=True)
        return [curve.view() for curve in ordered]


@dataclass(frozen=True, slots=True)
class Sample:
    """One Prometheus sample: its name, labels and value."""

    name: str
    labels: dict[str, str]
    value: float


def cache_summary(samples: Iterable[Sample]) -> dict[str, Any]:
    """Lookups by outcome and the hit rate among lookups that were not bypassed."""
    counts = {"hit-exact": 0.0, "hit-semantic": 0.0, "miss": 0.0, "bypass": 0.0}
    for sample in samples:
        if sample.name.endswith("_total") and sample.labels.get("outcome") in counts:
            counts[sample.labels["outcome"]] += sample.value
    hits = counts["hit-exact"] + counts["hit-semantic"]
    looked_up = hits + counts["miss"]
    return {
        "hits_exact": int(counts["hit-exact"]),
        "hits_semantic": int(counts["hit-semantic"]),
        "misses": int(counts["miss"]),
        "bypassed": int(counts["bypass"]),
        "hit_rate": round(hits / looked_up, 4) if looked_up else None,
    }


def histogram_summary(samples: Iterable[Sample]) -> dict[str, Any]:
    """Count, mean and interpolated p50/p95 (ms) of a seconds histogram, all labels summed."""
    buckets: dict[float, float] = {}
    count = total = 0.0
    for sample in samples:
        if sample.name.endswith("_bucket"):
            bound = float(sample.labels["le"])
            buckets[bound] = buckets.get(bound, 0.0) + sample.value
        elif sample.name.endswith("_count"):
            count += sample.value
        elif sample.name.endswith("_sum"):
            total += sample.value
    cumulative = sorted(buckets.items())
    return {
        "count": int(count),
        "mean": round(total / count * 1000, 2) if count else None,
        "p50": _rounded(_bucket_quantile(cumulative, count, 0.5)),
        "p95": _rounded(_bucket_quantile(cumulative, count, 0.95)),
    }


def _bucket_quantile(cumulative: list[tuple[float, float]], count: float, q: float) -> float | None:
    """Prometheus' histogram_quantile over cumulative buckets, in milliseconds."""
    if not count or not cumulative:
        return None
    rank = q * count
    lower_bound, lower_count = 0.0, 0.0
    for bound, seen in cumulative:
        if seen >= rank:
            if math.isinf(bound):
                return lower_bound * 1000
            width = seen - lower_count
            fraction = (rank - lower_count) / width if width else 1.0
            return (lower_bound + (bound - lower_bound) * fraction) * 1000
        lower_bound, lower_count = bound, seen
    return lower_bound * 1000


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
