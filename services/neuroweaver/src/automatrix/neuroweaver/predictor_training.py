"""The performance predictor's training job, and its judge for the promotion gate.

Samples come with the run (``/api/v2/neuroweaver/train``'s ``samples``) or, when none are
given, from the METRICS telemetry insights has seen. They are snapshotted as a dataset
version first; the held-out part is the seeded permutation ``fit_predictor`` uses, so the
judge can rebuild it and score any two versions' ONNX graphs on it (negative MAE: higher
wins, as the gate wants).
"""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
from numpy.typing import NDArray

from automatrix.neuroweaver.datasets import Datasets
from automatrix.neuroweaver.insights import Insights, TrainedPredictor, fit_predictor
from automatrix.neuroweaver.insights.predictor import (
    DEFAULT_TARGET_LATENCY_MS,
    INPUT_NAME,
    MODEL_NAME,
    OUTPUT_NAME,
    _sample,
    label,
)
from automatrix.neuroweaver.onnx_graphs import run_graph
from automatrix.neuroweaver.progress import Progress
from automatrix.neuroweaver.registry import ModelVersion, Registry
from automatrix.neuroweaver.runs import TrainParams
from automatrix.shared.contracts import TrainingEventKind

DATASET = "performance-samples"
TEST_SHARE = 0.2
PRIMARY_METRIC = "neg_mae"


def held_out(rows: list[dict[str, Any]], seed: int) -> tuple[NDArray[np.float32], NDArray[Any]]:
    """The features and labels ``fit_predictor`` held out for this seed."""
    samples = [_sample(row, i) for i, row in enumerate(rows)]
    order = np.random.default_rng(seed).permutation(len(samples))
    test = order[: max(1, round(len(samples) * TEST_SHARE))]
    x = np.array([samples[i].features() for i in test], dtype=np.float32)
    y = np.array([label(samples[i], target_latency_ms=DEFAULT_TARGET_LATENCY_MS) for i in test])
    return x, y


class PredictorTrainer:
    def __init__(self, datasets: Datasets, registry: Registry, insights: Insights) -> None:
        self.datasets = datasets
        self.registry = registry
        self.insights = insights
        self._trained: dict[int, TrainedPredictor] = {}
        registry.judges[MODEL_NAME] = self.judge

    async def run(self, params: TrainParams, progress: Progress, run_id: str) -> ModelVersion:
        rows: list[dict[str, Any]] = (
            [dict(s) for s in params.samples]
            if params.samples is not None
            else [s.model_dump(exclude_none=True) for s in self.insights.training_samples()]
        )
        source = "request" if params.samples is not None else "telemetry"
        dataset = await self.datasets.snapshot(DATASET, rows, source=source)
        await progress.started(2, f"{len(rows)} samples from {dataset.id}")
        trained = await asyncio.to_thread(fit_predictor, rows, seed=params.seed, source=source)
        metrics = {**trained.metrics, PRIMARY_METRIC: -trained.metrics["mae"]}
        await progress.advance(TrainingEventKind.EPOCH, metrics, epoch=0, message="fitted")
        version = await self.registry.register(
            MODEL_NAME,
            await asyncio.to_thread(trained.onnx),
            metrics=metrics,
            primary_metric=PRIMARY_METRIC,
            params=trained.params,
            dataset_version=dataset.id,
            eval_set=f"{dataset.id}:test={TEST_SHARE}:seed={params.seed}",
            training_run_id=run_id,
        )
        self._trained[version.version] = trained
        return version

    async def promoted(self, version: ModelVersion) -> None:
        """Serve ``predict`` with the promoted version, when this replica trained it."""
        trained = self._trained.get(version.version)
        if trained is not None:
            self.insights.use_predictor(trained, version.version)

    async def judge(self, candidate: ModelVersion, incumbent: ModelVersion) -> tuple[float, float]:
        dataset_id, _, rest = (candidate.eval_set or "").partition(":")
        dataset = await self.datasets.get(dataset_id)
        if dataset is None:
            raise LookupError(f"cannot rebuild held-out set {candidate.eval_set!r}")
        seed = int(rest.rsplit("seed=", 1)[-1])
        x, y = held_out(await self.datasets.load(dataset), seed)
        scores = []
        for version in (candidate, incumbent):
            artifact = await self.registry.artifacts.get(version.artifact)
            output = await asyncio.to_thread(run_graph, artifact, {INPUT_NAME: x}, OUTPUT_NAME)
            predicted = output.reshape(-1)
            scores.append(-float(np.mean(np.abs(predicted - y))))
        return scores[0], scores[1]
