"""Training jobs of the anomaly detector and the capacity forecaster, and their gate judges.

Each run snapshots what it trains on as a dataset version (labelled windows; lag samples),
fits in a worker thread, and registers the ONNX graph with the held-out metrics. The judge
rebuilds the held-out part from that snapshot and scores the candidate's and the
incumbent's graphs on it: F1 of catching a fault for the detector, negative MAE for the
forecaster (higher wins, as the gate wants).
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections import defaultdict
from typing import Any, Generic, TypeVar

import numpy as np
from pydantic import ValidationError

from automatrix.neuroweaver.datasets import Datasets
from automatrix.neuroweaver.ingest import COLLECTION as TELEMETRY_COLLECTION
from automatrix.neuroweaver.insights import anomaly_model, forecast_model
from automatrix.neuroweaver.insights.anomaly_types import Attempt
from automatrix.neuroweaver.insights.planning import from_first_traffic
from automatrix.neuroweaver.insights.volume import VolumeStore
from automatrix.neuroweaver.insights.watch import attempt_of
from automatrix.neuroweaver.onnx_graphs import TrainedGraph, run_graph
from automatrix.neuroweaver.progress import Progress
from automatrix.neuroweaver.registry import ModelVersion, Registry
from automatrix.neuroweaver.runs import TrainParams
from automatrix.shared.contracts import TelemetryEvent, TelemetryKind, TrainingEventKind
from automatrix.shared.contracts.scoring import ANOMALY_MODEL, FORECAST_MODEL
from automatrix.shared.docstore import DocumentStore, Query

MAX_TELEMETRY = 200_000
"""Most recent request records an anomaly run reads."""

Rows = list[dict[str, Any]]
S = TypeVar("S")
"""One series: a deployment's attempts, or its request counts per bucket."""


class _Trainer(ABC, Generic[S]):
    """What both jobs share: seeded bootstrap series plus recorded ones, turned into samples;
    snapshot, fit, register; rebuild the held-out set to judge."""

    model: str
    dataset: str
    primary: str

    def __init__(self, datasets: Datasets, registry: Registry) -> None:
        self.datasets = datasets
        self.registry = registry
        registry.judges[self.model] = self.judge

    @abstractmethod
    def bootstrap(self, seed: int) -> dict[str, S]:
        """Made-up series, so a fresh platform trains a useful model."""

    @abstractmethod
    async def recorded(self) -> dict[str, S]:
        """The platform's own series, long enough to sample (they refine the bootstrap)."""

    @abstractmethod
    def samples(self, series: dict[str, S], seed: int) -> Rows:
        """The samples of ``series`` to snapshot, each with its ``test`` flag (a worker thread)."""

    @abstractmethod
    def fit(self, rows: Rows, params: TrainParams) -> TrainedGraph:
        """Fit on the training rows, evaluate on the held-out ones (a worker thread)."""

    @abstractmethod
    def score(self, artifact: bytes, rows: Rows) -> float:
        """The gate's figure for ``artifact`` on held-out ``rows``; higher is better."""

    async def rows(self, params: TrainParams) -> tuple[Rows, str]:
        """The samples to snapshot and where they came from."""
        series = self.bootstrap(params.seed)
        recorded = await self.recorded()
        series.update(recorded)
        rows = await asyncio.to_thread(self.samples, series, params.seed)
        return rows, "telemetry+bootstrap" if recorded else "bootstrap"

    async def run(self, params: TrainParams, progress: Progress, run_id: str) -> ModelVersion:
        rows, source = await self.rows(params)
        dataset = await self.datasets.snapshot(self.dataset, rows, source=source)
        await progress.started(2, f"{len(rows)} samples ({source}) in {dataset.id}")
        trained = await asyncio.to_thread(self.fit, rows, params)
        await progress.advance(TrainingEventKind.EPOCH, trained.metrics, epoch=0, message="fitted")
        return await self.registry.register(
            self.model,
            trained.onnx,
            metrics=trained.metrics,
            primary_metric=self.primary,
            params={**trained.params, "source": source},
            dataset_version=dataset.id,
            eval_set=f"{dataset.id}:test=tail",
            training_run_id=run_id,
        )

    async def judge(self, candidate: ModelVersion, incumbent: ModelVersion) -> tuple[float, float]:
        dataset_id = (candidate.eval_set or "").partition(":")[0]
        dataset = await self.datasets.get(dataset_id)
        if dataset is None:
            raise LookupError(f"cannot rebuild held-out set {candidate.eval_set!r}")
        rows = [r for r in await self.datasets.load(dataset) if r["test"]]
        scores = []
        for version in (candidate, incumbent):
            artifact = await self.registry.artifacts.get(version.artifact)
            scores.append(await asyncio.to_thread(self.score, artifact, rows))
        return scores[0], scores[1]


class AnomalyTrainer(_Trainer[list[Attempt]]):
    model = ANOMALY_MODEL
    dataset = "anomaly-windows"
    primary = "f1"

    def __init__(
        self, datasets: Datasets, registry: Registry, store: DocumentStore, request_source: str
    ) -> None:
        super().__init__(datasets, registry)
        self.store = store
        self.request_source = request_source

    def bootstrap(self, seed: int) -> dict[str, list[Attempt]]:
        return anomaly_model.bootstrap_traffic(seed=seed)

    def samples(self, series: dict[str, list[Attempt]], seed: int) -> Rows:
        return [w.record() for w in anomaly_model.labelled_windows(series, seed=seed)]

    async def recorded(self) -> dict[str, list[Attempt]]:
        """Attempts per deployment from stored request telemetry, oldest first."""
        query = Query(
            equals={"kind": TelemetryKind.REQUEST.value, "service": self.request_source},
            sort=[("timestamp", "desc")],
            limit=MAX_TELEMETRY,
        )
        by_deployment: dict[str, list[Attempt]] = defaultdict(list)
        for doc in reversed(await self.store.find(TELEMETRY_COLLECTION, query)):
            try:
                event = TelemetryEvent.model_validate({k: v for k, v in doc.items() if k != "_id"})
            except ValidationError:
                continue
            attempt = attempt_of(event)
            if attempt is not None and event.deployment is not None:
                by_deployment[event.deployment].append(attempt)
        enough = anomaly_model.BASELINE + anomaly_model.MAX_WINDOW
        return {name: a for name, a in by_deployment.items() if len(a) >= enough}

    def fit(self, rows: Rows, params: TrainParams) -> TrainedGraph:
        c = float(params.params.get("c", anomaly_model.DEFAULT_C))
        return anomaly_model.fit_anomaly_model(rows, seed=params.seed, c=c)

    def score(self, artifact: bytes, rows: Rows) -> float:
        _, _, x, y = anomaly_model.split(rows)  # the rows given are the held-out ones
        probabilities = run_graph(artifact, {anomaly_model.INPUT_NAME: x.astype(np.float32)})
        predicted = np.argmax(probabilities, axis=1)
        return anomaly_model.detection_metrics(y, predicted)["f1"]


class ForecastTrainer(_Trainer[list[float]]):
    model = FORECAST_MODEL
    dataset = "request-volume"
    primary = "neg_mae"

    def __init__(
        self, datasets: Datasets, registry: Registry, volume: VolumeStore, history_buckets: int
    ) -> None:
        super().__init__(datasets, registry)
        self.volume = volume
        self.history_buckets = history_buckets

    def bootstrap(self, seed: int) -> dict[str, list[float]]:
        return forecast_model.bootstrap_series(seed=seed)

    def samples(self, series: dict[str, list[float]], seed: int) -> Rows:
        return forecast_model.lag_samples(series)

    async def recorded(self) -> dict[str, list[float]]:
        """Every deployment's request counts per bucket, from its first traffic."""
        last = self.volume.bucket(time.time()) - 1
        series = {}
        for name in await self.volume.deployments():
            volume = await self.volume.series(name, last=last, buckets=self.history_buckets)
            counts = from_first_traffic(volume.requests)
            if len(counts) > forecast_model.LAGS + 5:
                series[f"deployment:{name}"] = counts
        return series

    def fit(self, rows: Rows, params: TrainParams) -> TrainedGraph:
        alpha = float(params.params.get("alpha", forecast_model.DEFAULT_ALPHA))
        return forecast_model.fit_forecaster(rows, seed=params.seed, alpha=alpha)

    def score(self, artifact: bytes, rows: Rows) -> float:
        x, y = forecast_model.held_out(rows)
        predicted = run_graph(artifact, {forecast_model.INPUT_NAME: x.astype(np.float32)})[:, 0]
        return -float(np.mean(np.abs(predicted - y)))
