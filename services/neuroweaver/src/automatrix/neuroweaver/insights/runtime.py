"""neuroweaver's insights at run time: the watch, forecasts, the predictor and ``optimize``.

``install_insights`` wires one ``Insights`` into a service: the shared telemetry consumer,
start and stop hooks, a readiness check and the RPC methods ``anomalies``, ``capacity``,
``insights``, ``optimize`` and ``predict``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from automatrix.neuroweaver.insights.anomaly import AnomalyDetector
from automatrix.neuroweaver.insights.book import AnomalyBook
from automatrix.neuroweaver.insights.claims import EpisodeClaims
from automatrix.neuroweaver.insights.journal import OptimizationJournal
from automatrix.neuroweaver.insights.optimizer import (
    ActionKind,
    DeploymentFacts,
    PlannedAction,
    plan,
)
from automatrix.neuroweaver.insights.planning import CapacityPlanner
from automatrix.neuroweaver.insights.predictor import INPUT_NAME as PREDICTOR_INPUT
from automatrix.neuroweaver.insights.predictor import (
    MODEL_NAME,
    TrainedPredictor,
    bootstrap_samples,
    fit_predictor,
    samples_from_telemetry,
)
from automatrix.neuroweaver.insights.predictor import OUTPUT_NAME as PREDICTOR_OUTPUT
from automatrix.neuroweaver.insights.schemas import (
    AnomaliesParams,
    CapacityParams,
    InsightsParams,
    OptimizeParams,
    PerformanceSample,
    PredictParams,
)
from automatrix.neuroweaver.insights.served import ServedModels
from automatrix.neuroweaver.insights.settings import InsightsSettings
from automatrix.neuroweaver.insights.volume import VolumeStore
from automatrix.neuroweaver.insights.watch import AnomalyWatch, telemetry_spec
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import (
    ControlEvent,
    ControlKind,
    DeploymentRecord,
    TelemetryEvent,
)
from automatrix.shared.contracts.registry import DEPLOYMENTS
from automatrix.shared.docstore import DocumentStore
from automatrix.shared.kv import KeyValueStore
from automatrix.shared.rpc import RpcServer
from automatrix.shared.service import Service
from automatrix.shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)

BOOTSTRAP_SAMPLES = 1000


class Insights:
    """Anomaly watch, volume forecasts, scaling advice, performance predictor, optimization."""

    def __init__(
        self,
        bus: Bus,
        settings: InsightsSettings,
        *,
        store: DocumentStore | None = None,
        instance: str | None = None,
    ) -> None:
        self.bus = bus
        self.settings = settings
        self.instance = instance or f"{socket.gethostname()}-{os.getpid()}"
        self.detector = AnomalyDetector(settings.detector_config())
        self.book = AnomalyBook(settings.recent_limit)
        self.volume = VolumeStore(
            bus.redis,
            namespace=bus.settings.bus_namespace,
            bucket_s=settings.bucket_s,
            retention_s=settings.retention_s,
        )
        claims = EpisodeClaims(
            bus.redis,
            namespace=bus.settings.bus_namespace,
            ttl_s=settings.max_episode_s + settings.idle_resolve_s,
        )
        self.watch = AnomalyWatch(
            bus,
            self.detector,
            self.book,
            self.volume,
            claims,
            instance=self.instance,
            request_source=settings.request_source,
        )
        self.registry: KeyValueStore[DeploymentRecord] = KeyValueStore(
            DEPLOYMENTS, DeploymentRecord
        )
        self.served = ServedModels(bus)
        self.planner = CapacityPlanner(self.volume, self.registry, settings, self.served)
        self.journal = OptimizationJournal(store, limit=settings.log_limit)
        self.predictor: TrainedPredictor | None = None
        self.predictor_version: int | None = None
        self._predictor_lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Once the bus is up: registry view, episodes of other replicas, periodic work."""
        await self.registry.open(self.bus.js)
        await self.watch.listen()
        replayed = await self.watch.replay(self.settings.replay_s, self.settings.recent_limit * 4)
        log.info("insights: %d anomaly events read back", replayed)
        self._repeat("sweep", self.settings.flush_interval_s, self.watch.sweep)
        if self.settings.auto_optimize_interval_s > 0:
            self._repeat("optimize", self.settings.auto_optimize_interval_s, self._auto_optimize)
        if self.settings.predictor_warmup:
            # Fitted now, in a thread, so the first ``predict`` does not wait seconds for it.
            self._tasks.append(asyncio.create_task(self._warm_up(), name="insights-predictor"))

    async def _warm_up(self) -> None:
        try:
            await self._predictor()
        except Exception:
            log.exception("insights: bootstrap predictor failed; predict will try again")

    async def stop(self) -> None:
        """While the bus is still up: stop the loops, write what is pending."""
        await cancel_and_wait(*self._tasks)
        self._tasks.clear()
        try:
            await self.watch.sweep()
        except Exception:
            log.exception("insights: final sweep failed")
        await self.watch.stop()
        await self.registry.close()

    def _repeat(self, what: str, interval_s: float, work: Callable[[], Awaitable[Any]]) -> None:
        async def loop() -> None:
            while True:
                await asyncio.sleep(interval_s)
                try:
                    await work()
                except Exception:
                    log.exception("insights: periodic %s failed", what)

        self._tasks.append(asyncio.create_task(loop(), name=f"insights-{what}"))

    async def _auto_optimize(self) -> None:
        await self.optimize(OptimizeParams(dry_run=False))

    async def readiness(self) -> str:
        active = len(self.book.active())
        return f"{len(self.detector.deployments())} deployments watched, {active} anomalies open"

    # -- for the training runner -----------------------------------------------------------

    def use_predictor(self, trained: TrainedPredictor, version: int | None = None) -> None:
        """Answer ``predict`` with this model (registered as ``version``) whenever inference
        serves no version of the predictor, or serves this one."""
        self.predictor = trained
        self.predictor_version = version

    def training_samples(self) -> list[PerformanceSample]:
        """Samples from the METRICS telemetry seen recently (for a run given none)."""
        return samples_from_telemetry(list(self.watch.metrics))

    # -- RPC methods -----------------------------------------------------------------------

    async def anomalies(self, params: AnomaliesParams) -> dict[str, Any]:
        records = self.book.recent(
            deployment=params.deployment, active=params.active, limit=params.limit
        )
        return {
            "anomalies": [r.view() for r in records],
            "active": len(self.book.active(params.deployment)),
            "model": await self._model_verdicts(params.deployment),
        }

    async def capacity(self, params: CapacityParams) -> dict[str, Any]:
        horizon = params.horizon or self.settings.horizon_buckets
        return {
            "bucket_s": self.settings.bucket_s,
            "horizon": horizon,
            "forecasts": await self.planner.forecasts(params.deployment, horizon),
        }

    async def insights(self, params: InsightsParams) -> dict[str, Any]:
        deployment = params.deployment
        forecasts = await self.planner.forecasts(deployment, self.settings.horizon_buckets)
        recommendations = [
            _drain_view(a)
            for a in plan(self._facts(), self.settings.optimize_policy())
            if a.kind is ActionKind.DRAIN and deployment in (None, a.deployment)
        ]
        for item in forecasts:
            advice = item["recommendation"]
            if advice is not None and advice["action"] != "hold":
                recommendations.append({**advice, "kind": advice["action"], "automatic": False})
        active = self.book.active(deployment)
        return {
            "generated_at": datetime.now(UTC).isoformat(),
            "summary": {
                "deployments": len(forecasts),
                "active_anomalies": len(active),
                "recommendations": len(recommendations),
            },
            "anomalies": {
                "active": [r.view() for r in active],
                "recent": [r.view() for r in self.book.recent(deployment=deployment, limit=20)],
            },
            "deployments": self._statuses(deployment),
            "model": await self._model_verdicts(deployment),
            "forecasts": forecasts,
            "recommendations": recommendations,
            "optimizations": await self.journal.recent(5),
        }

    async def optimize(self, params: OptimizeParams) -> dict[str, Any]:
        """Apply the safe actions of the plan (none on a dry run) and record the run."""
        actions = plan(self._facts(), self.settings.optimize_policy())
        drained = []
        for action in actions:
            if action.kind is ActionKind.DRAIN and not params.dry_run:
                await self.bus.publish(_drain_command(action, self.instance))
                drained.append(action.deployment)
                log.warning("optimize: drained %s (%s)", action.deployment, action.reason)
        return await self.journal.record(
            {
                "dry_run": params.dry_run,
                "instance": self.instance,
                "drained": drained,
                "actions": [_action_view(a) for a in actions],
            }
        )

    async def predict(self, params: PredictParams) -> dict[str, Any]:
        """Scores from the version inference serves; from this replica's model until one is."""
        rows = [list(m.features()) for m in params.metrics]
        served = await self.served.score(MODEL_NAME, {PREDICTOR_INPUT: rows}, [PREDICTOR_OUTPUT])
        local = self.predictor
        if served is not None:
            model: dict[str, Any] = {
                "name": MODEL_NAME,
                "version": served.version,
                "served_by": "inference",
            }
            if local is not None and self.predictor_version == served.version:
                model |= _predictor_view(local)
            return {"scores": [row[0] for row in served.outputs[PREDICTOR_OUTPUT]], "model": model}
        predictor = await self._predictor()
        scores = await asyncio.to_thread(predictor.score, params.metrics)
        model = {
            "name": MODEL_NAME,
            "version": self.predictor_version if predictor is local else None,
            "served_by": "neuroweaver",
            **_predictor_view(predictor),
        }
        return {"scores": scores, "model": model}

    # -- helpers ---------------------------------------------------------------------------

    async def _predictor(self) -> TrainedPredictor:
        if self.predictor is None:
            async with self._predictor_lock:
                if self.predictor is None:
                    seed = self.settings.predictor_seed
                    samples = bootstrap_samples(BOOTSTRAP_SAMPLES, seed=seed)
                    self.predictor = await asyncio.to_thread(
                        fit_predictor, samples, seed=seed, source="bootstrap"
                    )
        return self.predictor

    async def _model_verdicts(self, deployment: str | None) -> dict[str, Any] | None:
        """The served anomaly detector's verdict on each window now; None if none is served."""
        now = time.time()
        names = [deployment] if deployment else self.detector.deployments()
        features = {n: f for n in names if (f := self.detector.features(n, now)) is not None}
        return await self.served.anomaly_verdicts(features)

    def _facts(self) -> list[DeploymentFacts]:
        now = time.time()
        facts = []
        for name, record in sorted(self.registry.values.items()):
            status = self.detector.status(name, now)
            active = self.book.active(name)
            kinds = {r.detected.anomaly for r in active} | set(status.open if status else ())
            facts.append(
                DeploymentFacts(
                    name=name,
                    model_group=record.model_group,
                    routable=record.routable(),
                    state=record.effective_state().value,
                    open_anomalies=tuple(sorted(kinds)),
                    anomaly_ids=tuple(r.anomaly_id for r in active),
                    error_rate=status.error_rate if status else None,
                    samples=status.window_samples if status else 0,
                )
            )
        return facts

    def _statuses(self, deployment: str | None) -> list[dict[str, Any]]:
        now = time.time()
        names = [deployment] if deployment else self.detector.deployments()
        views = []
        for name in names:
            status = self.detector.status(name, now)
            if status is not None:
                views.append({**asdict(status), "open": [k.value for k in status.open]})
        return views


def _predictor_view(predictor: TrainedPredictor) -> dict[str, Any]:
    return {
        "source": predictor.params.get("source"),
        "trained_at": datetime.fromtimestamp(predictor.trained_at, UTC).isoformat(),
        "metrics": predictor.metrics,
    }


def _drain_command(action: PlannedAction, instance: str) -> ControlEvent:
    return ControlEvent(
        kind=ControlKind.DEPLOYMENT_DRAIN,
        target=action.deployment,
        issued_by=f"neuroweaver/{instance}"[:128],
        reason=f"neuroweaver optimize: {action.reason}"[:1024],
        payload={
            "anomaly_ids": list(action.anomaly_ids),
            "error_rate": action.error_rate,
            "healthy_peers": list(action.healthy_peers),
        },
    )


def _action_view(action: PlannedAction) -> dict[str, Any]:
    view = asdict(action)
    view["kind"] = action.kind.value
    view["anomaly_ids"] = list(action.anomaly_ids)
    view["healthy_peers"] = list(action.healthy_peers)
    return view


def _drain_view(action: PlannedAction) -> dict[str, Any]:
    return {
        "deployment": action.deployment,
        "kind": "drain",
        "reason": action.reason,
        "automatic": True,
    }


def install_insights(
    service: Service,
    rpc: RpcServer,
    settings: InsightsSettings | None = None,
    *,
    store: DocumentStore | None = None,
) -> Insights:
    """Wire insights into ``service`` (before it starts) and register its RPC methods."""
    settings = settings or InsightsSettings()
    insights = Insights(service.bus, settings, store=store)
    service.bus.subscribe(
        telemetry_spec(settings.consumer, settings.request_source),
        TelemetryEvent,
        insights.watch.handle,
        batch=256,
    )
    service.on_start.append(insights.start)
    service.before_stop.append(insights.stop)
    service.readiness.add("insights", insights.readiness)
    rpc.method("anomalies", insights.anomalies, AnomaliesParams)
    rpc.method("capacity", insights.capacity, CapacityParams)
    rpc.method("insights", insights.insights, InsightsParams)
    rpc.method("optimize", insights.optimize, OptimizeParams)
    rpc.method("predict", insights.predict, PredictParams)
    return insights
