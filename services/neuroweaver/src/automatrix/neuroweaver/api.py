"""neuroweaver's methods on request-reply (``ai.v1.rpc.neuroweaver.<method>``).

The gateway's ``/api/v2/neuroweaver/...`` endpoints and the ``automatrix train`` CLI call
these; parameters are validated by the models below, so a bad call gets field-level errors.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from automatrix.neuroweaver.analytics import Analytics, AnalyticsParams
from automatrix.neuroweaver.cycles import CycleParams, LearningCycles
from automatrix.neuroweaver.datasets import Datasets
from automatrix.neuroweaver.registry import NotFoundError, PromotionRejectedError, Registry
from automatrix.neuroweaver.router_training import RouterTrainer
from automatrix.neuroweaver.runs import TrainingRuns, TrainParams
from automatrix.shared.contracts import CAPABILITY_LABELS, TIER_LABELS, ModelAlias, RpcErrorCode
from automatrix.shared.rpc import RpcFailure, RpcServer

ModelName = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="Model name.")


class _Params(BaseModel):
    model_config = {"extra": "forbid"}


class RunsParams(_Params):
    model: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    limit: int = Field(default=20, ge=1, le=500)


class RunParams(_Params):
    run_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")


class ModelsParams(_Params):
    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")


class PromoteParams(_Params):
    name: str = ModelName
    version: int = Field(ge=1)
    alias: ModelAlias = ModelAlias.PRODUCTION
    force: bool = False
    reason: str = Field(default="", max_length=1024)


class RollbackParams(_Params):
    name: str = ModelName
    alias: ModelAlias = ModelAlias.PRODUCTION
    reason: str = Field(min_length=1, max_length=1024)


class LabelledExample(_Params):
    text: str = Field(min_length=1, max_length=4000)
    capability: Literal[CAPABILITY_LABELS]  # type: ignore[valid-type]
    tier: Literal[TIER_LABELS]  # type: ignore[valid-type]
    group: str | None = Field(default=None, max_length=128)


class ExamplesParams(_Params):
    examples: list[LabelledExample] = Field(min_length=1, max_length=1000)


class Api:
    """Registers the methods; each returns JSON-able data or raises ``RpcFailure``."""

    def __init__(
        self,
        rpc: RpcServer,
        *,
        runs: TrainingRuns,
        registry: Registry,
        datasets: Datasets,
        router: RouterTrainer,
        analytics: Analytics,
        cycles: LearningCycles,
    ) -> None:
        self.runs = runs
        self.registry = registry
        self.datasets = datasets
        self.router = router
        self.cycles = cycles
        rpc.method("status", self.status)
        rpc.method("train", self.train, TrainParams)
        rpc.method("runs", self.list_runs, RunsParams)
        rpc.method("run", self.run, RunParams)
        rpc.method("models", self.models, ModelsParams)
        rpc.method("promote", self.promote, PromoteParams)
        rpc.method("rollback", self.rollback, RollbackParams)
        rpc.method("examples", self.add_examples, ExamplesParams)
        rpc.method("datasets", self.list_datasets)
        rpc.method("analytics", analytics, AnalyticsParams)
        rpc.method("cycle", self.cycle, CycleParams)
        rpc.method("cycles", self.list_cycles, RunsParams)

    async def status(self, _: BaseModel) -> dict[str, Any]:
        models = {name: await self.registry.aliases(name) for name in await self.registry.names()}
        recent = await self.runs.list(limit=5)
        return {
            "models": models,
            "runs": [r.model_dump(mode="json") for r in recent],
            "training": [r.run_id for r in recent if r.state in ("queued", "running")],
        }

    async def train(self, params: TrainParams) -> dict[str, Any]:
        if params.run_id and await self.runs.get(params.run_id):
            raise RpcFailure(RpcErrorCode.CONFLICT, f"run {params.run_id} already exists")
        try:
            run = await self.runs.start(params)
        except LookupError as exc:
            raise RpcFailure(RpcErrorCode.NOT_FOUND, str(exc)) from exc
        return run.model_dump(mode="json")

    async def list_runs(self, params: RunsParams) -> list[dict[str, Any]]:
        return [
            r.model_dump(mode="json")
            for r in await self.runs.list(model=params.model, limit=params.limit)
        ]

    async def run(self, params: RunParams) -> dict[str, Any]:
        run = await self.runs.get(params.run_id)
        if run is None:
            raise RpcFailure(RpcErrorCode.NOT_FOUND, f"no training run {params.run_id}")
        return run.model_dump(mode="json")

    async def models(self, params: ModelsParams) -> list[dict[str, Any]]:
        names = [params.name] if params.name else await self.registry.names()
        out = []
        for name in names:
            versions = await self.registry.versions(name, limit=50)
            if not versions and params.name:
                raise RpcFailure(RpcErrorCode.NOT_FOUND, f"no model named {name}")
            out.append(
                {
                    "name": name,
                    "aliases": await self.registry.aliases(name),
                    "versions": [v.model_dump(mode="json") for v in versions],
                    "moves": [
                        m.model_dump(mode="json") for m in await self.registry.moves(name, limit=20)
                    ],
                }
            )
        return out

    async def promote(self, params: PromoteParams) -> dict[str, Any]:
        try:
            move = await self.registry.promote(
                params.name,
                params.version,
                alias=params.alias,
                force=params.force,
                reason=params.reason,
            )
        except NotFoundError as exc:
            raise RpcFailure(RpcErrorCode.NOT_FOUND, str(exc)) from exc
        except PromotionRejectedError as exc:
            raise RpcFailure(RpcErrorCode.CONFLICT, str(exc)) from exc
        except ValueError as exc:
            raise RpcFailure(RpcErrorCode.INVALID, str(exc)) from exc
        return move.model_dump(mode="json")

    async def rollback(self, params: RollbackParams) -> dict[str, Any]:
        try:
            move = await self.registry.rollback(
                params.name, alias=params.alias, reason=params.reason
            )
        except NotFoundError as exc:
            raise RpcFailure(RpcErrorCode.NOT_FOUND, str(exc)) from exc
        return move.model_dump(mode="json")

    async def add_examples(self, params: ExamplesParams) -> dict[str, Any]:
        count = await self.router.add_examples(
            [e.model_dump(exclude_none=True) for e in params.examples]
        )
        return {"added": len(params.examples), "total_added": count}

    async def list_datasets(self, _: BaseModel) -> list[dict[str, Any]]:
        return [d.model_dump(mode="json") for d in await self.datasets.versions()]

    async def cycle(self, params: CycleParams) -> dict[str, Any]:
        return await self.cycles.run(params)

    async def list_cycles(self, params: RunsParams) -> list[dict[str, Any]]:
        return await self.cycles.recent(limit=params.limit)
