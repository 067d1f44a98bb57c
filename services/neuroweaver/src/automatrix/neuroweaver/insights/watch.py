"""The live anomaly watch: per-attempt telemetry in, anomaly episodes out on AI_ANOMALIES.

Replicas share one durable telemetry consumer, so each judges a sample of every deployment's
attempts (rates and medians hold on a sample). One episode, one detection: the replica that
claims it first (``EpisodeClaims``) publishes it, the others adopt its id. What any replica
publishes, every replica hears (core subscription on the anomaly subjects, plus a read-back
of recent episodes at start) and adopts; whichever later sees it calm resolves it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections import deque
from datetime import UTC, datetime, timedelta

import nats.errors
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from pydantic import TypeAdapter, ValidationError

from automatrix.neuroweaver.insights.anomaly import AnomalyDetector, Attempt, Transition
from automatrix.neuroweaver.insights.book import AnomalyBook
from automatrix.neuroweaver.insights.claims import EpisodeClaims
from automatrix.neuroweaver.insights.volume import VolumeStore
from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.contracts import (
    ANOMALIES,
    TELEMETRY,
    AnomalyDetected,
    AnomalyKind,
    AnomalyResolved,
    ErrorKind,
    Outcome,
    TelemetryEvent,
    TelemetryKind,
)

log = logging.getLogger(__name__)

ANOMALY_EVENT: TypeAdapter[AnomalyDetected | AnomalyResolved] = TypeAdapter(
    AnomalyDetected | AnomalyResolved
)
CLIENT_FAULTS = frozenset(
    {ErrorKind.BAD_REQUEST, ErrorKind.CONTEXT_LENGTH, ErrorKind.DEADLINE_EXCEEDED}
)
"""Failures that say the request was bad (or late), not the deployment: not counted."""
REPLAY_BATCH = 256
METRICS_KEPT = 20_000


def telemetry_spec(durable: str, request_source: str) -> ConsumerSpec:
    """Per-attempt records of one service, and METRICS from every service; new ones only."""
    return ConsumerSpec(
        durable=durable,
        stream=TELEMETRY.stream or "",
        filter_subjects=(
            TELEMETRY.format(service=request_source, kind=TelemetryKind.REQUEST.value),
            TELEMETRY.filter(kind=TelemetryKind.METRICS.value),
        ),
        description="neuroweaver: anomaly watch, request volume and performance samples",
        deliver_policy=DeliverPolicy.NEW,
    )


def attempt_of(event: TelemetryEvent) -> Attempt | None:
    """The attempt a REQUEST record reports, or None when it says nothing of the deployment."""
    if event.deployment is None or event.outcome is None:
        return None
    if event.outcome in (Outcome.CACHED, Outcome.REJECTED):
        return None
    if event.error_kind in CLIENT_FAULTS:
        return None
    succeeded = event.outcome is Outcome.SUCCESS
    latency = event.latency_ms if succeeded else None
    return Attempt(event.timestamp.timestamp(), latency, failed=not succeeded)


def anomaly_id(deployment: str, kind: AnomalyKind, started_at: float, window_s: float) -> str:
    """The same for two replicas that open the same episode within one window (a second
    guard, for when the claims cannot be reached: JetStream drops the duplicate)."""
    slot = int(started_at // window_s)
    return hashlib.sha256(f"{deployment}|{kind.value}|{slot}".encode()).hexdigest()[:24]


class AnomalyWatch:
    """Feeds the detector and the volume store; publishes and adopts anomaly episodes."""

    def __init__(
        self,
        bus: Bus,
        detector: AnomalyDetector,
        book: AnomalyBook,
        volume: VolumeStore,
        claims: EpisodeClaims,
        *,
        instance: str,
        request_source: str,
    ) -> None:
        self.bus = bus
        self.detector = detector
        self.book = book
        self.volume = volume
        self.claims = claims
        self.instance = instance
        self.request_source = request_source
        self.metrics: deque[TelemetryEvent] = deque(maxlen=METRICS_KEPT)
        self._current: dict[tuple[str, AnomalyKind], str] = {}
        """This replica's open episodes and the id each is known by."""
        self._unpublished: list[AnomalyDetected | AnomalyResolved] = []
        self._subscription: Subscription | None = None

    # -- telemetry in ----------------------------------------------------------------------

    async def handle(self, event: TelemetryEvent, _: Delivery) -> None:
        if event.kind is TelemetryKind.METRICS:
            self.metrics.append(event)
            return
        if event.kind is not TelemetryKind.REQUEST or event.service != self.request_source:
            return
        attempt = attempt_of(event)
        if attempt is None or event.deployment is None:
            return
        group = event.attributes.get("model_group")
        model_group = group if isinstance(group, str) else None
        self.volume.record(
            event.deployment,
            attempt.at,
            latency_ms=attempt.latency_ms,
            failed=attempt.failed,
            model_group=model_group,
        )
        for change in self.detector.observe(event.deployment, attempt, model_group=model_group):
            await self._publish(await self._event_for(change))

    async def sweep(self) -> None:
        """Close idle episodes, retry unpublished events, write the volume counts."""
        for change in self.detector.sweep(time.time()):
            await self._publish(await self._event_for(change))
        if self._unpublished:
            retry, self._unpublished = self._unpublished, []
            for event in retry:
                await self._publish(event)
        await self.volume.flush()

    # -- episodes out ----------------------------------------------------------------------

    async def _event_for(self, change: Transition) -> AnomalyDetected | AnomalyResolved | None:
        key = (change.deployment, change.kind)
        reading = change.reading
        if change.opened:
            known = self.book.open_for(change.deployment, change.kind)
            if known is not None:  # another replica saw it first: adopt its id
                self._current[key] = known.anomaly_id
                return None
            mine = anomaly_id(
                change.deployment, change.kind, change.started_at, self.detector.config.window_s
            )
            episode = await self.claims.claim(change.deployment, change.kind, mine)
            self._current[key] = episode
            if episode != mine:  # claimed by another replica: its detection is on the way
                return None
            detected = AnomalyDetected(
                message_id=f"anomaly-{episode}-detected",
                anomaly_id=episode,
                deployment=change.deployment,
                model_group=change.model_group,
                anomaly=change.kind,
                observed=reading.observed,
                baseline=reading.baseline,
                detected_at=_utc(change.at),
                detected_by=self.instance,
                severity=change.severity,
                score=reading.score,
                threshold=change.threshold,
                samples=reading.samples,
                window_s=self.detector.config.window_s,
                message=change.reason[:1024],
            )
            self.book.add(detected)
            return detected
        episode_id = self._current.pop(key, None)
        record = self.book.get(episode_id) if episode_id else None
        if record is None or not record.active:
            return None
        resolved = AnomalyResolved(
            message_id=f"anomaly-{record.anomaly_id}-resolved",
            anomaly_id=record.anomaly_id,
            deployment=change.deployment,
            model_group=record.detected.model_group,
            anomaly=change.kind,
            observed=reading.observed,
            baseline=reading.baseline,
            detected_at=record.detected.detected_at,
            detected_by=record.detected.detected_by,
            resolved_at=_utc(change.at),
            reason=change.reason[:1024],
        )
        self.book.add(resolved)
        await self.claims.release(change.deployment, change.kind, record.anomaly_id)
        return resolved

    async def _publish(self, event: AnomalyDetected | AnomalyResolved | None) -> None:
        if event is None:
            return
        try:
            await self.bus.publish(event)
        except Exception:
            log.exception("could not publish %s; retrying at the next sweep", event.anomaly_id)
            self._unpublished.append(event)
            return
        if isinstance(event, AnomalyDetected):
            log.warning("anomaly on %s: %s", event.deployment, event.message)
        else:
            log.info("anomaly on %s resolved: %s", event.deployment, event.reason)

    # -- what the other replicas publish ---------------------------------------------------

    async def listen(self) -> None:
        """Hear every replica's episodes, then read back the recent ones from the stream."""
        self._subscription = await self.bus.nc.subscribe(ANOMALIES.filter(), cb=self._on_message)

    async def stop(self) -> None:
        if self._subscription is not None:
            with contextlib.suppress(nats.errors.Error):
                await self._subscription.unsubscribe()
            self._subscription = None

    async def replay(self, since_s: float, limit: int) -> int:
        """Apply the episodes published in the last ``since_s`` seconds (at most ``limit``)."""
        if since_s <= 0:
            return 0
        config = ConsumerConfig(
            deliver_policy=DeliverPolicy.BY_START_TIME,
            opt_start_time=datetime.now(UTC) - timedelta(seconds=since_s),
            ack_policy=AckPolicy.NONE,
            inactive_threshold=30.0,
        )
        sub = await self.bus.js.pull_subscribe(
            ANOMALIES.filter(), stream=ANOMALIES.stream, config=config
        )
        applied = 0
        try:
            while applied < limit:
                try:
                    msgs = await sub.fetch(REPLAY_BATCH, timeout=0.5)
                except TimeoutError:
                    break
                for msg in msgs:
                    self._apply(msg.data)
                    applied += 1
                if msgs[-1].metadata.num_pending == 0:
                    break
        finally:
            with contextlib.suppress(nats.errors.Error):
                await sub.unsubscribe()
        return applied

    async def _on_message(self, msg: Msg) -> None:
        self._apply(msg.data)

    def _apply(self, data: bytes) -> None:
        try:
            event = ANOMALY_EVENT.validate_json(data)
        except ValidationError as exc:
            log.warning("unreadable anomaly event ignored: %s", exc)
            return
        if not self.book.add(event):
            return
        key = (event.deployment, event.anomaly)
        if isinstance(event, AnomalyDetected):
            started = event.detected_at.timestamp()
            if self.detector.adopt(event.deployment, event.anomaly, started, time.time()):
                self._current[key] = event.anomaly_id
        elif self._current.get(key) == event.anomaly_id:
            del self._current[key]
            self.detector.release(event.deployment, event.anomaly)


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
