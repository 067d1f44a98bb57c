"""The whole platform at a glance: service health, deployments, queues, cache, latency, training.

Built on demand (``/api/v2/ecosystem/status``) and once a tick for the live feed, from what
this gateway knows (its readiness, queue depths, cache and latency metrics, the registry
watch, the training events it saw) plus one request-reply call to each service. A service
that does not answer is reported down; the view is still built.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from prometheus_client.metrics import MetricWrapperBase

from automatrix.orchestrator import metrics
from automatrix.orchestrator.ecosystem.summaries import (
    RequestWindow,
    Sample,
    TrainingBoard,
    cache_summary,
    histogram_summary,
)
from automatrix.orchestrator.shedding import LoadShedder
from automatrix.shared.contracts import DeploymentRecord, DeploymentState, Priority
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.health import Readiness
from automatrix.shared.rpc import RpcClient, RpcFailure

PROBE_TIMEOUT_S = 2.0
NEUROWEAVER_REFRESH_S = 5.0
"""neuroweaver's status reads its document store; once per tick would be wasteful."""


@dataclass(frozen=True, slots=True)
class Probe:
    """One call to a service: its data, or why there is none."""

    data: Any
    error: str | None
    took_ms: float


def samples(metric: MetricWrapperBase) -> list[Sample]:
    """Every sample a metric of this process currently holds."""
    return [
        Sample(s.name, dict(s.labels), float(s.value))
        for family in metric.collect()
        for s in family.samples
    ]


def service(name: str, status: str, detail: str, took_ms: float | None = None) -> dict[str, Any]:
    return {"name": name, "status": status, "detail": detail, "took_ms": took_ms}


class StatusBoard:
    """Gathers the platform view; every part is best effort and says when it is missing."""

    def __init__(
        self,
        rpc: RpcClient,
        readiness: Readiness,
        deployments: Mapping[str, DeploymentRecord],
        shedder: LoadShedder,
        requests: RequestWindow,
        training: TrainingBoard,
    ) -> None:
        self.rpc = rpc
        self.readiness = readiness
        self.deployments = deployments
        self.shedder = shedder
        self.requests = requests
        self.training = training
        self._neuroweaver: Probe | None = None
        self._neuroweaver_at = 0.0

    async def call(self, service_name: str, method: str, **params: Any) -> Probe:
        started = time.perf_counter()
        try:
            data = await self.rpc.call(service_name, method, params, timeout_s=PROBE_TIMEOUT_S)
        except RpcFailure as exc:
            return Probe(None, f"{exc.code.value}: {exc.message}", _ms_since(started))
        return Probe(data, None, _ms_since(started))

    async def neuroweaver(self) -> Probe:
        now = time.monotonic()
        if self._neuroweaver is None or now - self._neuroweaver_at > NEUROWEAVER_REFRESH_S:
            self._neuroweaver = await self.call("neuroweaver", "status")
            self._neuroweaver_at = now
        return self._neuroweaver

    async def health(self) -> tuple[str, list[dict[str, Any]], Probe]:
        """Overall status, each service's health, and relaycore's status answer."""
        relay, neuro, own = await asyncio.gather(
            self.call("relaycore", "status"), self.neuroweaver(), self.readiness.report()
        )
        services = [
            service(
                "orchestrator",
                "ok" if own["ready"] else "degraded",
                _failed_checks(own) or "ready",
            ),
            _relay_health(relay),
            _probe_health("neuroweaver", neuro),
            self.inference_health(),
        ]
        statuses = {s["status"] for s in services}
        overall = "ok" if statuses == {"ok"} else ("down" if statuses == {"down"} else "degraded")
        return overall, services, relay

    async def snapshot(self) -> dict[str, Any]:
        """The platform view, as plain data (what the feed sends and the API returns)."""
        (overall, services, relay), relay_deployments = await asyncio.gather(
            self.health(), self.call("relaycore", "deployments")
        )
        neuro = self._neuroweaver
        models = neuro.data.get("models") if neuro and isinstance(neuro.data, dict) else None
        return {
            "status": overall,
            "generated_at": utcnow().isoformat(),
            "services": services,
            "routing_enabled": relay.data.get("routing_enabled") if relay.data else None,
            "deployments": self.deployment_views(relay_deployments),
            "queues": self.queues(relay),
            "cache": cache_summary(samples(metrics.CACHE)),
            "requests": {
                **self.requests.summary(time.monotonic()),
                "gateway_latency_ms": histogram_summary(samples(metrics.LATENCY)),
            },
            "training": self.training.views(),
            "models": models,
        }

    def deployment_views(self, relay: Probe) -> list[dict[str, Any]]:
        """relaycore's live view (breakers, load); the registry alone when it is down."""
        if isinstance(relay.data, dict):
            views: list[dict[str, Any]] = relay.data.get("deployments", [])
            return [_summary(v) for v in views]
        now = utcnow()
        return [
            _summary(
                {
                    **record.model_dump(mode="json"),
                    "effective_state": record.effective_state(now).value,
                    "breaker": "unknown",
                    "inflight": None,
                    "stats": None,
                }
            )
            for _, record in sorted(self.deployments.items())
        ]

    def queues(self, relay: Probe) -> dict[str, Any]:
        depth = {level.value: self.shedder.depth.get(level, 0) for level in Priority}
        return {
            "depth": depth,
            "total": sum(depth.values()),
            "held_by_router": relay.data.get("waiting") if relay.data else None,
        }

    def inference_health(self) -> dict[str, Any]:
        """Inference replicas keep their deployments alive with heartbeats."""
        now = utcnow()
        records = [r for r in self.deployments.values() if r.state is not DeploymentState.PAUSED]
        if not records:
            return service("inference", "down", "no deployment registered")
        alive = [r for r in records if r.alive(now)]
        instances = {i for r in alive for i in r.instances}
        detail = f"{len(alive)}/{len(records)} deployments heartbeating, {len(instances)} replicas"
        if not alive:
            return service("inference", "down", detail)
        return service("inference", "ok" if len(alive) == len(records) else "degraded", detail)


def _summary(view: dict[str, Any]) -> dict[str, Any]:
    """The fields a dashboard shows of one deployment."""
    stats = view.get("stats") or {}
    keys = ("name", "model_group", "kind", "backend", "provider", "tier", "state")
    return {
        **{k: view.get(k) for k in keys},
        "effective_state": view.get("effective_state"),
        "state_reason": view.get("state_reason", ""),
        "breaker": view.get("breaker"),
        "inflight": view.get("inflight"),
        "concurrency": view.get("concurrency"),
        "calls": stats.get("calls"),
        "error_rate": stats.get("error_rate"),
        "ewma_latency_ms": stats.get("ewma_latency_ms"),
        "total_success": stats.get("total_success"),
        "total_failure": stats.get("total_failure"),
    }


def _relay_health(probe: Probe) -> dict[str, Any]:
    if not isinstance(probe.data, dict):
        return service("relaycore", "down", probe.error or "no answer", probe.took_ms)
    data = probe.data
    detail = (
        f"{'routing' if data.get('routing_enabled') else 'routing STOPPED'}, "
        f"{data.get('routable', 0)}/{data.get('deployments', 0)} deployments routable"
    )
    if not data.get("ready", False):
        return service("relaycore", "degraded", _failed_checks(data) or detail, probe.took_ms)
    return service("relaycore", "ok", detail, probe.took_ms)


def _probe_health(name: str, probe: Probe) -> dict[str, Any]:
    if probe.error is not None:
        return service(name, "down", probe.error, probe.took_ms)
    return service(name, "ok", "answering", probe.took_ms)


def _failed_checks(report: Mapping[str, Any]) -> str:
    checks = report.get("checks") or {}
    return "; ".join(
        f"{name}: {check.get('detail')}" for name, check in checks.items() if not check.get("ok")
    )


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
