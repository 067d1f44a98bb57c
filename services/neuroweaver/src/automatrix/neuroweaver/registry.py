"""The model registry: immutable versions, movable aliases, a promotion gate, rollback.

A version's record (collection ``model_versions``) holds its artifact reference and content
hash, parameters, metrics, dataset lineage, the held-out set it was evaluated on, and when it
was made; the artifact itself is in the object store. Aliases (``staging``, ``production``)
live in ``model_aliases`` with their history in ``alias_moves``, so a rollback knows where
to go back to. Every move publishes a ``ModelPromoted`` / ``ModelRolledBack`` event, which the
inference service hot-loads from.

The gate: a version becomes ``production`` only when it beats the current one on the same
held-out set. ``Judge`` scores both artifacts on the candidate's held-out set at promotion
time, so versions trained on different splits are still compared like for like. ``force``
skips the gate but needs a reason, which is recorded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from automatrix.neuroweaver.artifacts import MODELS_BUCKET, Artifacts
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import (
    ArtifactRef,
    ModelAlias,
    ModelPromoted,
    ModelPublished,
    ModelRolledBack,
)
from automatrix.shared.docstore import DocumentStore, DuplicateKeyError, Query

VERSIONS = "model_versions"
ALIASES = "model_aliases"
MOVES = "alias_moves"


class ModelVersion(BaseModel):
    """The record of one immutable model version."""

    name: str
    version: int
    artifact: ArtifactRef
    params: dict[str, Any] = Field(default_factory=dict)
    metrics: dict[str, float] = Field(default_factory=dict)
    primary_metric: str = Field(description="The metric the promotion gate compares (higher wins).")
    dataset_version: str | None = None
    eval_set: str | None = Field(
        default=None, description="Held-out set it was evaluated on (dataset, split, seed)."
    )
    training_run_id: str | None = None
    created_at: datetime


class AliasMove(BaseModel):
    """One change of an alias, kept so rollback can undo it."""

    name: str
    alias: ModelAlias
    version: int
    previous_version: int | None
    kind: str = Field(description="``promoted`` or ``rolled_back``.")
    reason: str
    forced: bool = False
    gate: dict[str, Any] = Field(default_factory=dict)
    at: datetime


class PromotionRejectedError(Exception):
    """The candidate did not beat the version it would replace; ``gate`` says by how much."""

    def __init__(self, message: str, gate: Mapping[str, Any]) -> None:
        super().__init__(message)
        self.gate = dict(gate)


class NotFoundError(LookupError):
    """No such model, version or alias."""


Judge = Callable[[ModelVersion, ModelVersion], Awaitable[tuple[float, float]]]
"""(candidate, incumbent) -> their scores on the candidate's held-out set (higher is better)."""


class Registry:
    """Versions and aliases of every model the platform trains."""

    def __init__(self, store: DocumentStore, artifacts: Artifacts, bus: Bus) -> None:
        self.store = store
        self.artifacts = artifacts
        self.bus = bus
        self.judges: dict[str, Judge] = {}
        """Per model name: how to compare two versions on the same held-out set. Without
        one the gate compares the recorded primary metrics (same ``eval_set`` required)."""

    async def register(
        self,
        name: str,
        artifact: bytes,
        *,
        metrics: Mapping[str, float],
        primary_metric: str,
        params: Mapping[str, Any] | None = None,
        dataset_version: str | None = None,
        eval_set: str | None = None,
        training_run_id: str | None = None,
    ) -> ModelVersion:
        """Store a new version (the next number) and publish ``ModelPublished``."""
        if primary_metric not in metrics:
            raise ValueError(f"primary metric {primary_metric!r} not in {sorted(metrics)}")
        latest = await self.versions(name, limit=1)
        number = latest[0].version + 1 if latest else 1
        while True:
            ref = await self.artifacts.put(MODELS_BUCKET, f"{name}/v{number}/model.onnx", artifact)
            record = ModelVersion(
                name=name,
                version=number,
                artifact=ref,
                params=dict(params or {}),
                metrics={k: float(v) for k, v in metrics.items()},
                primary_metric=primary_metric,
                dataset_version=dataset_version,
                eval_set=eval_set,
                training_run_id=training_run_id,
                created_at=datetime.now(UTC),
            )
            try:
                await self.store.insert(VERSIONS, record.model_dump(), id=f"{name}:{number}")
                break
            except DuplicateKeyError:  # another replica registered this number first
                number += 1
        await self.bus.publish(
            ModelPublished(
                name=name,
                version=number,
                artifact=ref,
                metrics=record.metrics,
                dataset_version=dataset_version,
                training_run_id=training_run_id,
            )
        )
        return record

    async def versions(self, name: str, *, limit: int | None = None) -> list[ModelVersion]:
        """Versions of ``name``, newest first."""
        docs = await self.store.find(
            VERSIONS, Query(equals={"name": name}, sort=[("version", "desc")], limit=limit)
        )
        return [_version(doc) for doc in docs]

    async def names(self) -> list[str]:
        return sorted({doc["name"] for doc in await self.store.find(VERSIONS)})

    async def get(self, name: str, version: int) -> ModelVersion:
        doc = await self.store.get(VERSIONS, f"{name}:{version}")
        if doc is None:
            raise NotFoundError(f"{name} has no version {version}")
        return _version(doc)

    async def aliases(self, name: str) -> dict[str, int]:
        docs = await self.store.find(ALIASES, Query(equals={"name": name}))
        return {doc["alias"]: doc["version"] for doc in docs}

    async def resolve(self, name: str, alias: ModelAlias) -> ModelVersion | None:
        doc = await self.store.get(ALIASES, f"{name}:{alias.value}")
        return await self.get(name, doc["version"]) if doc else None

    async def moves(self, name: str | None = None, *, limit: int = 100) -> list[AliasMove]:
        """Alias changes, newest first."""
        query = Query(equals={"name": name} if name else {}, sort=[("at", "desc")], limit=limit)
        return [
            AliasMove.model_validate({k: v for k, v in doc.items() if k != "_id"})
            for doc in await self.store.find(MOVES, query)
        ]

    async def promote(
        self,
        name: str,
        version: int,
        *,
        alias: ModelAlias = ModelAlias.PRODUCTION,
        force: bool = False,
        reason: str = "",
    ) -> AliasMove:
        """Point ``alias`` at ``version`` if it beats the current one, or if ``force`` (reason)."""
        if force and not reason.strip():
            raise ValueError("a forced promotion needs a reason")
        candidate = await self.get(name, version)
        current = await self.resolve(name, alias)
        if current is not None and current.version == version:
            raise PromotionRejectedError(
                f"{name} v{version} is already {alias.value}", {"unchanged": True}
            )
        gate: dict[str, Any] = {}
        if current is not None and alias is ModelAlias.PRODUCTION:
            gate = await self._gate(candidate, current)
            if not gate["passed"] and not force:
                raise PromotionRejectedError(
                    f"{name} v{version} does not beat v{current.version} on"
                    f" {candidate.primary_metric}: {gate['candidate']:.4f}"
                    f" vs {gate['incumbent']:.4f}",
                    gate,
                )
        if not reason:
            reason = (
                f"{candidate.primary_metric} {gate['candidate']:.4f} vs {gate['incumbent']:.4f}"
                f" of v{gate['incumbent_version']}"
                if gate
                else "first version"
            )
        move = await self._move(
            candidate, alias, current, kind="promoted", reason=reason, forced=force, gate=gate
        )
        await self.bus.publish(
            ModelPromoted(
                name=name,
                version=version,
                artifact=candidate.artifact,
                alias=alias,
                previous_version=current.version if current else None,
                reason=reason[:1024],
            )
        )
        return move

    async def rollback(
        self, name: str, *, alias: ModelAlias = ModelAlias.PRODUCTION, reason: str
    ) -> AliasMove:
        """Move ``alias`` back to the version it pointed at before its last promotion."""
        if not reason.strip():
            raise ValueError("a rollback needs a reason")
        current = await self.resolve(name, alias)
        if current is None:
            raise NotFoundError(f"{name} has no {alias.value} version")
        target = await self._previous(name, alias, current.version)
        if target is None:
            raise NotFoundError(f"{name} {alias.value} has no earlier version to roll back to")
        move = await self._move(target, alias, current, kind="rolled_back", reason=reason)
        await self.bus.publish(
            ModelRolledBack(
                name=name,
                version=target.version,
                artifact=target.artifact,
                alias=alias,
                previous_version=current.version,
                reason=reason[:1024],
            )
        )
        return move

    async def _previous(self, name: str, alias: ModelAlias, current: int) -> ModelVersion | None:
        # Walk the history back: the version this alias held before ``current`` got it,
        # skipping versions that were themselves rolled back from.
        rolled_back_from = set()
        for move in await self.moves(name, limit=1000):
            if move.alias is not alias:
                continue
            if move.kind == "rolled_back" and move.previous_version is not None:
                rolled_back_from.add(move.previous_version)
            if move.kind == "promoted" and move.version == current and move.previous_version:
                if move.previous_version not in rolled_back_from:
                    return await self.get(name, move.previous_version)
                current = move.previous_version
        return None

    async def _gate(self, candidate: ModelVersion, incumbent: ModelVersion) -> dict[str, Any]:
        judge = self.judges.get(candidate.name)
        if judge is not None:
            ours, theirs = await judge(candidate, incumbent)
            basis = f"both scored on {candidate.eval_set or 'the candidate held-out set'}"
        else:
            if candidate.eval_set is None or candidate.eval_set != incumbent.eval_set:
                raise PromotionRejectedError(
                    f"{candidate.name} v{candidate.version} and v{incumbent.version} were"
                    " evaluated on different held-out sets and no judge can re-score them",
                    {
                        "candidate_eval_set": candidate.eval_set,
                        "incumbent_eval_set": incumbent.eval_set,
                    },
                )
            metric = candidate.primary_metric
            ours, theirs = candidate.metrics[metric], incumbent.metrics.get(metric, float("-inf"))
            basis = f"recorded {metric} on {candidate.eval_set}"
        return {
            "metric": candidate.primary_metric,
            "candidate": ours,
            "incumbent": theirs,
            "incumbent_version": incumbent.version,
            "basis": basis,
            "passed": ours > theirs,
        }

    async def _move(
        self,
        target: ModelVersion,
        alias: ModelAlias,
        current: ModelVersion | None,
        *,
        kind: str,
        reason: str,
        forced: bool = False,
        gate: Mapping[str, Any] | None = None,
    ) -> AliasMove:
        move = AliasMove(
            name=target.name,
            alias=alias,
            version=target.version,
            previous_version=current.version if current else None,
            kind=kind,
            reason=reason,
            forced=forced,
            gate=dict(gate or {}),
            at=datetime.now(UTC),
        )
        await self.store.put(
            ALIASES,
            f"{target.name}:{alias.value}",
            {"name": target.name, "alias": alias.value, "version": target.version, "at": move.at},
        )
        await self.store.insert(MOVES, move.model_dump())
        return move


def _version(doc: Mapping[str, Any]) -> ModelVersion:
    return ModelVersion.model_validate({k: v for k, v in doc.items() if k != "_id"})
