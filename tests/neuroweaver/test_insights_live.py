"""The live watch and ``optimize`` end to end: real NATS, Redis, relaycore and RPC.

Requests go through a real relaycore to scripted deployments that answer with log-normal
latency (and really take that long); relaycore's per-attempt telemetry is what neuroweaver
watches. The detector's windows are shortened so the test runs in well under a minute.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from automatrix.neuroweaver.insights import (
    Insights,
    InsightsSettings,
    fit_predictor,
    install_insights,
)
from automatrix.neuroweaver.insights.predictor import bootstrap_samples
from automatrix.neuroweaver.insights.schemas import AnomaliesParams
from automatrix.neuroweaver.insights.watch import ANOMALY_EVENT
from automatrix.relaycore.app import create_app as create_relay
from automatrix.relaycore.settings import Settings as RelaySettings
from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.contracts import (
    ANOMALIES,
    CONTROL,
    DEPLOYMENTS,
    AnomalyDetected,
    AnomalyKind,
    AnomalyResolved,
    ChatMessage,
    ControlEvent,
    ControlKind,
    DeploymentRecord,
    ErrorKind,
    InferenceCompleted,
    InferenceDispatched,
    InferenceRequested,
    RpcErrorCode,
    Usage,
)
from automatrix.shared.docstore import DocumentStore, open_store
from automatrix.shared.kv import KeyValueStore
from automatrix.shared.rpc import RpcClient, RpcFailure, RpcServer
from automatrix.shared.service import Service, base_service
from automatrix.shared.settings import BusSettings, ServiceSettings
from tests.support.processes import wait_until
from tests.support.scripted import ScriptedDeployment, register

RATE = 24.0
"""Requests per second the test sends, spread over the model groups."""
DETECT_WITHIN_S = 30.0


class TimedDeployment(ScriptedDeployment):
    """Takes a log-normal time around ``base_ms`` (times ``slow_factor``) and reports it."""

    def __init__(self, name: str, *, group: str, base_ms: float, seed: int) -> None:
        super().__init__(name, group=group, concurrency=16)
        self.base_ms = base_ms
        self.slow_factor = 1.0
        self.rng = random.Random(seed)

    async def _answer(self, event: InferenceDispatched) -> None:
        if self.fail_with is not None:
            await super()._answer(event)
            return
        assert self.bus is not None
        latency_ms = self.base_ms * self.rng.lognormvariate(0, 0.25) * self.slow_factor
        await asyncio.sleep(latency_ms / 1000)  # the work a real model would do
        request = event.request
        await self.bus.publish(
            InferenceCompleted(
                tenant=event.tenant,
                request_id=request.request_id,
                requester=request.requester,
                deployment=self.name,
                model=f"test-{self.name}",
                output="ok",
                usage=Usage(input_tokens=1, output_tokens=1, total_tokens=2),
                latency_ms=latency_ms,
            )
        )


@dataclass
class Stage:
    """Relaycore, the deployments, neuroweaver replicas with insights, what the test saw."""

    bus: Bus
    client: RpcClient
    registry: KeyValueStore[DeploymentRecord]
    start_replica: Callable[[], Awaitable[Insights]]
    replicas: list[Insights] = field(default_factory=list)
    detected: list[AnomalyDetected] = field(default_factory=list)
    resolved: list[AnomalyResolved] = field(default_factory=list)
    drains: list[ControlEvent] = field(default_factory=list)

    @property
    def insights(self) -> Insights:
        return self.replicas[0]

    async def on_anomaly(self, event: AnomalyDetected | AnomalyResolved, _: Delivery) -> None:
        if isinstance(event, AnomalyDetected):
            self.detected.append(event)
        else:
            self.resolved.append(event)

    async def on_control(self, event: ControlEvent, _: Delivery) -> None:
        self.drains.append(event)

    async def detection(self, deployment: str, kind: AnomalyKind) -> AnomalyDetected:
        async def seen() -> bool:
            return any(e.deployment == deployment and e.anomaly is kind for e in self.detected)

        await wait_until(seen, within=DETECT_WITHIN_S, what=f"{kind.value} on {deployment}")
        return next(e for e in self.detected if e.deployment == deployment and e.anomaly is kind)

    async def call(self, method: str, **params: Any) -> Any:
        return await self.client.call("neuroweaver", method, params, timeout_s=20)


def insights_settings(**overrides: Any) -> InsightsSettings:
    values: dict[str, Any] = {
        "window_s": 2.0,
        "eval_interval_s": 0.25,
        "min_window_samples": 6,
        "min_baseline_samples": 20,
        "clear_after_s": 2.0,
        "bucket_s": 1.0,
        "horizon_buckets": 5,
        "history_buckets": 120,
        "retention_s": 3600.0,
        "flush_interval_s": 0.25,
        "predictor_warmup": False,  # fitted on the first predict call, by the test that calls
        **overrides,
    }
    return InsightsSettings(**values)


@pytest.fixture
async def stage(
    bus_settings: Callable[..., BusSettings], tmp_path: Path
) -> AsyncIterator[Callable[..., Any]]:
    """``await stage(deployments, replicas=1, store=False)``: everything started, registered."""
    started: list[Service | Bus] = []
    registries: list[KeyValueStore[DeploymentRecord]] = []
    stores: list[DocumentStore] = []

    async def start(
        deployments: list[ScriptedDeployment], *, replicas: int = 1, store: bool = False
    ) -> Stage:
        base = bus_settings()
        shared: dict[str, Any] = {
            "nats_url": base.nats_url,
            "redis_url": base.redis_url,
            "bus_namespace": base.bus_namespace,
            "bus_nak_backoff_s": base.bus_nak_backoff_s,
            # Requests still retrying when the test ends need not hold the stop for 10 s.
            "bus_drain_timeout_s": 1.0,
        }
        bus = Bus(base, name="tests-insights")
        for deployment in deployments:
            deployment.serve(bus)
        # relaycore's own healing and breaker would step in before neuroweaver: kept out.
        relay = create_relay(
            RelaySettings(
                **shared,
                relay_sweep_interval_s=0.2,
                relay_no_route_wait_s=1.0,
                relay_backoff_base_s=0.01,
                relay_backoff_max_s=0.05,
                relay_breaker_min_calls=10_000,
                relay_heal_min_calls=10_000,
            )
        )
        docstore = await open_store(f"sqlite:///{tmp_path / 'nw.db'}") if store else None
        if docstore is not None:
            stores.append(docstore)

        async def start_replica() -> Insights:
            neuro = base_service(
                "neuroweaver", ServiceSettings(**shared, service_name="neuroweaver")
            )
            rpc = RpcServer(neuro.bus, "neuroweaver")
            insights = install_insights(neuro, rpc, insights_settings(), store=docstore)
            neuro.on_start.append(rpc.start)
            neuro.before_stop.append(rpc.stop)
            await neuro.start()
            started.append(neuro)
            st.replicas.append(insights)
            return insights

        registry = KeyValueStore(DEPLOYMENTS, DeploymentRecord)
        registries.append(registry)
        st = Stage(bus, RpcClient(bus), registry, start_replica)
        bus.subscribe(
            ConsumerSpec(
                durable="tests-anomalies",
                stream=ANOMALIES.stream or "",
                filter_subjects=(ANOMALIES.filter(),),
            ),
            ANOMALY_EVENT,
            st.on_anomaly,
        )
        drain_kind = ControlKind.DEPLOYMENT_DRAIN.value
        bus.subscribe(
            ConsumerSpec.on(CONTROL, "tests-drains", kind=drain_kind), ControlEvent, st.on_control
        )
        await bus.start()
        started.append(bus)
        await relay.start()
        started.append(relay)
        for _ in range(replicas):
            await start_replica()
        await registry.open(bus.js)
        await register(bus, *deployments)

        async def registered() -> bool:
            return all(
                d.name in registry.values and registry.values[d.name].routable()
                for d in deployments
            )

        await wait_until(registered, within=15, what="the deployments' registration")
        return st

    yield start
    for registry in registries:
        await registry.close()
    for part in reversed(started):
        await part.stop()
    for docstore in stores:
        await docstore.close()


@pytest.fixture
async def traffic(stage: Any) -> AsyncIterator[Callable[[Bus, list[str]], None]]:
    """``traffic(bus, groups)``: Poisson requests at RATE over the groups until the test ends."""
    tasks: list[asyncio.Task[None]] = []

    async def send(bus: Bus, groups: list[str]) -> None:
        rng = random.Random(42)
        n = 0
        while True:
            await bus.publish(
                InferenceRequested(
                    request_id=f"r{n}-{uuid.uuid4().hex[:8]}",
                    requester="tests",
                    model=groups[n % len(groups)],
                    messages=[ChatMessage(role="user", content=f"hello {n}")],
                )
            )
            n += 1
            await asyncio.sleep(rng.expovariate(RATE))  # pacing: the arrival process

    def start(bus: Bus, groups: list[str]) -> None:
        tasks.append(asyncio.create_task(send(bus, groups)))

    yield start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_clean_run_then_spike_then_burst(stage: Any, traffic: Any) -> None:
    fast = TimedDeployment("fast", group="grp", base_ms=40, seed=1)
    steady = TimedDeployment("steady", group="grp", base_ms=60, seed=2)
    st: Stage = await stage([fast, steady])
    loop = asyncio.get_running_loop()
    traffic(st.bus, ["grp"])

    # (a) A clean run, long enough for both baselines to be learned: nothing flagged.
    clean_until = loop.time() + 12
    while loop.time() < clean_until:
        assert st.detected == [], st.detected
        await asyncio.sleep(0.2)
    for name in ("fast", "steady"):
        status = st.insights.detector.status(name)
        assert status is not None
        assert status.baseline_samples >= 20, status  # armed: the silence meant something
        assert status.baseline_latency_ms is not None
    # No inference service here, so no trained detector is served: only the statistical watch.
    assert await st.call("anomalies") == {"anomalies": [], "active": 0, "model": None}

    # (b) One deployment gets five times slower.
    fast.slow_factor = 5.0
    injected = loop.time()
    spike = await st.detection("fast", AnomalyKind.LATENCY_SPIKE)
    assert loop.time() - injected < DETECT_WITHIN_S
    assert spike.observed > 1.5 * spike.baseline
    assert spike.model_group == "grp"
    fast.slow_factor = 1.0

    # (c) The other starts failing every attempt.
    steady.fail_with = ErrorKind.UNAVAILABLE
    injected = loop.time()
    burst = await st.detection("steady", AnomalyKind.ERROR_BURST)
    assert loop.time() - injected < DETECT_WITHIN_S
    assert burst.observed >= 0.2  # detected as the window fills with failures
    assert {(e.deployment, e.anomaly) for e in st.detected} == {
        ("fast", AnomalyKind.LATENCY_SPIKE),
        ("steady", AnomalyKind.ERROR_BURST),
    }, "one event per episode, none elsewhere"

    listed = await st.call("anomalies")
    assert {(a["deployment"], a["anomaly"]) for a in listed["anomalies"]} == {
        ("fast", "latency_spike"),
        ("steady", "error_burst"),
    }
    only_steady = await st.call("anomalies", deployment="steady", active=True)
    assert [a["anomaly_id"] for a in only_steady["anomalies"]] == [burst.anomaly_id]

    # The spike is over: its episode resolves once calm for clear_after_s.
    async def spike_resolved() -> bool:
        return any(e.anomaly_id == spike.anomaly_id for e in st.resolved)

    await wait_until(spike_resolved, within=DETECT_WITHIN_S, what="the spike to resolve")

    capacity = await st.call("capacity")
    by_name = {f["deployment"]: f for f in capacity["forecasts"]}
    assert set(by_name) == {"fast", "steady"}
    for forecast in by_name.values():
        assert forecast["model_group"] == "grp"
        assert forecast["history_buckets"] >= 15
        assert len(forecast["forecast"]) == 5
        assert forecast["mae"] is not None
        assert forecast["recent_rps"] > 0
        assert forecast["recommendation"]["concurrency"] == 16
    summary = await st.call("insights")
    assert summary["summary"]["active_anomalies"] == 1
    assert [a["deployment"] for a in summary["anomalies"]["active"]] == ["steady"]
    assert {d["deployment"] for d in summary["deployments"]} == {"fast", "steady"}


async def test_optimize_drains_only_when_a_healthy_peer_remains(stage: Any, traffic: Any) -> None:
    sick = TimedDeployment("sick", group="duo", base_ms=30, seed=3)
    well = TimedDeployment("well", group="duo", base_ms=30, seed=4)
    lonely = TimedDeployment("lonely", group="solo", base_ms=30, seed=5)
    st: Stage = await stage([sick, well, lonely], store=True)
    traffic(st.bus, ["duo", "solo"])

    async def serving() -> bool:
        statuses = [st.insights.detector.status(d.name) for d in (sick, well, lonely)]
        return all(s is not None and s.baseline_samples >= 10 for s in statuses)

    await wait_until(serving, within=15, what="normal traffic on every deployment")
    sick.fail_with = ErrorKind.UNAVAILABLE
    lonely.fail_with = ErrorKind.UNAVAILABLE
    await st.detection("sick", AnomalyKind.ERROR_BURST)
    await st.detection("lonely", AnomalyKind.ERROR_BURST)

    async def failing_throughout() -> bool:
        statuses = [st.insights.detector.status(d.name, time.time()) for d in (sick, lonely)]
        return all(s is not None and (s.error_rate or 0) > 0.9 for s in statuses)

    # The burst is detected as the window fills; the drain waits for a rate that stays high.
    await wait_until(failing_throughout, within=10, what="whole windows of failures")

    preview = await st.call("optimize", dry_run=True)
    decided = {a["deployment"]: a["kind"] for a in preview["actions"]}
    assert decided == {"sick": "drain", "lonely": "skip"}
    assert preview["drained"] == []
    assert "no other healthy deployment" in next(
        a["reason"] for a in preview["actions"] if a["deployment"] == "lonely"
    )

    done = await st.call("optimize")
    assert done["drained"] == ["sick"]

    async def drained() -> bool:
        record = st.registry.values.get("sick")
        return record is not None and record.state.value == "draining"

    await wait_until(drained, within=10, what="relaycore to drain sick")
    assert [(e.target, e.kind) for e in st.drains] == [("sick", ControlKind.DEPLOYMENT_DRAIN)]
    assert st.drains[0].issued_by.startswith("neuroweaver/")
    assert st.registry.values["lonely"].routable()
    assert st.registry.values["well"].routable()

    again = await st.call("optimize")
    assert again["drained"] == []
    assert {a["deployment"]: a["kind"] for a in again["actions"]}["sick"] == "skip"
    assert len(st.drains) == 1

    journal = await st.insights.journal.recent(10)
    assert [(e["dry_run"], e["drained"]) for e in journal] == [
        (False, []),
        (False, ["sick"]),
        (True, []),
    ]
    assert st.insights.journal.store is not None
    assert await st.insights.journal.store.count("optimizations") == 3


async def test_replicas_share_one_episode_and_a_late_one_reads_it_back(
    stage: Any, traffic: Any
) -> None:
    left = TimedDeployment("left", group="pair", base_ms=30, seed=6)
    right = TimedDeployment("right", group="pair", base_ms=30, seed=7)
    st: Stage = await stage([left, right], replicas=2)
    traffic(st.bus, ["pair"])

    async def both_judging() -> bool:
        statuses = [r.detector.status("right") for r in st.replicas]
        return all(s is not None and s.window_samples >= 6 for s in statuses)

    await wait_until(both_judging, within=15, what="both replicas to see traffic on right")
    right.fail_with = ErrorKind.UNAVAILABLE
    burst = await st.detection("right", AnomalyKind.ERROR_BURST)

    async def both_open() -> bool:
        statuses = [r.detector.status("right") for r in st.replicas]
        return all(s is not None and AnomalyKind.ERROR_BURST in s.open for s in statuses)

    # Each replica sees part of the attempts; both judge the episode open, one announces it.
    await wait_until(both_open, within=DETECT_WITHIN_S, what="the episode open on both")
    assert [e.anomaly_id for e in st.detected] == [burst.anomaly_id]
    for replica in st.replicas:
        listed = await replica.anomalies(AnomaliesParams(active=True))
        assert [a["anomaly_id"] for a in listed["anomalies"]] == [burst.anomaly_id]

    late = await st.start_replica()
    listed = await late.anomalies(AnomaliesParams())
    assert [(a["anomaly_id"], a["active"]) for a in listed["anomalies"]] == [
        (burst.anomaly_id, True)
    ]

    right.fail_with = None

    async def resolved() -> bool:
        return [e.anomaly_id for e in st.resolved] == [burst.anomaly_id]

    await wait_until(resolved, within=DETECT_WITHIN_S, what="the episode to resolve")

    async def closed_everywhere() -> bool:
        return all(not r.book.active() for r in st.replicas)

    await wait_until(closed_everywhere, within=5, what="every replica to close the episode")
    assert [e.anomaly_id for e in st.detected] == [burst.anomaly_id]


async def test_predict_and_bad_calls_over_rpc(stage: Any) -> None:
    st: Stage = await stage([])
    good = {"cpu_percent": 20, "memory_percent": 30, "latency_ms": 150, "error_rate": 0.0,
            "request_count": 300}  # fmt: skip
    bad = {**good, "cpu_percent": 98, "latency_ms": 6000, "error_rate": 0.4}
    both = await st.call("predict", metrics=[good, bad])
    assert both["model"]["source"] == "bootstrap"
    healthy_score, poor_score = both["scores"]
    assert 0 <= poor_score < healthy_score <= 1
    assert healthy_score - poor_score > 0.3
    one = await st.call("predict", metrics=good)
    assert one["scores"] == [healthy_score]

    with pytest.raises(RpcFailure) as exc:
        await st.call("predict", metrics={**good, "error_rate": 2})
    assert exc.value.code is RpcErrorCode.INVALID
    assert ["metrics", 0, "error_rate"] in [e.loc for e in exc.value.fields]
    with pytest.raises(RpcFailure) as exc:
        await st.call("optimize", dry_run="perhaps")
    assert exc.value.code is RpcErrorCode.INVALID
    with pytest.raises(RpcFailure) as exc:
        await st.call("capacity", deployment="nowhere")
    assert exc.value.code is RpcErrorCode.NOT_FOUND

    samples = [{**s.model_dump(), "performance_score": 0.5} for s in bootstrap_samples(40, seed=1)]
    st.insights.use_predictor(fit_predictor(samples, seed=1))
    retrained = await st.call("predict", metrics=good)
    assert retrained["model"]["source"] == "samples"
    assert retrained["scores"] == [pytest.approx(0.5)]
