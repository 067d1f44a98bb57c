"""The learning loop end to end: train the router, promote it, serve it, gate it, roll it back.

Real parts throughout: neuroweaver trains on MiniLM embeddings the inference service
computes, stores the ONNX artifact in the JetStream object store and the records in SQLite;
inference hot-loads the promoted version into its embedded Triton; the gateway classifies
through it and reports the version.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from nats.aio.client import Client

from automatrix.shared.contracts import TRAINING, TrainingProgress
from automatrix.shared.contracts.rpc import RpcErrorCode
from automatrix.shared.rpc import RpcClient, RpcFailure

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

QUERY = {"text": "write a python function that merges two sorted lists"}
WORSE = {"limit": 140, "params": {"c": 0.01, "tier_c": 0.01, "text_c": 0.01}}


def classified_version(http: httpx.Client) -> str | None:
    response = http.post("/api/v2/classify", json=QUERY)
    response.raise_for_status()
    body = response.json()
    data = body.get("data", body)
    version: str | None = data["model_version"]
    return version


async def until(check: Callable[[], Any], within_s: float, what: str) -> float:
    """Poll ``check`` (run in a thread) until truthy; returns the seconds it took."""
    started = time.monotonic()
    while not await asyncio.to_thread(check):
        if time.monotonic() - started > within_s:
            raise AssertionError(f"{what} not within {within_s}s")
        await asyncio.sleep(0.1)
    return time.monotonic() - started


async def train(rpc: RpcClient, nc: Client, run_id: str, **params: Any) -> dict[str, Any]:
    """Start a run, collect its progress events until it ends, return its record."""
    events: list[TrainingProgress] = []
    done = asyncio.Event()

    async def on_event(msg: Any) -> None:
        event = TrainingProgress.parse(msg.data)
        events.append(event)
        if event.event.value in ("completed", "failed"):
            done.set()

    sub = await nc.subscribe(TRAINING.filter(run_id=run_id), cb=on_event)
    try:
        await rpc.call("neuroweaver", "train", {"run_id": run_id, **params})
        await asyncio.wait_for(done.wait(), 600)
    finally:
        await sub.unsubscribe()
    run: dict[str, Any] = await rpc.call("neuroweaver", "run", {"run_id": run_id})
    run["events"] = events
    return run


async def test_train_promote_serve_gate_rollback(
    http: httpx.Client, rpc: RpcClient, nc: Client
) -> None:
    assert classified_version(http) is None  # nothing promoted yet: the heuristic decides

    first = await train(rpc, nc, "e2e-first", trials=2, timeout_s=240, seed=0)
    assert first["state"] == "completed", first
    kinds = [e.event.value for e in first["events"]]
    assert kinds[0] == "started"
    assert kinds[-1] == "completed"
    assert kinds.count("trial") == 2, kinds
    steps = [e.step for e in first["events"] if e.step is not None]
    assert steps == sorted(steps)
    assert first["events"][-1].metrics["accuracy"] > 0.5
    v1 = first["version"]

    await rpc.call("neuroweaver", "promote", {"name": "query-router", "version": v1})
    await until(lambda: classified_version(http) == str(v1), 120, f"v{v1} served")

    # A deliberately worse candidate (140 examples, heavy regularisation) is refused.
    worse = await train(rpc, nc, "e2e-worse", seed=0, **WORSE)
    assert worse["state"] == "completed", worse
    assert worse["metrics"]["accuracy"] < first["metrics"]["accuracy"]
    assert classified_version(http) == str(v1)  # published, not promoted: not served
    with pytest.raises(RpcFailure) as refused:
        await rpc.call(
            "neuroweaver", "promote", {"name": "query-router", "version": worse["version"]}
        )
    assert refused.value.code is RpcErrorCode.CONFLICT
    assert "does not beat" in refused.value.message
    models = await rpc.call("neuroweaver", "models", {"name": "query-router"})
    assert models[0]["aliases"]["production"] == v1

    # The same seed gives the same metrics.
    again = await train(rpc, nc, "e2e-worse-again", seed=0, **WORSE)
    assert again["metrics"]["accuracy"] == worse["metrics"]["accuracy"]
    assert again["metrics"]["tier_accuracy"] == worse["metrics"]["tier_accuracy"]

    # Forced past the gate (with a reason), then rolled back while requests keep flowing.
    await rpc.call(
        "neuroweaver",
        "promote",
        {"name": "query-router", "version": worse["version"], "force": True, "reason": "test"},
    )
    await until(lambda: classified_version(http) == str(worse["version"]), 120, "forced served")

    failures: list[str] = []
    served: list[str | None] = []
    stop = threading.Event()

    def traffic() -> None:
        with httpx.Client(base_url=str(http.base_url), headers=http.headers, timeout=30) as c:
            while not stop.is_set():
                try:
                    served.append(classified_version(c))
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))

    flowing = threading.Thread(target=traffic)
    flowing.start()
    try:
        await until(lambda: len(served) >= 3, 60, "traffic flowing")
        await rpc.call(
            "neuroweaver", "rollback", {"name": "query-router", "reason": "worse in production"}
        )
        took = await until(lambda: classified_version(http) == str(v1), 5, "rollback")
        await until(lambda: str(v1) in served, 30, "the traffic seeing the rollback")
    finally:
        stop.set()
        await asyncio.to_thread(flowing.join)
    assert took <= 5
    assert not failures, failures[:3]
    assert served[0] == str(worse["version"])
    assert served[-1] == str(v1)
    models = await rpc.call("neuroweaver", "models", {"name": "query-router"})
    assert models[0]["aliases"]["production"] == v1
    assert [m["kind"] for m in models[0]["moves"]][:3] == ["rolled_back", "promoted", "promoted"]
