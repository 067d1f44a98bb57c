"""Every JetStream stream and durable consumer, declared in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)

from automatrix.shared.contracts.registry import Bucket
from automatrix.shared.contracts.subject import Subject
from automatrix.shared.settings import BusSettings

DAY = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class StreamSpec:
    """A stream, the subjects it captures and how long it keeps them."""

    name: str
    subjects: tuple[str, ...]
    retention: RetentionPolicy
    description: str
    max_age_s: float = 0.0
    max_msgs: int = -1
    max_bytes: int = -1

    def config(self, settings: BusSettings) -> StreamConfig:
        """The JetStream config: file storage, a duplicate window, replicas from settings."""
        return StreamConfig(
            name=self.name,
            subjects=list(self.subjects),
            description=self.description,
            retention=self.retention,
            storage=StorageType.FILE,
            discard=DiscardPolicy.OLD,
            max_age=self.max_age_s,
            max_msgs=self.max_msgs,
            max_bytes=self.max_bytes,
            duplicate_window=settings.bus_duplicate_window_s,
            num_replicas=settings.bus_stream_replicas,
            allow_direct=True,
        )


def _captures(*subjects: Subject) -> tuple[str, ...]:
    return tuple(subject.prefix + ">" for subject in subjects)


def streams() -> tuple[StreamSpec, ...]:
    """The platform's streams, with the retention the design gives each."""
    from automatrix.shared.contracts import (
        ANOMALIES,
        CONTROL,
        DISPATCH,
        DLQ,
        MODELS,
        REQUESTS,
        RESULTS,
        TELEMETRY,
        TRAINING,
    )

    return (
        StreamSpec(
            "AI_REQUESTS",
            _captures(REQUESTS),
            RetentionPolicy.WORK_QUEUE,
            "Inference requests waiting for relaycore, by priority.",
            max_age_s=DAY,
        ),
        StreamSpec(
            "AI_DISPATCH",
            _captures(DISPATCH),
            RetentionPolicy.WORK_QUEUE,
            "Requests routed to one deployment, waiting for an inference worker.",
            max_age_s=DAY,
        ),
        StreamSpec(
            "AI_RESULTS",
            _captures(RESULTS),
            RetentionPolicy.LIMITS,
            "Completed and failed results, addressed to the requester.",
            max_age_s=3600.0,
        ),
        StreamSpec(
            "AI_TELEMETRY",
            _captures(TELEMETRY),
            RetentionPolicy.LIMITS,
            "Service telemetry for neuroweaver and dashboards.",
            max_age_s=7 * DAY,
            max_bytes=2 * 1024**3,
        ),
        StreamSpec(
            "AI_MODELS",
            _captures(MODELS),
            RetentionPolicy.LIMITS,
            "Model versions published, promoted and rolled back.",
        ),
        StreamSpec(
            "AI_TRAINING",
            _captures(TRAINING),
            RetentionPolicy.LIMITS,
            "Live training progress per run.",
            max_age_s=7 * DAY,
        ),
        StreamSpec(
            "AI_CONTROL",
            _captures(CONTROL),
            RetentionPolicy.LIMITS,
            "Control commands from the ecosystem API to the services.",
            max_age_s=30 * DAY,
        ),
        StreamSpec(
            "AI_DLQ",
            _captures(DLQ),
            RetentionPolicy.LIMITS,
            "Dead letters with their reason, for operators.",
            max_age_s=30 * DAY,
        ),
        StreamSpec(
            "AI_ANOMALIES",
            _captures(ANOMALIES),
            RetentionPolicy.LIMITS,
            "Anomaly episodes neuroweaver detects per deployment, detected and resolved.",
            max_age_s=30 * DAY,
        ),
    )


def buckets() -> tuple[Bucket, ...]:
    """The platform's key-value buckets (registries)."""
    from automatrix.shared.contracts.gateway import JOBS, KEYS
    from automatrix.shared.contracts.registry import DEPLOYMENTS, ROUTER

    return (DEPLOYMENTS, ROUTER, KEYS, JOBS)


def stream_for(subject: Subject) -> StreamSpec:
    """The stream that captures a subject; raises for core-NATS subjects."""
    for spec in streams():
        if spec.name == subject.stream:
            return spec
    raise LookupError(f"{subject.template} is not captured by any stream")


@dataclass(frozen=True, slots=True)
class ConsumerSpec:
    """A durable pull consumer shared by every replica of one service."""

    durable: str
    stream: str
    filter_subjects: tuple[str, ...]
    description: str = ""
    max_ack_pending: int = 1000
    deliver_policy: DeliverPolicy = DeliverPolicy.ALL
    inactive_threshold_s: float | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def config(self, settings: BusSettings) -> ConsumerConfig:
        """Explicit acks, bounded redelivery, ack wait from settings."""
        return ConsumerConfig(
            durable_name=self.durable,
            description=self.description or None,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=self.deliver_policy,
            ack_wait=settings.bus_ack_wait_s,
            max_deliver=settings.bus_max_deliver,
            max_ack_pending=self.max_ack_pending,
            filter_subjects=list(self.filter_subjects),
            inactive_threshold=self.inactive_threshold_s,
            num_replicas=0,
        )

    @classmethod
    def on(cls, subject: Subject, durable: str, **values: str) -> ConsumerSpec:
        """A consumer of one subject filter: ``on(REQUESTS, "relay-high", priority="high")``."""
        if subject.stream is None:
            raise LookupError(f"{subject.template} is core NATS; it has no durable consumers")
        return cls(
            durable=durable, stream=subject.stream, filter_subjects=(subject.filter(**values),)
        )


def retry_after(settings: BusSettings, delivered: int) -> timedelta:
    """The nak delay for the given delivery attempt (1-based); the last step repeats."""
    steps = settings.bus_nak_backoff_s
    return timedelta(seconds=steps[min(delivered, len(steps)) - 1])


def relay_request_consumer(level: str) -> ConsumerSpec:
    """relaycore's consumer of one priority level, shared by its replicas (the gateway reads
    its depth for load shedding)."""
    from automatrix.shared.contracts.inference import REQUESTS

    return ConsumerSpec.on(REQUESTS, f"relaycore-{level}", priority=level)
