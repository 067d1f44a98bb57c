"""Producer and consumer spans (OTel messaging conventions), W3C context in NATS headers.

Spans are built once ``use_tracer_provider`` installed a real provider (``setup_telemetry``
does); without one the context still travels in the headers, so a trace stays whole
across hops that do not export, and the hot path pays for no span at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import context as otel_context
from opentelemetry import propagate
from opentelemetry.trace import Span, SpanKind, Tracer, TracerProvider
from opentelemetry.util.types import AttributeValue

TRACER_NAME = "automatrix.bus"
TRACEPARENT = "traceparent"

_tracer: Tracer | None = None


def use_tracer_provider(provider: TracerProvider | None) -> None:
    """Build bus spans with ``provider`` from now on (``None``: propagate context only)."""
    global _tracer
    _tracer = provider.get_tracer(TRACER_NAME) if provider is not None else None


@contextmanager
def serving(
    name: str, headers: dict[str, str], attributes: dict[str, str | int]
) -> Iterator[Span | None]:
    """Around an HTTP request: a SERVER span continuing the caller's trace (W3C headers)."""
    parent = propagate.extract(headers)
    tracer = _tracer
    if tracer is None:
        token = otel_context.attach(parent)
        try:
            yield None
        finally:
            otel_context.detach(token)
        return
    with tracer.start_as_current_span(
        name, context=parent, kind=SpanKind.SERVER, attributes=attributes
    ) as span:
        yield span


@contextmanager
def calling(name: str, attributes: Mapping[str, AttributeValue]) -> Iterator[Span | None]:
    """Around a call to another system (a model provider): a CLIENT span under the current one."""
    tracer = _tracer
    if tracer is None:
        yield None
        return
    with tracer.start_as_current_span(name, kind=SpanKind.CLIENT, attributes=attributes) as span:
        yield span


@contextmanager
def producing(subject: str, message_id: str, headers: dict[str, str], path: str) -> Iterator[None]:
    """Around a publish: a PRODUCER span whose context is written into ``headers``."""
    tracer = _tracer
    if tracer is None:
        propagate.inject(headers)
        yield
        return
    with tracer.start_as_current_span(
        f"send {subject}",
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.system": "nats",
            "messaging.operation.type": "send",
            "messaging.operation.name": "publish",
            "messaging.destination.name": subject,
            "messaging.message.id": message_id,
            "automatrix.bus.path": path,
        },
    ):
        propagate.inject(headers)
        yield


@contextmanager
def consuming(
    subject: str, message_id: str, headers: dict[str, str] | None, consumer: str, attempt: int
) -> Iterator[None]:
    """Around a handler: the publisher's context restored, under a CONSUMER span."""
    tracer = _tracer
    if tracer is None:
        if not headers or TRACEPARENT not in headers:
            yield
            return
        token = otel_context.attach(propagate.extract(headers))
        try:
            yield
        finally:
            otel_context.detach(token)
        return
    with tracer.start_as_current_span(
        f"process {subject}",
        context=propagate.extract(headers or {}),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "nats",
            "messaging.operation.type": "process",
            "messaging.operation.name": "process",
            "messaging.destination.name": subject,
            "messaging.message.id": message_id,
            "messaging.consumer.group.name": consumer,
            "messaging.message.delivery_count": attempt,
        },
    ):
        yield
