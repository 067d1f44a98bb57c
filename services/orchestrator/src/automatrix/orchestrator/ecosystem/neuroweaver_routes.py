"""``/api/v2/neuroweaver/...`` and ``/api/v2/ai/...``: neuroweaver's methods over HTTP.

Thin on purpose: the body (POST) or the query string (GET) is forwarded as the method's
parameters, and neuroweaver validates them, so its field errors come back unchanged (400)
and there is one definition of every parameter. Starting work (train, optimize, a learning
cycle, promote, roll back) needs an admin key.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from pydantic import JsonValue

from automatrix.orchestrator.api.deps import PrincipalDep
from automatrix.orchestrator.ecosystem.deps import AdminDep, EcosystemDep
from automatrix.orchestrator.ecosystem.envelope import FAILURES, Envelope, EnvelopeRoute, ok
from automatrix.shared.contracts.base import SUBJECT_TOKEN_PATTERN

router = APIRouter(route_class=EnvelopeRoute, responses=FAILURES)
Data = Envelope[Any]
Params = Annotated[dict[str, JsonValue] | None, Body(description="The method's parameters.")]
Token = Annotated[str, Path(pattern=SUBJECT_TOKEN_PATTERN)]
ADMIN = {"x-automatrix-admin": True}


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One HTTP endpoint for one neuroweaver method."""

    path: str
    http: str
    method: str
    summary: str
    admin: bool = False


ENDPOINTS = (
    Endpoint(
        "train", "POST", "train", "Start a training run (model, trials, timeout_s, seed)", True
    ),
    Endpoint("status", "GET", "status", "Models and their aliases, recent and running runs"),
    Endpoint("runs", "GET", "runs", "Training runs, newest first (model, limit)"),
    Endpoint("predict", "POST", "predict", "Predicted performance score from service metrics"),
    Endpoint("models", "GET", "models", "Model versions, aliases and alias moves (name)"),
    Endpoint("anomalies", "GET", "anomalies", "Anomaly episodes detected in telemetry"),
    Endpoint("capacity", "GET", "capacity", "Capacity forecast per deployment"),
    Endpoint("insights", "GET", "insights", "Insights and scaling recommendations"),
    Endpoint("analytics", "GET", "analytics", "Request analytics over a time window"),
    Endpoint(
        "autonomous-optimization",
        "POST",
        "optimize",
        "Tune the platform (dry_run to preview)",
        True,
    ),
    Endpoint("cycle", "POST", "cycle", "Run a learning cycle now", True),
)
AI_ALIASES = ("predict", "anomalies", "capacity", "insights", "autonomous-optimization")
"""Also served under ``/api/v2/ai/``, the name the design gives the analytics surface."""

Handler = Callable[..., Awaitable[Data]]


def _forwarding(endpoint: Endpoint) -> Handler:
    """A route function calling ``endpoint.method`` with the request's parameters."""
    if endpoint.http == "GET":

        async def read(request: Request, eco: EcosystemDep, _: PrincipalDep) -> Data:
            params: dict[str, Any] = dict(request.query_params)
            return ok(request, await eco.neuroweaver(endpoint.method, params))

        return read
    if endpoint.admin:

        async def act(
            request: Request, eco: EcosystemDep, _: AdminDep, body: Params = None
        ) -> Data:
            return ok(request, await eco.neuroweaver(endpoint.method, body or {}))

        return act

    async def ask(
        request: Request, eco: EcosystemDep, _: PrincipalDep, body: Params = None
    ) -> Data:
        return ok(request, await eco.neuroweaver(endpoint.method, body or {}))

    return ask


for _endpoint in ENDPOINTS:
    _prefixes = ["/api/v2/neuroweaver"] + (["/api/v2/ai"] if _endpoint.path in AI_ALIASES else [])
    for _prefix in _prefixes:
        router.add_api_route(
            f"{_prefix}/{_endpoint.path}",
            _forwarding(_endpoint),
            methods=[_endpoint.http],
            response_model=Data,
            summary=_endpoint.summary,
            tags=[_prefix.rsplit("/", 1)[-1]],
            name=f"{_prefix.rsplit('/', 1)[-1]}_{_endpoint.method}",
            openapi_extra=ADMIN if _endpoint.admin else None,
        )


@router.get("/api/v2/neuroweaver/runs/{run_id}", tags=["neuroweaver"], response_model=Data)
async def training_run(run_id: Token, request: Request, eco: EcosystemDep, _: PrincipalDep) -> Data:
    """One training run: state, parameters, metrics, the version it produced."""
    return ok(request, await eco.neuroweaver("run", {"run_id": run_id}))


@router.post(
    "/api/v2/neuroweaver/models/{name}/promote",
    tags=["neuroweaver"],
    response_model=Data,
    openapi_extra=ADMIN,
)
async def promote(
    name: Token, request: Request, eco: EcosystemDep, _: AdminDep, body: Params = None
) -> Data:
    """Point an alias at a version (version, alias, force, reason); the gate may refuse (409)."""
    return ok(request, await eco.neuroweaver("promote", (body or {}) | {"name": name}))


@router.post(
    "/api/v2/neuroweaver/models/{name}/rollback",
    tags=["neuroweaver"],
    response_model=Data,
    openapi_extra=ADMIN,
)
async def rollback(
    name: Token, request: Request, eco: EcosystemDep, _: AdminDep, body: Params = None
) -> Data:
    """Move an alias back to its previous version (alias, reason)."""
    return ok(request, await eco.neuroweaver("rollback", (body or {}) | {"name": name}))
