"""The short platform endpoints: ``/health``, ``/metrics``, ``/api/agents``, ``/api/tasks``,
``/api/hive/status`` and ``/api/resources``, all in the native envelope.

``/metrics`` stays Prometheus' text exposition for scrapers; a client that asks for JSON
(``Accept: application/json``) gets the same figures summarised, in the envelope.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from automatrix.orchestrator import metrics
from automatrix.orchestrator.api.deps import PrincipalDep, context, principal
from automatrix.orchestrator.api.native import JobOut, QueryIn
from automatrix.orchestrator.ecosystem import routes
from automatrix.orchestrator.ecosystem.board import samples
from automatrix.orchestrator.ecosystem.deps import EcosystemDep
from automatrix.orchestrator.ecosystem.envelope import (
    FAILURES,
    Envelope,
    EnvelopeRoute,
    FieldProblem,
    failure,
    ok,
)
from automatrix.orchestrator.ecosystem.summaries import cache_summary, histogram_summary
from automatrix.shared.contracts.base import SUBJECT_TOKEN_PATTERN

router = APIRouter(route_class=EnvelopeRoute, responses=FAILURES)
Data = Envelope[dict[str, Any]]
TaskId = Annotated[str, Path(pattern=SUBJECT_TOKEN_PATTERN, description="Task (job) id.")]

for path, endpoint, method, extra in (
    ("/api/agents", routes.list_deployments, "GET", None),
    ("/api/agents", routes.register_deployment, "POST", routes.ADMIN),
    ("/api/agents/{name}", routes.get_deployment, "GET", None),
    ("/api/agents/{name}", routes.unregister_deployment, "DELETE", routes.ADMIN),
    ("/api/agents/{name}/{command}", routes.change_deployment, "POST", routes.ADMIN),
):
    router.add_api_route(
        path,
        endpoint,
        methods=[method],
        response_model=Data,
        tags=["agents"],
        name=f"agents_{endpoint.__name__}",
        status_code=201 if endpoint is routes.register_deployment else 200,
        openapi_extra=extra,
    )


@router.get("/health", tags=["platform"], response_model=Data)
async def health(request: Request, eco: EcosystemDep) -> Data:
    """Each service's health and the platform's (no key needed, like ``/readyz``)."""
    overall, services, _ = await eco.board.health()
    return ok(request, {"status": overall, "services": services})


@router.get(
    "/metrics",
    tags=["platform"],
    response_model=Data,
    responses={200: {"content": {"text/plain": {}}}},
)
async def platform_metrics(request: Request, eco: EcosystemDep) -> Response | Data:
    """Prometheus text by default; with ``Accept: application/json``, a summary (needs a key)."""
    accept = request.headers.get("accept", "")
    if "application/json" not in accept:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
    principal(request, context(request))
    return ok(request, metrics_summary(eco.board.requests.summary))


def metrics_summary(platform: Callable[[float], dict[str, Any]]) -> dict[str, Any]:
    """This gateway's counters and latency, and the platform's served requests."""

    def total(metric: Any) -> dict[str, int]:
        out: dict[str, int] = {}
        for sample in samples(metric):
            if sample.name.endswith("_total"):
                key = ",".join(sample.labels.values()) or "all"
                out[key] = out.get(key, 0) + int(sample.value)
        return out

    return {
        "gateway": {
            "latency_ms": histogram_summary(samples(metrics.LATENCY)),
            "cache": cache_summary(samples(metrics.CACHE)),
            "tokens": total(metrics.TOKENS),
            "rate_limited": total(metrics.RATE_LIMITED),
            "shed": total(metrics.SHED),
        },
        "platform_requests": platform(time.monotonic()),
    }


@router.get("/api/tasks", tags=["tasks"], response_model=Envelope[list[JobOut]])
async def list_tasks(
    request: Request,
    eco: EcosystemDep,
    who: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Envelope[list[JobOut]]:
    """The caller's tenant's most recent async queries, newest first."""
    jobs = await eco.tasks(who.tenant, limit=limit)
    return ok(request, [JobOut.of(job) for job in jobs])


@router.get("/api/tasks/{task_id}", tags=["tasks"], response_model=Envelope[JobOut])
async def get_task(
    task_id: TaskId, request: Request, eco: EcosystemDep, who: PrincipalDep
) -> Response | Envelope[JobOut]:
    """One task of the caller's tenant (404 for any other, whoever owns it)."""
    job = await eco.jobs.get(task_id, tenant=who.tenant)
    if job is None:
        return failure(request, 404, "task_not_found", f"No task {task_id}")
    return ok(request, JobOut.of(job))


@router.post("/api/tasks", tags=["tasks"], response_model=Envelope[JobOut], status_code=202)
async def submit_task(
    body: QueryIn, request: Request, eco: EcosystemDep, _: PrincipalDep
) -> Response | Envelope[JobOut]:
    """Queue a query (as ``POST /api/v2/queries``); poll ``/api/tasks/{job_id}``."""
    answer = await eco.loopback.post(
        "/api/v2/queries", body.model_dump(mode="json", exclude_none=True), request.headers
    )
    if answer.status_code != 202:
        error = answer.json().get("error", {})
        fields = [FieldProblem.model_validate(f) for f in error.get("fields", [])]
        code = error.get("code") or "refused"
        return failure(request, answer.status_code, code, error.get("message", ""), fields)
    return ok(request, JobOut.model_validate(answer.json()))


@router.get("/api/hive/status", tags=["platform"], response_model=Data)
async def hive_status(request: Request, eco: EcosystemDep, _: PrincipalDep) -> Data:
    """The platform in a few numbers: health, deployments by state, queues, traffic, training."""
    view = await eco.board.snapshot()
    deployments = view["deployments"]
    by_state: dict[str, int] = {}
    for deployment in deployments:
        state = str(deployment["effective_state"])
        by_state[state] = by_state.get(state, 0) + 1
    return ok(
        request,
        {
            "status": view["status"],
            "services": {s["name"]: s["status"] for s in view["services"]},
            "routing_enabled": view["routing_enabled"],
            "deployments": {
                "total": len(deployments),
                "by_state": by_state,
                "breakers_open": sorted(
                    d["name"] for d in deployments if d["breaker"] in ("open", "half_open")
                ),
            },
            "queued": view["queues"]["total"],
            "requests_per_minute": view["requests"]["per_minute"],
            "cache_hit_rate": view["cache"]["hit_rate"],
            "training": [r["run_id"] for r in view["training"] if r["state"] == "running"],
        },
    )


@router.get("/api/resources", tags=["platform"], response_model=Data)
async def resources(request: Request, eco: EcosystemDep, _: PrincipalDep) -> Data:
    """Capacity in use: slots per deployment, queued work, this gateway process."""
    view = await eco.board.snapshot()
    slots = [
        {
            "name": d["name"],
            "model_group": d["model_group"],
            "state": d["effective_state"],
            "concurrency": d["concurrency"],
            "inflight": d["inflight"],
            "utilization": (
                round(d["inflight"] / d["concurrency"], 4)
                if d["inflight"] is not None and d["concurrency"]
                else None
            ),
        }
        for d in view["deployments"]
    ]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    capacity = sum(s["concurrency"] or 0 for s in slots if s["state"] == "active")
    inflight = sum(s["inflight"] or 0 for s in slots)
    return ok(
        request,
        {
            "deployments": slots,
            "totals": {
                "concurrency": capacity,
                "inflight": inflight,
                "utilization": round(inflight / capacity, 4) if capacity else None,
            },
            "queues": view["queues"],
            "gateway_process": {
                "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
                "max_rss_bytes": usage.ru_maxrss * 1024,
            },
        },
    )
