"""The anomaly detector and the capacity forecaster through the whole loop.

Train on the platform (telemetry plus seeded bootstrap traffic), promote, and the inference
service hot-loads the ONNX version into its embedded Triton and answers ``score`` with it;
neuroweaver then puts the served version to work on live telemetry: the detector's verdict
on a deployment whose latency jumps, the forecaster as a forecasting candidate.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from nats.aio.client import Client

from automatrix.shared.contracts import Outcome, TelemetryEvent, TelemetryKind
from automatrix.shared.contracts.rpc import RpcErrorCode
from automatrix.shared.rpc import RpcClient, RpcFailure

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

SOURCE = "relaycore"  # the service whose per-attempt telemetry insights watches


async def publish(nc: Client, deployment: str, at: datetime, latency_ms: float) -> None:
    event = TelemetryEvent(
        service=SOURCE,
        kind=TelemetryKind.REQUEST,
        deployment=deployment,
        outcome=Outcome.SUCCESS,
        latency_ms=latency_ms,
        timestamp=at,
    )
    await nc.jetstream().publish(
        event.subject(), event.to_bytes(), headers={"Nats-Msg-Id": event.message_id}
    )


async def train(rpc: RpcClient, run_id: str, model: str) -> dict[str, Any]:
    await rpc.call("neuroweaver", "train", {"model": model, "run_id": run_id, "promote": True})
    deadline = asyncio.get_running_loop().time() + 180
    while (run := await rpc.call("neuroweaver", "run", {"run_id": run_id}))["state"] in (
        "queued",
        "running",
    ):
        assert asyncio.get_running_loop().time() < deadline, run
        await asyncio.sleep(0.2)
    assert run["state"] == "completed", run
    assert run["promotion"]["outcome"] == "promoted", run
    return dict(run)


async def served(rpc: RpcClient, model: str, inputs: dict[str, Any], output: str) -> int:
    """Poll ``score`` until inference serves a version of ``model``; that version."""
    deadline = asyncio.get_running_loop().time() + 90
    while True:
        try:
            found = await rpc.call(
                "inference", "score", {"model": model, "inputs": inputs, "outputs": [output]}
            )
            return int(found["version"])
        except RpcFailure as exc:
            if exc.code is not RpcErrorCode.NOT_FOUND:
                raise
        assert asyncio.get_running_loop().time() < deadline, f"{model} never served"
        await asyncio.sleep(0.2)


async def test_anomaly_detector_is_trained_served_and_judges_live_windows(
    nc: Client, rpc: RpcClient
) -> None:
    run = await train(rpc, "ad-1", "anomaly-detector")
    metrics = run["metrics"]
    assert metrics["recall"] >= 0.9, metrics
    assert metrics["false_alarm_rate"] <= 0.05, metrics
    assert "statistical_f1" in metrics
    row = [[0.0, 0.0, 0.0, 0.01, 0.0, 3.0]]
    version = await served(rpc, "anomaly-detector", {"features": row}, "probabilities")
    assert version == run["version"]

    scored = await rpc.call(
        "inference",
        "score",
        {"model": "anomaly-detector", "inputs": {"features": row}, "outputs": ["probabilities"]},
    )
    assert len(scored["outputs"]["probabilities"][0]) == 3
    assert sum(scored["outputs"]["probabilities"][0]) == pytest.approx(1.0, abs=1e-4)
    with pytest.raises(RpcFailure) as narrow:
        await rpc.call(
            "inference",
            "score",
            {"model": "anomaly-detector", "inputs": {"features": [[1.0]]}, "outputs": ["x"]},
        )
    assert narrow.value.code is RpcErrorCode.INVALID
    with pytest.raises(RpcFailure) as unknown:
        await rpc.call(
            "inference",
            "score",
            {"model": "no-such-model", "inputs": {"features": row}, "outputs": ["x"]},
        )
    assert unknown.value.code is RpcErrorCode.NOT_FOUND

    # A calm minute of a deployment, then its latency jumps tenfold for the last seconds.
    now = datetime.now(UTC)
    for n in range(80):
        at = now - timedelta(seconds=100 - n)
        await publish(nc, "insight-probe", at, 100.0 + (n % 9))
    for n in range(20):
        await publish(nc, "insight-probe", now - timedelta(seconds=4 - n * 0.2), 1000.0 + n)
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        seen = await rpc.call("neuroweaver", "anomalies", {"deployment": "insight-probe"})
        verdicts = (seen["model"] or {}).get("deployments", {})
        if verdicts.get("insight-probe", {}).get("verdict") == "latency_spike":
            break
        assert asyncio.get_running_loop().time() < deadline, seen
        await asyncio.sleep(0.2)
    assert seen["model"]["version"] == run["version"]
    assert seen["model"]["deployments"]["insight-probe"]["latency_spike"] > 0.5


async def test_capacity_forecaster_is_trained_served_and_competes(
    nc: Client, rpc: RpcClient
) -> None:
    # Forty minutes of past volume for one deployment: a few requests every minute.
    now = datetime.now(UTC)
    for minute in range(40, 0, -1):
        for n in range(3 + minute % 4):
            await publish(nc, "volume-probe", now - timedelta(minutes=minute, seconds=n), 50.0)
    run = await train(rpc, "cf-1", "capacity-forecaster")
    assert run["metrics"]["skill"] > 0, run["metrics"]
    version = await served(rpc, "capacity-forecaster", {"lags": [[5.0] * 24]}, "forecast")
    assert version == run["version"]

    deadline = asyncio.get_running_loop().time() + 30
    while True:
        capacity = await rpc.call("neuroweaver", "capacity", {"deployment": "volume-probe"})
        (view,) = capacity["forecasts"]
        if view["history_buckets"] >= 35:
            break
        assert asyncio.get_running_loop().time() < deadline, view
        await asyncio.sleep(0.5)
    candidate = f"model:capacity-forecaster:v{version}"
    assert candidate in view["candidates"], view
    assert len(view["forecast"]) == capacity["horizon"]
