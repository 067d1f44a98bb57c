"""Read-only HTTP views of the router: deployments with their live state, queues, advice."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from automatrix.relaycore.maintenance import Upkeep
from automatrix.relaycore.routing import Routing
from automatrix.relaycore.scheduler import Scheduler
from automatrix.shared.contracts import DeploymentRecord
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.kv import KeyValueStore


def routes(
    registry: KeyValueStore[DeploymentRecord],
    routing: Routing,
    scheduler: Scheduler,
    upkeep: Upkeep,
) -> list[Route]:
    """``/v1/relay/deployments``, ``/v1/relay/queues``, ``/v1/relay/recommendations``."""

    async def deployments(_: Request) -> JSONResponse:
        now, wall = time.monotonic(), utcnow()
        items: list[dict[str, Any]] = []
        for name, record in sorted(registry.values.items()):
            stats = routing.stats.get(name)
            items.append(
                {
                    **record.model_dump(mode="json"),
                    "effective_state": record.effective_state(wall).value,
                    "inflight": routing.inflight.get(name, 0),
                    "breaker": routing.breaker(name).state.value,
                    "breaker_cooldown_s": max(0.0, routing.breaker(name).cooldown_until - now),
                    "stats": stats.snapshot(now) if stats else None,
                }
            )
        return JSONResponse({"deployments": items})

    async def queues(_: Request) -> JSONResponse:
        return JSONResponse(
            {
                "routing_enabled": scheduler.enabled,
                "waiting": {level.value: len(q) for level, q in scheduler.queues.items()},
                "intake": {
                    level.value: {"room": window.size, "in_hand": window.in_hand}
                    for level, window in scheduler.intake.items()
                },
                "starved": {level.value: n for level, n in scheduler.policy.starved.items()},
            }
        )

    async def recommendations(_: Request) -> JSONResponse:
        advice = [{**asdict(r), "action": r.action.value} for r in upkeep.recommendations.values()]
        return JSONResponse({"recommendations": advice})

    return [
        Route("/v1/relay/deployments", deployments),
        Route("/v1/relay/queues", queues),
        Route("/v1/relay/recommendations", recommendations),
    ]
