"""Learning cycles: on a schedule or on demand, turn what happened since the last one into change.

A cycle (record in ``learning_cycles``):

1. counts the request outcomes since the last cycle per deployment (the participants,
   successes and failures);
2. turns verified outcomes into proficiency updates: telemetry that carries a
   ``verification_score`` (0..1) and the ``capability`` it verifies is averaged per
   deployment and capability and sent to relaycore as one ``deployment_feedback`` each;
3. retrains the router when enough labelled examples were added since its production
   version was trained, and asks for promotion (the gate still decides);
4. snapshots the period's telemetry into a dataset version (lineage for later models);
5. records insights (what it saw and did) and the impact of what it changed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from automatrix.neuroweaver.datasets import Datasets
from automatrix.neuroweaver.ingest import COLLECTION as TELEMETRY
from automatrix.neuroweaver.registry import Registry
from automatrix.neuroweaver.router_training import EXAMPLES
from automatrix.neuroweaver.runs import TrainingRuns, TrainParams
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import ROUTER_MODEL, ControlEvent, ControlKind, ModelAlias
from automatrix.shared.docstore import DocumentStore, Query, Range
from automatrix.shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)

COLLECTION = "learning_cycles"
TELEMETRY_DATASET = "telemetry-requests"
MAX_RECORDS = 100_000

InsightSource = Callable[[], Awaitable[list[dict[str, Any]]]]


class CycleParams(BaseModel):
    model_config = {"extra": "forbid"}

    retrain: bool = Field(default=False, description="Retrain the router whatever the data.")
    wait: bool = Field(default=False, description="Wait for a retraining run to finish.")


class LearningCycles:
    def __init__(
        self,
        store: DocumentStore,
        bus: Bus,
        *,
        datasets: Datasets,
        registry: Registry,
        runs: TrainingRuns,
        min_new_examples: int,
        interval_s: float,
    ) -> None:
        self.store = store
        self.bus = bus
        self.datasets = datasets
        self.registry = registry
        self.runs = runs
        self.min_new_examples = min_new_examples
        self.interval_s = interval_s
        self.insight_sources: list[InsightSource] = []
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.interval_s > 0:
            self._task = asyncio.create_task(self._schedule(), name="learning-cycles")

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)

    async def _schedule(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self.run(CycleParams(), trigger="schedule")
            except Exception:
                log.exception("scheduled learning cycle failed")

    async def recent(self, limit: int = 20) -> list[dict[str, Any]]:
        docs = await self.store.find(COLLECTION, Query(sort=[("started_at", "desc")], limit=limit))
        return [_plain(doc) for doc in docs]

    async def run(
        self, params: CycleParams, *, trigger: Literal["manual", "schedule"] = "manual"
    ) -> dict[str, Any]:
        async with self._lock:
            return await self._run(params, trigger)

    async def _run(self, params: CycleParams, trigger: str) -> dict[str, Any]:
        started = datetime.now(UTC)
        previous = await self.store.find(COLLECTION, Query(sort=[("started_at", "desc")], limit=1))
        since: datetime = previous[0]["started_at"] if previous else datetime.fromtimestamp(0, UTC)
        docs = await self.store.find(
            TELEMETRY,
            Query(
                equals={"kind": "request"},
                ranges={"timestamp": Range(gte=since, lt=started)},
                sort=[("timestamp", "asc")],
                limit=MAX_RECORDS,
            ),
        )
        outcomes = _outcomes(docs)
        feedback = await self._feedback(docs)
        retrain = await self._retrain(params)
        dataset = None
        if docs:
            snapshot = await self.datasets.snapshot(
                TELEMETRY_DATASET,
                [_plain(doc) for doc in docs],
                source=f"telemetry {since.isoformat()}..{started.isoformat()}",
            )
            dataset = snapshot.id
        insights: list[dict[str, Any]] = []
        for source in self.insight_sources:
            try:
                insights.extend(await source())
            except Exception:
                log.exception("an insight source failed during the cycle")
        record = {
            "trigger": trigger,
            "started_at": started,
            "finished_at": datetime.now(UTC),
            "since": since,
            "participants": sorted(outcomes),
            "successes": sum(o["successes"] for o in outcomes.values()),
            "failures": sum(o["failures"] for o in outcomes.values()),
            "deployments": outcomes,
            "proficiency_updates": feedback,
            "retraining": retrain,
            "dataset_version": dataset,
            "insights": insights[:100],
            "impact": {
                "proficiencies_updated": len(feedback),
                "router_retrained": retrain.get("run_id") is not None,
                "router_promoted": (retrain.get("promotion") or {}).get("outcome") == "promoted",
            },
        }
        id = await self.store.insert(COLLECTION, record)
        return _plain({**record, "_id": id})

    async def _feedback(self, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        scores: dict[tuple[str, str], list[float]] = defaultdict(list)
        for doc in docs:
            attributes = doc.get("attributes") or {}
            score, capability = attributes.get("verification_score"), attributes.get("capability")
            if doc.get("deployment") and isinstance(capability, str) and _is_score(score):
                scores[(doc["deployment"], capability)].append(float(score))  # type: ignore[arg-type]
        updates = []
        for (deployment, capability), values in sorted(scores.items()):
            mean = round(sum(values) / len(values), 4)
            await self.bus.publish(
                ControlEvent(
                    kind=ControlKind.DEPLOYMENT_FEEDBACK,
                    target=deployment,
                    issued_by="neuroweaver-cycle",
                    reason=f"mean of {len(values)} verified outcomes",
                    payload={"capability": capability, "score": mean},
                )
            )
            updates.append(
                {
                    "deployment": deployment,
                    "capability": capability,
                    "score": mean,
                    "n": len(values),
                }
            )
        return updates

    async def _retrain(self, params: CycleParams) -> dict[str, Any]:
        production = await self.registry.resolve(ROUTER_MODEL, ModelAlias.PRODUCTION)
        trained_at = production.created_at if production else datetime.fromtimestamp(0, UTC)
        new = await self.store.count(EXAMPLES, Query(ranges={"added_at": Range(gt=trained_at)}))
        if not params.retrain and new < self.min_new_examples:
            return {"skipped": f"{new} new labelled examples (< {self.min_new_examples})"}
        run = await self.runs.start(TrainParams(model="query-router", promote=True))
        if not params.wait:
            return {"run_id": run.run_id, "new_examples": new}
        await self.runs.wait()
        finished = await self.runs.get(run.run_id)
        return {
            "run_id": run.run_id,
            "new_examples": new,
            "state": finished.state if finished else "unknown",
            "version": finished.version if finished else None,
            "promotion": finished.promotion if finished else None,
        }


def _is_score(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def _outcomes(docs: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"successes": 0, "failures": 0})
    for doc in docs:
        name = doc.get("deployment")
        if not name:
            continue
        ok = doc.get("outcome") in ("success", "cached")
        out[name]["successes" if ok else "failures"] += 1
    return dict(out)


def _plain(doc: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: datetimes as ISO strings, nested too."""

    def convert(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    return convert(doc)  # type: ignore[no-any-return]
