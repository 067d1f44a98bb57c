"""Wiring of the neuroweaver service: stores, registry, training runs, methods on the bus."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from automatrix.neuroweaver.analytics import Analytics
from automatrix.neuroweaver.api import Api
from automatrix.neuroweaver.artifacts import Artifacts
from automatrix.neuroweaver.cycles import LearningCycles
from automatrix.neuroweaver.datasets import Datasets
from automatrix.neuroweaver.embedding import Embedder
from automatrix.neuroweaver.ingest import TelemetryIngest
from automatrix.neuroweaver.insight_training import AnomalyTrainer, ForecastTrainer
from automatrix.neuroweaver.insights import InsightsSettings, install_insights
from automatrix.neuroweaver.insights.predictor import MODEL_NAME
from automatrix.neuroweaver.insights.schemas import InsightsParams
from automatrix.neuroweaver.predictor_training import PredictorTrainer
from automatrix.neuroweaver.progress import Progress
from automatrix.neuroweaver.registry import ModelVersion, Registry
from automatrix.neuroweaver.router_training import RouterJob, RouterTrainer
from automatrix.neuroweaver.runs import TrainingRuns, TrainParams
from automatrix.neuroweaver.settings import Settings
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import ROUTER_MODEL
from automatrix.shared.docstore import DocumentStore, open_store
from automatrix.shared.rpc import RpcServer
from automatrix.shared.service import Service, base_service


@dataclass
class NeuroWeaver:
    """The parts of a running neuroweaver, built once the document store is open."""

    store: DocumentStore
    artifacts: Artifacts
    datasets: Datasets
    registry: Registry
    router: RouterTrainer
    runs: TrainingRuns
    rpc: RpcServer
    ingest: TelemetryIngest
    cycles: LearningCycles


def build(bus: Bus, store: DocumentStore, settings: Settings) -> NeuroWeaver:
    """Every part, wired; nothing started."""
    artifacts = Artifacts(lambda: bus.js, replicas=settings.bus_stream_replicas)
    datasets = Datasets(store, artifacts)
    registry = Registry(store, artifacts, bus)
    router = RouterTrainer(
        store, datasets, registry, Embedder(bus, settings.neuroweaver_embedding_model)
    )
    runs = TrainingRuns(store, bus, registry)

    async def train_router(params: TrainParams, progress: Progress, run_id: str) -> ModelVersion:
        job = RouterJob(
            seed=params.seed,
            trials=params.trials,
            timeout_s=params.timeout_s,
            limit=params.limit,
            overrides=params.params,
        )
        return await router.run(job, progress, run_id)

    runs.jobs[ROUTER_MODEL] = train_router
    ingest = TelemetryIngest(
        bus, store, retention=timedelta(days=settings.neuroweaver_telemetry_retention_days)
    )
    cycles = LearningCycles(
        store,
        bus,
        datasets=datasets,
        registry=registry,
        runs=runs,
        min_new_examples=settings.neuroweaver_cycle_min_new_examples,
        interval_s=settings.neuroweaver_cycle_interval_s,
    )
    rpc = RpcServer(bus, "neuroweaver")
    Api(
        rpc,
        runs=runs,
        registry=registry,
        datasets=datasets,
        router=router,
        analytics=Analytics(store, registry),
        cycles=cycles,
    )
    return NeuroWeaver(store, artifacts, datasets, registry, router, runs, rpc, ingest, cycles)


def create_app(settings: Settings | None = None) -> Service:
    """Build the service: bus, document store, registry, training runs and RPC methods."""
    settings = settings or Settings()
    service = base_service("neuroweaver", settings)

    async def prepare() -> None:
        settings.state_dir.mkdir(parents=True, exist_ok=True)
        parts = build(service.bus, await open_store(settings.store_url()), settings)
        insights = install_insights(service, parts.rpc, InsightsSettings(), store=parts.store)
        predictor = PredictorTrainer(parts.datasets, parts.registry, insights)
        parts.runs.jobs[MODEL_NAME] = predictor.run
        parts.runs.on_promoted[MODEL_NAME] = predictor.promoted
        for trainer in (
            AnomalyTrainer(
                parts.datasets, parts.registry, parts.store, insights.settings.request_source
            ),
            ForecastTrainer(
                parts.datasets, parts.registry, insights.volume, insights.settings.history_buckets
            ),
        ):
            parts.runs.jobs[trainer.model] = trainer.run

        async def cycle_insights() -> list[dict[str, Any]]:
            seen = await insights.insights(InsightsParams())
            return [
                {
                    "source": "insights",
                    "summary": seen["summary"],
                    "recommendations": seen["recommendations"][:20],
                }
            ]

        parts.cycles.insight_sources.append(cycle_insights)
        service.on_start.extend(
            [parts.artifacts.ensure_buckets, parts.rpc.start, parts.cycles.start]
        )
        service.before_stop.extend([parts.runs.stop, parts.cycles.stop, parts.rpc.stop])
        service.on_stop.append(parts.store.close)

    service.prepare.append(prepare)
    return service
