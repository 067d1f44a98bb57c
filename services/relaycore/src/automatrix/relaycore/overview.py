"""Plain views of the router's live state, shared by its HTTP views and its RPC methods."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from automatrix.relaycore.maintenance import Upkeep
from automatrix.relaycore.routing import Routing
from automatrix.relaycore.scheduler import Scheduler
from automatrix.shared.contracts import DeploymentRecord
from automatrix.shared.contracts.base import utcnow


def deployment_view(record: DeploymentRecord, routing: Routing) -> dict[str, Any]:
    """One deployment: its record plus this replica's breaker, load and statistics."""
    now, wall = time.monotonic(), utcnow()
    stats = routing.stats.get(record.name)
    breaker = routing.breaker(record.name)
    return {
        **record.model_dump(mode="json"),
        "effective_state": record.effective_state(wall).value,
        "inflight": routing.inflight.get(record.name, 0),
        "breaker": breaker.state.value,
        "breaker_cooldown_s": max(0.0, breaker.cooldown_until - now),
        "stats": stats.snapshot(now) if stats else None,
    }


def deployment_views(
    records: Mapping[str, DeploymentRecord], routing: Routing
) -> list[dict[str, Any]]:
    """Every registered deployment, by name."""
    return [deployment_view(record, routing) for _, record in sorted(records.items())]


def queue_view(scheduler: Scheduler) -> dict[str, Any]:
    """What this replica holds per priority, its intake room, and starvation counters."""
    return {
        "routing_enabled": scheduler.enabled,
        "waiting": {level.value: len(q) for level, q in scheduler.queues.items()},
        "intake": {
            level.value: {"room": window.size, "in_hand": window.in_hand}
            for level, window in scheduler.intake.items()
        },
        "starved": {level.value: n for level, n in scheduler.policy.starved.items()},
    }


def recommendation_views(upkeep: Upkeep) -> list[dict[str, Any]]:
    """The latest scaling advice per deployment."""
    return [{**asdict(r), "action": r.action.value} for r in upkeep.recommendations.values()]
