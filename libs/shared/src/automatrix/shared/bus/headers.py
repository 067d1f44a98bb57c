"""Header names the bus sets, and W3C trace context carried in them."""

from __future__ import annotations

from opentelemetry import propagate

MSG_ID = "Nats-Msg-Id"
EVENT_TYPE = "Am-Event"
ORIGIN = "Am-Origin"
REPLAYED = "Am-Replayed"


def inject_trace(headers: dict[str, str]) -> dict[str, str]:
    """Write the current trace context (``traceparent``, ``tracestate``) into ``headers``."""
    propagate.inject(headers)
    return headers
