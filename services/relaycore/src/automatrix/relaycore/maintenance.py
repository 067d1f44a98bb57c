"""Periodic upkeep of one replica: silent deployments, healing, load refresh, scaling advice."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

from automatrix.relaycore import metrics
from automatrix.relaycore.adapters.ledger import Ledger
from automatrix.relaycore.domain.breaker import BreakerState
from automatrix.relaycore.domain.healing import HealingPolicy, should_drain
from automatrix.relaycore.domain.registry import mark_silent, set_state
from automatrix.relaycore.domain.scaling import Recommendation, ScalingPolicy, recommend
from automatrix.relaycore.routing import Routing
from automatrix.relaycore.scheduler import Scheduler
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import (
    ChatMessage,
    DeploymentRecord,
    DeploymentState,
    InferenceDispatched,
    InferenceRequested,
    Priority,
    RequestKind,
    TelemetryEvent,
    TelemetryKind,
)
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.contracts.inference_types import InferenceParams
from automatrix.shared.kv import KeyValueStore

log = logging.getLogger(__name__)


class Upkeep:
    """Runs every ``interval_s``; every replica runs it, compare-and-set keeps writes single."""

    def __init__(
        self,
        bus: Bus,
        registry: KeyValueStore[DeploymentRecord],
        routing: Routing,
        scheduler: Scheduler,
        ledger: Ledger,
        *,
        probe_token: str,
        healing: HealingPolicy,
        scaling: ScalingPolicy,
        interval_s: float,
        scaling_interval_s: float,
        instance: str,
    ) -> None:
        self.bus = bus
        self.registry = registry
        self.routing = routing
        self.scheduler = scheduler
        self.ledger = ledger
        self.probe_token = probe_token
        self.healing = healing
        self.scaling = scaling
        self.interval_s = interval_s
        self.scaling_interval_s = scaling_interval_s
        self.instance = instance
        self.recommendations: dict[str, Recommendation] = {}
        self._last_scaling = time.monotonic()

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self.tick()
            except Exception:
                log.exception("upkeep failed; trying again in %.1f s", self.interval_s)

    async def tick(self) -> None:
        await self._mark_silent()
        await self._heal()
        await self._refresh_load()
        if time.monotonic() - self._last_scaling >= self.scaling_interval_s:
            await self.publish_recommendations()
        self.scheduler.wake()

    async def _mark_silent(self) -> None:
        now = utcnow()
        for name, record in list(self.registry.values.items()):
            if mark_silent(record, now) is None:
                continue

            def change(current: DeploymentRecord | None) -> DeploymentRecord | None:
                if current is None:
                    return None
                return mark_silent(current, utcnow()) or current

            await self.registry.mutate(name, change)

    async def _heal(self) -> None:
        now = time.monotonic()
        wall = utcnow()
        for name, record in list(self.registry.values.items()):
            stats = self.routing.stats.get(name)
            if record.state is DeploymentState.ACTIVE and stats is not None:
                rate, calls = stats.error_rate(now), stats.calls(now)
                if should_drain(rate, calls, self.healing):
                    await self._auto_drain(name, rate, calls)
            elif record.auto_drained and record.next_probe_at and record.next_probe_at <= wall:
                await self._probe(name)

    async def _auto_drain(self, name: str, rate: float, calls: int) -> None:
        reason = f"auto-drained: error rate {rate:.0%} over {calls} calls"
        probe_at = utcnow() + timedelta(seconds=self.healing.probe_after_s)
        drained = False

        def change(current: DeploymentRecord | None) -> DeploymentRecord | None:
            nonlocal drained
            if current is None or current.state is not DeploymentState.ACTIVE:
                return current
            drained = True
            return set_state(
                current,
                DeploymentState.DRAINING,
                reason,
                utcnow(),
                auto=True,
                next_probe_at=probe_at,
            )

        await self.registry.mutate(name, change)
        if drained:
            log.warning("%s %s", name, reason)

    async def _probe(self, name: str) -> None:
        """Send one tiny real request to an auto-drained deployment; success resumes it."""
        claimed_for = utcnow() + timedelta(seconds=self.healing.probe_after_s)
        won = False

        def change(current: DeploymentRecord | None) -> DeploymentRecord | None:
            nonlocal won
            if current is None or not current.auto_drained or current.next_probe_at is None:
                return current
            if current.next_probe_at > utcnow():
                return current  # another replica claimed this probe
            won = True
            return current.model_copy(update={"next_probe_at": claimed_for})

        record = await self.registry.mutate(name, change)
        if not won or record is None:
            return
        request = probe_request(record, self.probe_token)
        await self.bus.publish(
            InferenceDispatched(
                request_id=request.request_id,
                deployment=name,
                request=request,
                deadline=request.deadline,
            )
        )
        log.info("probing auto-drained %s", name)

    async def _refresh_load(self) -> None:
        names = list(self.registry.values)
        if names:
            self.routing.inflight.update(await self.ledger.inflight(names))
        for name, breaker in self.routing.breakers.items():
            metrics.BREAKER_OPEN.labels(name).set(breaker.state is BreakerState.OPEN)
        for level, queue in self.scheduler.queues.items():
            metrics.WAITING.labels(level.value).set(len(queue))

    async def publish_recommendations(self) -> None:
        """Scaling advice per deployment from queue depth and latency, as telemetry."""
        self._last_scaling = time.monotonic()
        for name, record in list(self.registry.values.items()):
            stats = self.routing.stats.get(name)
            advice = recommend(
                deployment=name,
                waiting=self.scheduler.waiting_for.get(name, 0),
                inflight=self.routing.inflight.get(name, 0),
                concurrency=record.concurrency,
                ewma_latency_ms=stats.ewma_latency_ms if stats else None,
                policy=self.scaling,
            )
            self.recommendations[name] = advice
            await self.bus.publish(
                TelemetryEvent(
                    service="relaycore",
                    kind=TelemetryKind.SCALING,
                    instance=self.instance,
                    deployment=name,
                    latency_ms=advice.ewma_latency_ms,
                    attributes={
                        "action": advice.action.value,
                        "replicas_delta": advice.replicas_delta,
                        "reason": advice.reason[:1024],
                        "waiting": advice.waiting,
                        "inflight": advice.inflight,
                        "concurrency": advice.concurrency,
                    },
                )
            )


def probe_request(record: DeploymentRecord, requester: str) -> InferenceRequested:
    """The smallest real request of the deployment's kind."""
    request_id = f"probe-{record.name[:40]}-{time.time_ns() % 10**12}"
    deadline = utcnow() + timedelta(seconds=min(record.timeout_s, 30.0))
    if record.kind is RequestKind.EMBEDDING:
        return InferenceRequested(
            request_id=request_id,
            requester=requester,
            priority=Priority.LOW,
            kind=RequestKind.EMBEDDING,
            model=record.model_group,
            input=["ping"],
            deadline=deadline,
        )
    return InferenceRequested(
        request_id=request_id,
        requester=requester,
        priority=Priority.LOW,
        model=record.model_group,
        messages=[ChatMessage(role="user", content="ping")],
        params=InferenceParams(max_tokens=1),
        deadline=deadline,
    )
