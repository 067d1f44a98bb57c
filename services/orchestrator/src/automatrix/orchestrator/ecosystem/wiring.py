"""How the ecosystem API, the live feed, the MCP endpoint and the dashboard join the gateway."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.routing import Route
from starlette.staticfiles import StaticFiles

from automatrix.orchestrator import mcp_server
from automatrix.orchestrator.ecosystem import hive, neuroweaver_routes, routes, ws
from automatrix.orchestrator.ecosystem.board import StatusBoard
from automatrix.orchestrator.ecosystem.deps import Ecosystem
from automatrix.orchestrator.ecosystem.feed import Feed
from automatrix.orchestrator.ecosystem.loopback import Loopback
from automatrix.orchestrator.ecosystem.summaries import RequestWindow, TrainingBoard
from automatrix.orchestrator.jobs import JobStore
from automatrix.orchestrator.shedding import LoadShedder
from automatrix.shared.contracts import DeploymentRecord
from automatrix.shared.kv import KeyValueStore
from automatrix.shared.rpc import RpcClient
from automatrix.shared.service import Service

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"


def include_routes(api: FastAPI) -> None:
    """The ecosystem routes; before the service's own, so its ``/metrics`` answers JSON too."""
    api.include_router(hive.router)
    api.include_router(routes.router)
    api.include_router(neuroweaver_routes.router)
    api.include_router(ws.router)


def install(
    api: FastAPI,
    service: Service,
    *,
    deployments: KeyValueStore[DeploymentRecord],
    shedder: LoadShedder,
    jobs: JobStore,
    timeout_s: float,
) -> None:
    """The feed, MCP and dashboard; started once the gateway's stores are open."""
    bus = service.bus
    requests, training = RequestWindow(), TrainingBoard()
    board = StatusBoard(
        RpcClient(bus), service.readiness, deployments.values, shedder, requests, training
    )
    feed = Feed(bus, board, requests, training)
    deployments.listeners.append(feed.on_deployment)
    loopback = Loopback(api, timeout_s=timeout_s + 10)
    eco = Ecosystem(bus, RpcClient(bus), board, feed, jobs, loopback)
    endpoint = mcp_server.McpEndpoint(
        mcp_server.build(eco), lambda: getattr(api.state, "context", None)
    )
    api.router.routes.append(Route(mcp_server.PATH, endpoint.app))
    api.mount("/dashboard", StaticFiles(directory=DASHBOARD, html=True), name="dashboard")

    async def start() -> None:
        await feed.start()
        await endpoint.start()
        api.state.ecosystem = eco

    async def stop() -> None:
        api.state.ecosystem = None
        await endpoint.stop()
        await feed.stop()
        await loopback.close()

    service.on_start.append(start)
    service.before_stop.append(stop)
