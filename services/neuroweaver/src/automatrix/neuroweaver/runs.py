"""Training runs: accepted at once, run one at a time in the background, recorded throughout.

A run's record (collection ``training_runs``) moves queued → running → completed | failed and
holds the version it produced and, when asked to promote, what the gate decided. Progress is
published live (``Progress``); the record is what stays.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, JsonValue

from automatrix.neuroweaver.progress import Progress
from automatrix.neuroweaver.registry import ModelVersion, PromotionRejectedError, Registry
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import ModelAlias, SubjectToken, TrainingEventKind
from automatrix.shared.contracts.scoring import TrainableModel
from automatrix.shared.docstore import DocumentStore, Query
from automatrix.shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)

COLLECTION = "training_runs"

RunState = Literal["queued", "running", "completed", "failed"]


class TrainParams(BaseModel):
    """Parameters of ``train``: which model, how hard to search, and what to do after."""

    model_config = {"extra": "forbid"}

    model: TrainableModel = "query-router"
    run_id: SubjectToken | None = Field(
        default=None, description="Choose the id (e.g. to subscribe to progress first)."
    )
    trials: int = Field(default=0, ge=0, le=200, description="Optuna trials; 0: defaults.")
    timeout_s: float = Field(default=300.0, gt=0, le=3600, description="Bound on tuning time.")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    limit: int | None = Field(default=None, ge=20, description="Train on this many examples.")
    params: dict[str, float | int | str] = Field(
        default_factory=dict, description="Hyper-parameter overrides."
    )
    promote: bool = Field(default=False, description="Promote to production if the gate passes.")
    samples: list[dict[str, JsonValue]] | None = Field(
        default=None, max_length=100_000, description="performance-predictor: training samples."
    )


class TrainingRun(BaseModel):
    run_id: str
    model: str
    state: RunState
    params: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None = None
    version: int | None = None
    metrics: dict[str, float] = Field(default_factory=dict)
    promotion: dict[str, Any] | None = None
    error: str | None = None


Job = Callable[[TrainParams, Progress, str], Awaitable[ModelVersion]]
Promoted = Callable[[ModelVersion], Awaitable[None]]


class TrainingRuns:
    """Accepts runs and executes them in order."""

    def __init__(self, store: DocumentStore, bus: Bus, registry: Registry) -> None:
        self.store = store
        self.bus = bus
        self.registry = registry
        self.jobs: dict[str, Job] = {}
        self.on_promoted: dict[str, Promoted] = {}
        """Per model: what to do on this replica once a run's version is promoted."""
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, params: TrainParams) -> TrainingRun:
        if params.model not in self.jobs:
            raise LookupError(f"no training job for {params.model!r}")
        run = TrainingRun(
            run_id=params.run_id or f"run-{uuid.uuid4().hex[:12]}",
            model=params.model,
            state="queued",
            params=params.model_dump(exclude={"samples", "run_id"}),
            created_at=datetime.now(UTC),
        )
        await self.store.insert(COLLECTION, run.model_dump(), id=run.run_id)
        task = asyncio.create_task(self._execute(run, params), name=f"train-{run.run_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return run

    async def get(self, run_id: str) -> TrainingRun | None:
        doc = await self.store.get(COLLECTION, run_id)
        return (
            TrainingRun.model_validate({k: v for k, v in doc.items() if k != "_id"})
            if doc
            else None
        )

    async def list(self, *, model: str | None = None, limit: int = 50) -> list[TrainingRun]:
        query = Query(
            equals={"model": model} if model else {}, sort=[("created_at", "desc")], limit=limit
        )
        return [
            TrainingRun.model_validate({k: v for k, v in doc.items() if k != "_id"})
            for doc in await self.store.find(COLLECTION, query)
        ]

    async def wait(self) -> None:
        """Until every accepted run has finished (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self) -> None:
        await cancel_and_wait(*self._tasks)

    async def _execute(self, run: TrainingRun, params: TrainParams) -> None:
        progress = Progress(self.bus, run.run_id, run.model)
        async with self._lock:
            await self.store.update(COLLECTION, run.run_id, {"state": "running"})
            try:
                version = await self.jobs[run.model](params, progress, run.run_id)
                promotion = await self._promote(version) if params.promote else None
            except asyncio.CancelledError:
                await self._finish(run.run_id, state="failed", error="cancelled at shutdown")
                raise
            except Exception as exc:
                log.exception("training run %s failed", run.run_id)
                error = f"{type(exc).__name__}: {exc}"
                await self._finish(run.run_id, state="failed", error=error)
                await progress.publish(TrainingEventKind.FAILED, message=error)
                return
            await self._finish(
                run.run_id,
                state="completed",
                version=version.version,
                metrics=version.metrics,
                promotion=promotion,
            )
            await progress.publish(
                TrainingEventKind.COMPLETED,
                metrics={**version.metrics, "version": float(version.version)},
                message=f"{version.name} v{version.version}"
                + (f"; promotion: {promotion['outcome']}" if promotion else ""),
            )

    async def _promote(self, version: ModelVersion) -> dict[str, Any]:
        try:
            move = await self.registry.promote(
                version.name, version.version, alias=ModelAlias.PRODUCTION
            )
        except PromotionRejectedError as exc:
            return {"outcome": "rejected", "reason": str(exc), "gate": exc.gate}
        if hook := self.on_promoted.get(version.name):
            await hook(version)
        return {"outcome": "promoted", "reason": move.reason, "gate": move.gate}

    async def _finish(self, run_id: str, **fields: Any) -> None:
        await self.store.update(COLLECTION, run_id, {**fields, "finished_at": datetime.now(UTC)})
