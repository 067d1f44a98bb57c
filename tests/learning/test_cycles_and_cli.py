"""A learning cycle on live telemetry, analytics over it, and ``automatrix train`` on a terminal.

The verified outcomes are telemetry events published on the bus as any evaluator would; the
cycle must turn them into a proficiency change relaycore applies to the real deployment.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
from typing import Any

import pytest
from nats.aio.client import Client

from automatrix.shared.contracts import Outcome, TelemetryEvent, TelemetryKind
from automatrix.shared.rpc import RpcClient
from bench.launched import RunningPlatform

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

DEPLOYMENT = "gemma3-270m"


async def publish(nc: Client, event: TelemetryEvent) -> None:
    js = nc.jetstream()
    await js.publish(event.subject(), event.to_bytes(), headers={"Nats-Msg-Id": event.message_id})


async def deployment(rpc: RpcClient, name: str) -> dict[str, Any]:
    found: dict[str, Any] = await rpc.call("relaycore", "deployments", {"name": name})
    record: dict[str, Any] = found["deployments"][0]
    return record


async def test_cycle_updates_proficiency_and_analytics_see_outcomes(
    nc: Client, rpc: RpcClient
) -> None:
    before = (await deployment(rpc, DEPLOYMENT))["capabilities"]["chat"]
    outcomes = [Outcome.SUCCESS] * 8 + [Outcome.ERROR] * 2
    for n, outcome in enumerate(outcomes):
        await publish(
            nc,
            TelemetryEvent(
                service="evaluator",
                kind=TelemetryKind.REQUEST,
                deployment=DEPLOYMENT,
                outcome=outcome,
                latency_ms=100.0 + n,
                attributes={"verification_score": 1.0, "capability": "chat"},
            ),
        )
    # Ingestion is asynchronous: wait until analytics count all ten.
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        stats = await rpc.call("neuroweaver", "analytics", {"deployment": DEPLOYMENT})
        if stats["overall"]["total"] >= len(outcomes):
            break
        assert asyncio.get_running_loop().time() < deadline, stats
        await asyncio.sleep(0.2)
    assert stats["overall"]["failures"] == 2
    assert stats["overall"]["success_rate"] == pytest.approx(0.8)
    assert stats["latency_trend"][0]["count"] >= 10

    cycle = await rpc.call("neuroweaver", "cycle", {})
    assert DEPLOYMENT in cycle["participants"]
    assert cycle["deployments"][DEPLOYMENT] == {"successes": 8, "failures": 2}
    assert cycle["proficiency_updates"] == [
        {"deployment": DEPLOYMENT, "capability": "chat", "score": 1.0, "n": 10}
    ]
    assert cycle["dataset_version"].startswith("telemetry-requests-v")
    deadline = asyncio.get_running_loop().time() + 30
    while (await deployment(rpc, DEPLOYMENT))["capabilities"]["chat"] <= before:
        assert asyncio.get_running_loop().time() < deadline, "proficiency never rose"
        await asyncio.sleep(0.2)

    bad = await asyncio.gather(
        rpc.call("neuroweaver", "analytics", {"since": "yesterday"}), return_exceptions=True
    )
    assert getattr(bad[0], "fields", None), bad


def test_train_cli_shows_a_progress_bar(learning_platform: RunningPlatform) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "automatrix.shared.launcher",
            "train",
            "query-router",
            "--limit",
            "140",
            "--trials",
            "1",
            "--nats-url",
            learning_platform.nats_url,
        ],
        env=learning_platform.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("training query-router: run cli-")
    trials = [line for line in lines if "trial 0" in line]
    assert trials, lines
    assert trials[0].startswith("[")
    assert "cv_accuracy=" in trials[0]
    assert "completed" in lines[-1]
    assert "accuracy=" in lines[-1]


async def test_performance_predictor_trains_on_posted_samples_and_serves_predict(
    rpc: RpcClient,
) -> None:
    rng = random.Random(7)
    samples = []
    for _ in range(80):
        cpu, latency, errors = rng.uniform(5, 95), rng.uniform(50, 4000), rng.uniform(0, 0.3)
        score = max(0.0, min(1.0, 1 - errors - latency / 8000 - cpu / 400))
        samples.append(
            {
                "cpu_percent": cpu,
                "memory_percent": rng.uniform(10, 90),
                "latency_ms": latency,
                "error_rate": errors,
                "request_count": rng.randint(1, 500),
                "performance_score": score,
            }
        )
    await rpc.call(
        "neuroweaver",
        "train",
        {"model": "performance-predictor", "run_id": "pp-1", "samples": samples, "promote": True},
    )
    deadline = asyncio.get_running_loop().time() + 120
    while (run := await rpc.call("neuroweaver", "run", {"run_id": "pp-1"}))["state"] in (
        "queued",
        "running",
    ):
        assert asyncio.get_running_loop().time() < deadline, run
        await asyncio.sleep(0.2)
    assert run["state"] == "completed", run
    assert run["promotion"]["outcome"] == "promoted"
    assert run["metrics"]["mae"] < run["metrics"]["baseline_mae"]
    good, bad = (
        samples[0] | {"error_rate": 0.0, "latency_ms": 60.0, "cpu_percent": 10.0},
        samples[0] | {"error_rate": 0.3, "latency_ms": 3900.0, "cpu_percent": 95.0},
    )
    for sample in (good, bad):
        sample.pop("performance_score")
    # Inference hot-loads the promoted version and answers for it; until then neuroweaver
    # answers with the model it just trained. Both are the same version.
    deadline = asyncio.get_running_loop().time() + 90
    while True:
        predicted = await rpc.call("neuroweaver", "predict", {"metrics": [good, bad]})
        assert predicted["model"]["source"] == "request"
        assert predicted["model"]["version"] == run["version"]
        assert predicted["scores"][0] > predicted["scores"][1]
        if predicted["model"]["served_by"] == "inference":
            break
        assert asyncio.get_running_loop().time() < deadline, predicted
        await asyncio.sleep(0.2)
    models = await rpc.call("neuroweaver", "models", {"name": "performance-predictor"})
    assert models[0]["aliases"] == {"production": run["version"]}
