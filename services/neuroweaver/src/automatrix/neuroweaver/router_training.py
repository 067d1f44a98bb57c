"""The router model's training job: dataset snapshot, split, embed, tune, fit, evaluate, export.

The dataset is the packaged seed set plus the labelled examples added through the API
(collection ``router_examples``), snapshotted before training so the version records exactly
what it learned from. The held-out part is whole phrasing groups (``split``), named in the
version's ``eval_set`` so the promotion gate can rebuild it and score any two versions on it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from automatrix.neuroweaver.datasets import Datasets
from automatrix.neuroweaver.domain.classifier import (
    CAPABILITIES,
    CAPABILITY_OUTPUT,
    INPUT_NAME,
    Example,
    Hyper,
    evaluate,
    load_seed,
    majority_baseline,
    split,
    train,
)
from automatrix.neuroweaver.domain.classifier_export import export_onnx
from automatrix.neuroweaver.domain.text_head import TEXT_INPUT
from automatrix.neuroweaver.embedding import Embedder
from automatrix.neuroweaver.onnx_graphs import run_graph
from automatrix.neuroweaver.progress import Progress
from automatrix.neuroweaver.registry import ModelVersion, Registry
from automatrix.neuroweaver.tuning import tune
from automatrix.shared.contracts import CAPABILITY_LABELS, ROUTER_MODEL, TrainingEventKind
from automatrix.shared.docstore import DocumentStore, Query

DATASET = "router-examples"
EXAMPLES = "router_examples"
TEST_SHARE = 0.2
PRIMARY_METRIC = "accuracy"
MIN_PER_CELL = 3
_EVAL_SET = re.compile(
    r"^(?P<dataset>[A-Za-z0-9_-]+-v\d+):test=(?P<share>[0-9.]+):seed=(?P<seed>-?\d+)$"
)

if tuple(CAPABILITIES) != CAPABILITY_LABELS:  # the served reply labels columns by the contract
    raise RuntimeError("classifier CAPABILITIES differ from the contract's CAPABILITY_LABELS")


@dataclass(frozen=True)
class RouterJob:
    """What one run was asked for."""

    seed: int = 0
    trials: int = 0
    timeout_s: float = 300.0
    limit: int | None = None
    """Train on about this many examples only (a quick, or deliberately weaker, model)."""
    overrides: Mapping[str, Any] = dataclasses.field(default_factory=dict)


def stratified(examples: Sequence[Example], size: int, seed: int) -> list[Example]:
    """About ``size`` examples, the same share of each capability and tier pairing.

    At least ``MIN_PER_CELL`` of each pairing are kept (all when fewer exist), so the rare
    ``heavy`` tier still has enough examples for every cross-validation fold of the heads.
    """
    by_cell: dict[tuple[str, str], list[Example]] = {}
    for example in examples:
        by_cell.setdefault((example.capability, example.tier), []).append(example)
    rng = random.Random(seed)
    share = size / len(examples)
    kept: list[Example] = []
    for cell in sorted(by_cell):
        members = by_cell[cell]
        kept += rng.sample(
            members, min(len(members), max(MIN_PER_CELL, round(share * len(members))))
        )
    return kept


def eval_set_name(dataset_id: str, seed: int) -> str:
    return f"{dataset_id}:test={TEST_SHARE}:seed={seed}"


class RouterTrainer:
    """Trains router versions and judges two versions on the same held-out set."""

    def __init__(
        self, store: DocumentStore, datasets: Datasets, registry: Registry, embed: Embedder
    ) -> None:
        self.store = store
        self.datasets = datasets
        self.registry = registry
        self.embed = embed
        self._held_out: dict[str, tuple[list[Example], NDArray[np.float32]]] = {}
        registry.judges[ROUTER_MODEL] = self.judge

    async def add_examples(self, rows: Sequence[Mapping[str, str]]) -> int:
        """Store labelled examples for the next training run; returns how many there are now."""
        for row in rows:
            await self.store.insert(EXAMPLES, {**row, "added_at": datetime.now(UTC)})
        return await self.store.count(EXAMPLES)

    async def examples(self) -> list[Example]:
        added = await self.store.find(EXAMPLES, Query(sort=[("_id", "asc")]))
        extra = [
            Example(d["text"], d["capability"], d["tier"], d.get("group") or f"api-{d['_id']}")
            for d in added
        ]
        return [*load_seed(), *extra]

    async def run(self, job: RouterJob, progress: Progress, run_id: str) -> ModelVersion:
        examples = await self.examples()
        source = "seed" if len(examples) == len(load_seed()) else "seed+api"
        dataset = await self.datasets.snapshot(
            DATASET, [dataclasses.asdict(e) for e in examples], source=source
        )
        # Train on what the snapshot holds, read back: the lineage is exact.
        snapshot = [Example(**row) for row in await self.datasets.load(dataset)]
        train_part, test_part = split(snapshot, test_share=TEST_SHARE, seed=job.seed)
        if job.limit is not None and job.limit < len(train_part):
            train_part = stratified(train_part, job.limit, job.seed)
        await progress.started(
            job.trials + 2,
            f"{len(train_part)} training and {len(test_part)} held-out examples from {dataset.id}",
        )
        x_train = await self.embed([e.text for e in train_part])
        x_test = await self.embed([e.text for e in test_part])
        eval_set = eval_set_name(dataset.id, job.seed)
        self._held_out[eval_set] = (test_part, x_test)
        await progress.advance(
            TrainingEventKind.EPOCH,
            {"examples": float(len(train_part))},
            epoch=0,
            message="embedded with MiniLM",
        )
        hyper = dataclasses.replace(Hyper(), **dict(job.overrides))
        summary: dict[str, float] = {}
        if job.trials:

            def report(number: int, metrics: dict[str, float], state: str) -> None:
                progress.from_thread(
                    TrainingEventKind.TRIAL, metrics, trial=number, message=f"trial {state}"
                )

            hyper, summary = await asyncio.to_thread(
                tune,
                x_train,
                train_part,
                hyper,
                trials=job.trials,
                timeout_s=job.timeout_s,
                seed=job.seed,
                report=report,
            )
        trained = await asyncio.to_thread(train, x_train, train_part, hyper, seed=job.seed)
        metrics = evaluate(trained, x_test, test_part)
        artifact = await asyncio.to_thread(export_onnx, trained)
        scores = {
            PRIMARY_METRIC: metrics.capability_accuracy,
            "tier_accuracy": metrics.tier_accuracy,
            "baseline_majority": majority_baseline(train_part, test_part),
            "held_out": float(metrics.n),
            "train_s": trained.train_seconds,
            **{f"tuning_{k}": v for k, v in summary.items()},
        }
        await progress.advance(
            TrainingEventKind.EPOCH, scores, epoch=1, message="fitted and evaluated"
        )
        return await self.registry.register(
            ROUTER_MODEL,
            artifact,
            metrics=scores,
            primary_metric=PRIMARY_METRIC,
            params={**dataclasses.asdict(hyper), "seed": job.seed, "limit": job.limit},
            dataset_version=dataset.id,
            eval_set=eval_set,
            training_run_id=run_id,
        )

    async def judge(self, candidate: ModelVersion, incumbent: ModelVersion) -> tuple[float, float]:
        """Both versions' accuracy on the candidate's held-out set, scored now."""
        examples, x = await self._eval_set(candidate.eval_set or "")
        labels = np.array([CAPABILITIES.index(e.capability) for e in examples])
        scores = []
        for version in (candidate, incumbent):
            artifact = await self.registry.artifacts.get(version.artifact)
            texts = [e.text for e in examples]
            probs = await asyncio.to_thread(_capability_probs, artifact, x, texts)
            scores.append(float(np.mean(probs.argmax(axis=1) == labels)))
        return scores[0], scores[1]

    async def _eval_set(self, name: str) -> tuple[list[Example], NDArray[np.float32]]:
        if name in self._held_out:
            return self._held_out[name]
        match = _EVAL_SET.match(name)
        dataset = await self.datasets.get(match["dataset"]) if match else None
        if match is None or dataset is None:
            raise LookupError(f"cannot rebuild held-out set {name!r}")
        snapshot = [Example(**row) for row in await self.datasets.load(dataset)]
        _, test_part = split(snapshot, test_share=float(match["share"]), seed=int(match["seed"]))
        x = await self.embed([e.text for e in test_part])
        self._held_out[name] = (test_part, x)
        return test_part, x


def _capability_probs(
    artifact: bytes, x: NDArray[np.float32], texts: Sequence[str]
) -> NDArray[Any]:
    """The artifact's capability probabilities; the texts go in when its graph reads them."""

    def feed(names: frozenset[str]) -> dict[str, NDArray[Any]]:
        given: dict[str, NDArray[Any]] = {INPUT_NAME: x}
        if TEXT_INPUT in names:
            given[TEXT_INPUT] = np.array(texts, dtype=object).reshape(-1, 1)
        return given

    return run_graph(artifact, feed, CAPABILITY_OUTPUT)
