"""``/api/v2/ecosystem/status`` and relaycore's endpoints (deployments, queues, advice).

Reads need any API key; changing a deployment needs an admin key. Every call reaches
relaycore over request-reply, so the answer is relaycore's own live view (breakers, load).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from automatrix.orchestrator.api.deps import PrincipalDep
from automatrix.orchestrator.ecosystem.deps import AdminDep, EcosystemDep
from automatrix.orchestrator.ecosystem.envelope import FAILURES, Envelope, EnvelopeRoute, ok
from automatrix.orchestrator.ecosystem.schemas import Command, DeploymentIn, StateChangeIn
from automatrix.shared.contracts.base import SUBJECT_TOKEN_PATTERN

router = APIRouter(route_class=EnvelopeRoute, responses=FAILURES)
Data = Envelope[dict[str, Any]]
Name = Annotated[str, Path(pattern=SUBJECT_TOKEN_PATTERN, description="Deployment name.")]
ADMIN = {"x-automatrix-admin": True}
"""Marks operations that need an admin key in the OpenAPI document."""


@router.get("/api/v2/ecosystem/status", tags=["ecosystem"], response_model=Data)
async def ecosystem_status(request: Request, eco: EcosystemDep, _: PrincipalDep) -> Data:
    """Service health, deployments with breaker state, queue depths, cache, latency, training."""
    return ok(request, await eco.board.snapshot())


@router.get("/api/v2/relaycore/status", tags=["relaycore"], response_model=Data)
async def relay_status(request: Request, eco: EcosystemDep, _: PrincipalDep) -> Data:
    """relaycore's readiness, routing switch, deployment counts and breakers."""
    return ok(request, await eco.relaycore("status"))


@router.get("/api/v2/relaycore/deployments", tags=["relaycore"], response_model=Data)
async def list_deployments(request: Request, eco: EcosystemDep, _: PrincipalDep) -> Data:
    """Every deployment with its state, breaker, in-flight load and statistics."""
    return ok(request, await eco.relaycore("deployments"))


@router.get("/api/v2/relaycore/deployments/{name}", tags=["relaycore"], response_model=Data)
async def get_deployment(name: Name, request: Request, eco: EcosystemDep, _: PrincipalDep) -> Data:
    """One deployment (404 when it is not registered)."""
    found = await eco.relaycore("deployments", name=name)
    return ok(request, found["deployments"][0])


@router.post(
    "/api/v2/relaycore/deployments",
    tags=["relaycore"],
    response_model=Data,
    status_code=201,
    openapi_extra=ADMIN,
)
async def register_deployment(
    body: DeploymentIn, request: Request, eco: EcosystemDep, who: AdminDep
) -> Data:
    """Register a deployment, or update a registered one's routing facts (admin)."""
    payload = body.model_dump(mode="json", exclude={"name"}) | {"instance": f"api-{who.key_id}"}
    payload["interval_s"] = payload.pop("heartbeat_interval_s")
    return ok(request, await eco.control(who, "register", body.name, payload=payload))


@router.post(
    "/api/v2/relaycore/deployments/{name}/{command}",
    tags=["relaycore"],
    response_model=Data,
    openapi_extra=ADMIN,
)
async def change_deployment(
    name: Name,
    command: Command,
    request: Request,
    eco: EcosystemDep,
    who: AdminDep,
    body: StateChangeIn | None = None,
) -> Data:
    """Pause, resume or drain a deployment (admin); a paused one gets no new work."""
    reason = body.reason if body else ""
    return ok(request, await eco.control(who, command, name, reason=reason))


@router.delete(
    "/api/v2/relaycore/deployments/{name}",
    tags=["relaycore"],
    response_model=Data,
    openapi_extra=ADMIN,
)
async def unregister_deployment(
    name: Name, request: Request, eco: EcosystemDep, who: AdminDep
) -> Data:
    """Remove a deployment from the registry (admin)."""
    return ok(request, await eco.control(who, "unregister", name))


@router.get("/api/v2/relaycore/queues", tags=["relaycore"], response_model=Data)
async def queues(request: Request, eco: EcosystemDep, _: PrincipalDep) -> Data:
    """What the router holds per priority, its intake room and starvation counters."""
    return ok(request, await eco.relaycore("queues"))


@router.get("/api/v2/relaycore/recommendations", tags=["relaycore"], response_model=Data)
async def recommendations(request: Request, eco: EcosystemDep, _: PrincipalDep) -> Data:
    """The latest scaling advice per deployment."""
    return ok(request, await eco.relaycore("recommendations"))
