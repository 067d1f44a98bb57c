"""Read-only HTTP views of the router: deployments with their live state, queues, advice."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from automatrix.relaycore.maintenance import Upkeep
from automatrix.relaycore.overview import deployment_views, queue_view, recommendation_views
from automatrix.relaycore.routing import Routing
from automatrix.relaycore.scheduler import Scheduler
from automatrix.shared.contracts import DeploymentRecord
from automatrix.shared.kv import KeyValueStore


def routes(
    registry: KeyValueStore[DeploymentRecord],
    routing: Routing,
    scheduler: Scheduler,
    upkeep: Upkeep,
) -> list[Route]:
    """``/v1/relay/deployments``, ``/v1/relay/queues``, ``/v1/relay/recommendations``."""

    async def deployments(_: Request) -> JSONResponse:
        return JSONResponse({"deployments": deployment_views(registry.values, routing)})

    async def queues(_: Request) -> JSONResponse:
        return JSONResponse(queue_view(scheduler))

    async def recommendations(_: Request) -> JSONResponse:
        return JSONResponse({"recommendations": recommendation_views(upkeep)})

    return [
        Route("/v1/relay/deployments", deployments),
        Route("/v1/relay/queues", queues),
        Route("/v1/relay/recommendations", recommendations),
    ]
