"""The registry and datasets on a real JetStream (object store, model events) and SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from automatrix.neuroweaver.artifacts import Artifacts
from automatrix.neuroweaver.datasets import Datasets
from automatrix.neuroweaver.registry import NotFoundError, PromotionRejectedError, Registry
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import MODELS, ModelAlias
from automatrix.shared.docstore import DocumentStore, open_store
from automatrix.shared.settings import BusSettings


@pytest.fixture
async def bus(bus_settings: Callable[..., BusSettings], redis: Redis) -> AsyncIterator[Bus]:
    async with Bus(bus_settings(), name="tests-registry", redis=redis) as bus:
        yield bus


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[DocumentStore]:
    store = await open_store(f"sqlite:///{tmp_path / 'nw.db'}")
    yield store
    await store.close()


@pytest.fixture
async def artifacts(bus: Bus) -> Artifacts:
    artifacts = Artifacts(lambda: bus.js)
    await artifacts.ensure_buckets()
    return artifacts


@pytest.fixture
async def events(bus: Bus) -> AsyncIterator[list[tuple[str, dict[str, Any]]]]:
    seen: list[tuple[str, dict[str, Any]]] = []

    async def on(msg: Any) -> None:
        import json

        seen.append((msg.subject, json.loads(msg.data)))

    sub = await bus.nc.subscribe(MODELS.wildcard, cb=on)
    yield seen
    await sub.unsubscribe()


async def until(check: Callable[[], bool], within_s: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within_s
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_versions_aliases_gate_and_rollback(
    bus: Bus, store: DocumentStore, artifacts: Artifacts, events: list[Any]
) -> None:
    registry = Registry(store, artifacts, bus)

    async def version(accuracy: float, blob: bytes) -> int:
        record = await registry.register(
            "toy",
            blob,
            metrics={"accuracy": accuracy},
            primary_metric="accuracy",
            params={"c": 1.0},
            dataset_version="toy-data-v1",
            eval_set="toy-data-v1:test=0.2:seed=0",
        )
        assert await artifacts.get(record.artifact) == blob
        return record.version

    v1, v2, v3 = await version(0.8, b"one"), await version(0.7, b"two"), await version(0.9, b"3")
    assert (v1, v2, v3) == (1, 2, 3)
    assert [v.version for v in await registry.versions("toy")] == [3, 2, 1]

    first = await registry.promote("toy", v1)
    assert first.reason == "first version"
    with pytest.raises(PromotionRejectedError, match="does not beat"):
        await registry.promote("toy", v2)
    with pytest.raises(ValueError, match="needs a reason"):
        await registry.promote("toy", v2, force=True)
    better = await registry.promote("toy", v3)
    assert better.gate["passed"]
    assert better.gate["incumbent_version"] == v1
    assert await registry.aliases("toy") == {"production": v3}

    back = await registry.rollback("toy", reason="regression seen")
    assert (back.version, back.previous_version) == (v1, v3)
    assert await registry.aliases("toy") == {"production": v1}
    with pytest.raises(NotFoundError, match="no earlier version"):
        await registry.rollback("toy", reason="again")

    await registry.promote("toy", v2, alias=ModelAlias.STAGING)  # no gate for staging
    assert await registry.aliases("toy") == {"production": v1, "staging": v2}

    await until(lambda: len(events) == 3 + 4)
    kinds = [subject.rsplit(".", 1)[-1] for subject, _ in events]
    assert kinds == ["published"] * 3 + ["promoted", "promoted", "rolled_back", "promoted"]
    assert events[-2][1]["version"] == v1
    assert events[-2][1]["previous_version"] == v3


async def test_gate_refuses_versions_scored_on_different_sets(
    bus: Bus, store: DocumentStore, artifacts: Artifacts
) -> None:
    registry = Registry(store, artifacts, bus)
    a = await registry.register("m", b"a", metrics={"acc": 0.5}, primary_metric="acc", eval_set="x")
    b = await registry.register("m", b"b", metrics={"acc": 0.9}, primary_metric="acc", eval_set="y")
    await registry.promote("m", a.version)
    with pytest.raises(PromotionRejectedError, match="different held-out sets"):
        await registry.promote("m", b.version)

    async def judge(candidate: Any, incumbent: Any) -> tuple[float, float]:
        return 0.6, 0.55  # both re-scored on the candidate's set by the model's judge

    registry.judges["m"] = judge
    move = await registry.promote("m", b.version)
    assert move.gate["basis"].startswith("both scored")


async def test_dataset_snapshots_are_content_addressed(
    store: DocumentStore, artifacts: Artifacts
) -> None:
    datasets = Datasets(store, artifacts)
    rows = [{"text": "hi", "label": "chat"}, {"text": "2+2", "label": "math"}]
    first = await datasets.snapshot("d", rows, source="test")
    same = await datasets.snapshot("d", [dict(reversed(list(r.items()))) for r in rows], source="t")
    assert same.id == first.id == "d-v1"
    changed = await datasets.snapshot(
        "d", [*rows, {"text": "bonjour", "label": "translation"}], source="t"
    )
    assert changed.id == "d-v2"
    assert changed.sha256 != first.sha256
    assert await datasets.load(first) == rows
    assert [d.id for d in await datasets.versions("d")] == ["d-v2", "d-v1"]
